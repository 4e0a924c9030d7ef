/**
 * Correlation's own cost in a storm (issue 11): the dispatcher's `correlateBatch` alone (no store: a
 * stand-in whose version follows the last batch), over bench:notify's stream — ALERTS alerts, one
 * `service` per group, fired in inbox batches of BATCH, then resolved — for SERVICES services (500:
 * bench:notify's 500 incidents of 20 alerts; 1: a one-service storm, one incident of 10k alerts).
 * Baseline, in the same run: the same firing decisions by core's `correlate` over every recent alert
 * (what a decision costs without the index), run once: it is O(n²). Vigil's figure is the minimum of
 * RUNS runs (CPU ms).
 *
 * Run: npx esbuild bench/correlateStorm.ts --bundle --platform=node --external:better-sqlite3
 *   --alias:@vigil/core=./core/src/index.ts --outfile=bench/.out/correlateStorm.js --log-level=warning
 *   && node bench/.out/correlateStorm.js
 * Env: ALERTS (10000), SERVICES (500), BATCH (500), RUNS (5), STORE ("1": each batch's incident writes
 * committed to a real SQLite store in a temp file, as the dispatcher commits them, and counted),
 * BASELINE ("0": skip the brute force). The last line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { correlate, type CorrelationAlert, type CorrelationIncident } from '@vigil/core';
import { resolveCorrelation } from '../sidecar/src/config/correlationResolve';
import { correlationSchema } from '../sidecar/src/config/correlationSchema';
import { correlateBatch } from '../sidecar/src/notify/dispatch/correlation';
import type { InboundAlert, InboxEntry } from '../sidecar/src/store/notifyStore';
import { openSqliteStore } from '../sidecar/src/store/sqlite';

const ALERTS = Number(process.env.ALERTS ?? 10_000);
const SERVICES = Number(process.env.SERVICES ?? 500);
const BATCH = Number(process.env.BATCH ?? 500);
const RUNS = Number(process.env.RUNS ?? 5);
const STORE = process.env.STORE === '1';
const BASELINE = process.env.BASELINE !== '0';
const T0 = Date.UTC(2026, 11, 7);
const settings = resolveCorrelation(correlationSchema.parse({ enabled: true }));

const alerts: InboundAlert[] = Array.from({ length: ALERTS }, (_, i) => {
  const g = i % SERVICES;
  const id = `a${String(i).padStart(5, '0')}`;
  return {
    fingerprint: `fp${id}`,
    source: 'alertmanager',
    status: 'firing',
    labels: { alertname: `BenchGroup${g}`, severity: 'warning', service: `svc-${g}`, instance: `host-${i}`, id },
    annotations: { summary: `bench alert ${id}` },
    startsAt: T0 - 60_000,
    endsAt: null,
    value: null,
    threshold: null,
    actions: [],
    at: T0,
  };
});

const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

/** The stream through `correlateBatch`: CPU ms. */
async function vigil(): Promise<number> {
  let token: string | null = null;
  const dir = STORE ? mkdtempSync(join(tmpdir(), 'vigil-storm-')) : null;
  const sqlite = dir === null ? null : openSqliteStore({ path: join(dir, 'vigil.db') });
  const store = sqlite ?? {
    correlationVersion: async () => ({ others: '1', token }),
    correlationCandidates: async () => ({ incidents: [], alerts: [] }),
    getIncident: async () => null,
  };
  // The version is read once outside a transaction first (as the dispatcher does), so tokens match.
  await store.correlationVersion();
  let now = T0;
  let seq = 0;
  const started = process.cpuUsage();
  for (const status of ['firing', 'resolved'] as const) {
    for (let i = 0; i < ALERTS; i += BATCH) {
      now += 10;
      const entries: InboxEntry[] = alerts.slice(i, i + BATCH).map((a) => ({
        id: `${String(now).padStart(15, '0')}-${String(seq++).padStart(12, '0')}`,
        receivedAt: now,
        alert: { ...a, status, endsAt: status === 'resolved' ? now : null, at: now },
      }));
      const batch = await correlateBatch(entries, store, settings, settings.topology, now);
      token = batch.writes.token ?? null;
      await sqlite?.commitIncidents(batch.writes);
    }
  }
  const ms = cpuMs(started);
  await sqlite?.close();
  if (dir !== null) {
    rmSync(dir, { recursive: true, force: true });
  }
  return ms;
}

/** The firing decisions by core's `correlate` over every recent alert: CPU ms. */
function bruteForce(): number {
  const recent: CorrelationAlert[] = [];
  const incidents: CorrelationIncident[] = [];
  const byId = new Map<string, CorrelationIncident>();
  const started = process.cpuUsage();
  for (const a of alerts) {
    const alert: CorrelationAlert = {
      fingerprint: a.fingerprint,
      labels: a.labels,
      severity: 'warning',
      startsAt: a.startsAt,
      status: 'firing',
      incidentId: null,
      suppressed: false,
    };
    const d = correlate(alert, recent, incidents, settings.topology, settings.config, T0);
    let id = d.incidentId;
    if (id === null) {
      id = `i${incidents.length}`;
      const incident: CorrelationIncident = { id, state: 'open', severity: 'warning', openedAt: T0, alerts: [] };
      incidents.push(incident);
      byId.set(id, incident);
    }
    byId.get(id)!.alerts.push(a.fingerprint);
    recent.push({ ...alert, incidentId: id, suppressed: d.suppressed !== null });
  }
  return cpuMs(started);
}

async function main(): Promise<void> {
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    ours.push(await vigil());
    // The brute force is O(n²) in the window (10 s and more): one run is enough to show it.
    if (r === 0 && BASELINE) {
      baseline.push(bruteForce());
    }
  }
  const min = (xs: number[]) => (xs.length === 0 ? NaN : Math.round(Math.min(...xs)));
  console.log(
    `${ALERTS} alerts, ${SERVICES} service(s), batches of ${BATCH}: correlateBatch (fire and resolve) ` +
      `${min(ours)} ms CPU (runs: ${ours.map(Math.round).join(', ')}); core correlate over every recent ` +
      `alert (firing decisions only) ${min(baseline)} ms`
  );
  console.log(
    JSON.stringify({
      bench: 'correlate-storm',
      speedup: Math.round((min(baseline) / min(ours)) * 1000) / 1000,
      ours: min(ours),
      baseline: min(baseline),
      unit: 'ms CPU',
      ours_is:
        'sidecar correlateBatch: decisions, incidents, records, timeline and writes planned, firing and resolving',
      baseline_is: 'core correlate() over every recent alert, the firing decisions only (no bookkeeping)',
      alerts: ALERTS,
      services: SERVICES,
      batch: BATCH,
      store: STORE,
    })
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
