/**
 * The notification half of `npm run bench:ha`: one stream of alerts (bench/notify/stream.ts) taken by
 * compiled sidecars on PostgreSQL and delivered to one loopback webhook sink — either by one sidecar,
 * or by two replicas of one database (HA), the POSTs spread over both in turn, as a load balancer
 * would. With two, the leader's dispatcher routes and groups everything and both outbox workers send.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoopbackServer } from '../../test/harness';
import { alertmanagerWebhookBody } from '../../test/harness/notify';
import { startSidecar, type SidecarHandle } from '../../test/harness/sidecar';
import { parseMetrics, sumOf } from '../rules/metricsText';
import { chunks, runPhase, type PhaseResult, type StreamAlert } from '../notify/stream';

/** What one side did. */
export interface HaSide {
  name: string;
  replicas: number;
  phases: PhaseResult[];
  /** CPU seconds of the side's processes over both phases. */
  cpuSeconds: number;
  /** When each phase began (epoch ms; its first POST is sent at once). */
  phaseStarts: number[];
  /** Per replica (leader first): CPU seconds and notifications its worker sent, over both phases. */
  perReplica: Array<{ id: string; leader: boolean; cpuSeconds: number; sent: number }>;
}

/** Options of {@link runNotifySide}. */
export interface HaSideOptions {
  name: string;
  /** The `store` section each replica gets (a fresh database per side). */
  store: Record<string, unknown>;
  replicas: number;
  stream: readonly StreamAlert[];
  batchSize: number;
  concurrency: number;
  timers: { groupWait: string; groupInterval: string };
  /** The route's `groupBy` (labels of the stream's alerts). */
  groupBy: string[];
  sink: LoopbackServer;
  timeoutMs: number;
  /** Extra node flags of each replica (e.g. `--cpu-prof --cpu-prof-dir=D` to profile the side). */
  nodeArgs?: string[];
}

/** A replica's CPU seconds and notifications sent so far. */
async function counters(sc: SidecarHandle): Promise<{ cpu: number; sent: number }> {
  const res = await fetch(`${sc.url}/metrics`, { headers: { Authorization: `Bearer ${sc.token}` } });
  const samples = parseMetrics(await res.text());
  return {
    cpu: sumOf(samples, 'process_cpu_seconds_total'),
    sent: samples
      .filter((m) => m.name === 'vigil_notifications_total' && m.labels.status === 'sent')
      .reduce((n, m) => n + m.value, 0),
  };
}

async function isLeader(sc: SidecarHandle): Promise<boolean> {
  const res = await fetch(`${sc.url}/api/v1/monitoring/health`, { headers: { Authorization: `Bearer ${sc.token}` } });
  return ((await res.json()) as { ha?: { leader: boolean } }).ha?.leader === true;
}

/** Waits until one replica's health says it leads (the others then stand by). */
async function waitForLeader(scs: readonly SidecarHandle[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const sc of scs) {
      if (await isLeader(sc)) {
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no replica leads');
}

/** Starts the side's replicas, feeds the stream (fire all, then resolve all), stops them. */
export async function runNotifySide(opts: HaSideOptions): Promise<HaSide> {
  const path = `/${opts.name}`;
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-ha-'));
  const scs: SidecarHandle[] = [];
  try {
    for (let i = 0; i < opts.replicas; i++) {
      scs.push(
        await startSidecar({
          dir: join(root, `r${i}`),
          entry: 'dist',
          nodeArgs: opts.nodeArgs,
          store: opts.store,
          config: {
            log: { level: 'warn' },
            ha: { replicaId: `${opts.name}-${i}` },
            notify: {
              channels: [{ name: 'sink', type: 'webhook', url: `${opts.sink.url}${path}` }],
              route: {
                receiver: 'sink',
                groupBy: opts.groupBy,
                groupWait: opts.timers.groupWait,
                groupInterval: opts.timers.groupInterval,
                repeatInterval: '1h',
              },
            },
          },
        })
      );
    }
    await waitForLeader(scs, 30_000);
    const before = await Promise.all(scs.map(counters));
    const batches = chunks(opts.stream, opts.batchSize);
    let turn = 0;
    const phases: PhaseResult[] = [];
    const phaseStarts: number[] = [];
    for (const status of ['firing', 'resolved'] as const) {
      phaseStarts.push(Date.now());
      phases.push(
        await runPhase({
          status,
          batches,
          idsOf: (b) => b.map((a) => a.id),
          post: async (batch) => {
            const sc = scs[turn++ % scs.length];
            const endsAt = status === 'resolved' ? new Date(Date.now() - 1000).toISOString() : undefined;
            const body = alertmanagerWebhookBody(
              batch.map((a) => ({ status, labels: a.labels, annotations: a.annotations, startsAt: a.startsAt, endsAt }))
            );
            const res = await fetch(`${sc.url}/api/v1/receivers/alertmanager`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${sc.token}`, 'Content-Type': 'application/json' },
              body: JSON.stringify(body),
            });
            if (!res.ok) {
              throw new Error(`POST ${opts.name} receiver: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
            }
            await res.arrayBuffer();
          },
          concurrency: opts.concurrency,
          received: () => opts.sink.received(),
          path,
          timeoutMs: opts.timeoutMs,
        })
      );
    }
    const after = await Promise.all(scs.map(counters));
    const leaders = await Promise.all(scs.map(isLeader));
    const perReplica = scs
      .map((_, i) => ({
        id: `${opts.name}-${i}`,
        leader: leaders[i],
        cpuSeconds: after[i].cpu - before[i].cpu,
        sent: after[i].sent - before[i].sent,
      }))
      .sort((a, b) => Number(b.leader) - Number(a.leader));
    return {
      name: opts.name,
      replicas: opts.replicas,
      phases,
      phaseStarts,
      cpuSeconds: perReplica.reduce((n, r) => n + r.cpuSeconds, 0),
      perReplica,
    };
  } finally {
    await Promise.all(scs.map((sc) => sc.stop(30_000)));
    rmSync(root, { recursive: true, force: true });
  }
}
