/**
 * The two sides of the notification benchmark, each started, fed the same stream and stopped:
 * the real Alertmanager (its v2 API in, its webhook receiver out) and the compiled Vigil sidecar (its
 * Alertmanager receiver in, a webhook channel out), both delivering to the same loopback sink (each on
 * its own path), both with the same grouping and timers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startAlertmanager, type LoopbackServer } from '../../test/harness';
import { alertmanagerWebhookBody } from '../../test/harness/notify';
import { startSidecar } from '../../test/harness/sidecar';
import { parseMetrics, sumOf } from '../rules/metricsText';
import { chunks, runPhase, type PhaseResult, type StreamAlert } from './stream';

/** Grouping and timers, the same on both sides. */
export interface BenchTimers {
  groupWait: string;
  groupInterval: string;
}

/** What one side did. */
export interface SideResult {
  name: 'alertmanager' | 'vigil';
  phases: PhaseResult[];
  /** CPU seconds of the side's process over both phases. */
  cpuSeconds: number;
}

/** Options of a run. */
export interface RunOptions {
  stream: readonly StreamAlert[];
  batchSize: number;
  concurrency: number;
  timers: BenchTimers;
  sink: LoopbackServer;
  timeoutMs: number;
  /** Folder for a V8 CPU profile of the sidecar (Vigil side only). */
  cpuProfileDir?: string;
  /** Vigil side: `correlation.enabled` (default false). */
  correlation?: boolean;
}

async function cpuSeconds(url: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${url}/metrics`, { headers });
  return sumOf(parseMetrics(await res.text()), 'process_cpu_seconds_total');
}

async function expectOk(res: Response, what: string): Promise<void> {
  if (!res.ok) {
    throw new Error(`${what}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  await res.arrayBuffer();
}

/** Both phases (fire everything, then resolve everything) through `post`. */
async function phases(
  opts: RunOptions,
  path: string,
  post: (batch: StreamAlert[], status: 'firing' | 'resolved') => Promise<void>
): Promise<PhaseResult[]> {
  const batches = chunks(opts.stream, opts.batchSize);
  const out: PhaseResult[] = [];
  for (const status of ['firing', 'resolved'] as const) {
    out.push(
      await runPhase({
        status,
        batches,
        idsOf: (b) => b.map((a) => a.id),
        post: (b) => post(b, status),
        concurrency: opts.concurrency,
        received: () => opts.sink.received(),
        path,
        timeoutMs: opts.timeoutMs,
      })
    );
  }
  return out;
}

/** Alertmanager 0.25: POST /api/v2/alerts in, webhook_configs out. */
export async function runAlertmanager(opts: RunOptions): Promise<SideResult> {
  const path = '/alertmanager';
  const am = await startAlertmanager({
    config: stringify({
      route: {
        receiver: 'sink',
        group_by: ['alertname'],
        group_wait: opts.timers.groupWait,
        group_interval: opts.timers.groupInterval,
        repeat_interval: '1h',
      },
      receivers: [{ name: 'sink', webhook_configs: [{ url: `${opts.sink.url}${path}`, send_resolved: true }] }],
    }),
  });
  try {
    const cpu0 = await cpuSeconds(am.url);
    const result = await phases(opts, path, async (batch, status) => {
      const endsAt = status === 'resolved' ? new Date(Date.now() - 1000).toISOString() : undefined;
      const body = batch.map((a) => ({ labels: a.labels, annotations: a.annotations, startsAt: a.startsAt, endsAt }));
      const res = await fetch(`${am.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      await expectOk(res, 'POST Alertmanager /api/v2/alerts');
    });
    return { name: 'alertmanager', phases: result, cpuSeconds: (await cpuSeconds(am.url)) - cpu0 };
  } finally {
    await am.stop();
  }
}

/** The compiled sidecar on SQLite: POST /api/v1/receivers/alertmanager in, a webhook channel out. */
export async function runVigil(opts: RunOptions): Promise<SideResult> {
  const path = '/vigil';
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-notify-'));
  const sc = await startSidecar({
    dir,
    entry: 'dist',
    config: {
      log: { level: 'warn' },
      correlation: { enabled: opts.correlation ?? false },
      notify: {
        channels: [{ name: 'sink', type: 'webhook', url: `${opts.sink.url}${path}` }],
        route: {
          receiver: 'sink',
          groupBy: ['alertname'],
          groupWait: opts.timers.groupWait,
          groupInterval: opts.timers.groupInterval,
          repeatInterval: '1h',
        },
      },
    },
    nodeArgs: opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [],
  });
  const auth = { Authorization: `Bearer ${sc.token}` };
  try {
    const cpu0 = await cpuSeconds(sc.url, auth);
    const result = await phases(opts, path, async (batch, status) => {
      const endsAt = status === 'resolved' ? new Date(Date.now() - 1000).toISOString() : undefined;
      const body = alertmanagerWebhookBody(
        batch.map((a) => ({ status, labels: a.labels, annotations: a.annotations, startsAt: a.startsAt, endsAt }))
      );
      const res = await fetch(`${sc.url}/api/v1/receivers/alertmanager`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      await expectOk(res, 'POST Vigil /api/v1/receivers/alertmanager');
    });
    return { name: 'vigil', phases: result, cpuSeconds: (await cpuSeconds(sc.url, auth)) - cpu0 };
  } finally {
    // SIGTERM: a graceful stop also writes the CPU profile when one was asked for.
    await sc.stop(30_000);
    rmSync(dir, { recursive: true, force: true });
  }
}
