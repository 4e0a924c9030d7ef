/**
 * `npm run bench:notify`: Vigil's notification path against Alertmanager's, on one stream of alerts
 * measured in the same run, both delivering to the same loopback webhook sink.
 *
 * Stream (bench/notify/stream.ts): 10k alerts in 500 groups (grouped by alertname), POSTed in batches
 * of 100 with 4 requests in flight; every alert fires, then, once all were delivered, every alert
 * resolves. Same group_by, group_wait and group_interval on both sides (default 1s / 1s). The alerts
 * started a minute before (as Prometheus' alerts with a `for` do), so on both sides a new group
 * flushes at once (Alertmanager's rule for alerts older than group_wait) and later alerts of a group
 * wait for its group_interval.
 *  1. The real Alertmanager 0.25 (Debian package) takes the stream on `POST /api/v2/alerts` (what
 *     Prometheus does) and delivers through its webhook receiver.
 *  2. The compiled sidecar (SQLite store) takes the same stream on `POST /api/v1/receivers/alertmanager`
 *     (Alertmanager webhook v4 bodies) and delivers through a webhook channel. Its inbox, groups and
 *     outbox are durable, Alertmanager's are in memory.
 * The sides run one after the other (never both at once: they would share the 2 cores).
 *
 * Figures per side: alerts/s ingested, p50 / p99 ingest-to-delivery latency per alert (from the POST
 * that carried it to the first notification holding it, firing and resolving phases together), and
 * the stream's time (sum over both phases of first POST → last alert delivered), and each phase's last
 * burst (its final tick's notifications, first → last arrival: how long a side takes to send a tick's
 * notifications, apart from the intake's timing), and each phase's timeline (when its intake was
 * answered, and every burst's first and last arrival, ms after the phase's first POST: whether a side's
 * ticks start on time and how long it takes to send them). speedup =
 * Alertmanager's time / Vigil's time (above 1: Vigil is faster).
 *
 * Correlation (issue 11): off unless CORRELATION=1, which runs the same storm through the sidecar with
 * `correlation.enabled: true` (the JSON line says which ran: `"correlation": true|false`). The stream's
 * alerts carry one `service` label per group (svc-<g>) and no topology or symptom groups, so with
 * correlation on they form 500 independent incidents of 20 alerts each (same_service), one per group:
 * the same groups and notifications as with it off, plus the incident bookkeeping — which is what
 * the switch measures. (One service for all 10k alerts would make one incident whose alerts all join
 * the groups of the alert that opened it: one notification stream instead of 500.)
 *
 * Env: ALERTS (10000), ALERT_GROUPS (500), BATCH (100), CONCURRENCY (4), GROUP_WAIT ("1s"), GROUP_INTERVAL
 * ("1s"), CORRELATION ("1": on), CPU_PROFILE_DIR (writes a V8 CPU profile of the sidecar). The last line
 * is one JSON object.
 */
import { mkdirSync } from 'node:fs';
import { startWebhookSink } from '../test/harness';
import { runAlertmanager, runVigil, type SideResult } from './notify/sides';
import { makeStream, percentile, type Burst } from './notify/stream';

const ALERTS = Number(process.env.ALERTS ?? 10_000);
const GROUPS = Number(process.env.ALERT_GROUPS ?? 500);
const BATCH = Number(process.env.BATCH ?? 100);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const CORRELATION = process.env.CORRELATION === '1';
const timers = { groupWait: process.env.GROUP_WAIT ?? '1s', groupInterval: process.env.GROUP_INTERVAL ?? '1s' };

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** The figures of one side. */
function figures(s: SideResult) {
  const alerts = s.phases.reduce((n, p) => n + p.alerts, 0);
  const ingest = s.phases.reduce((n, p) => n + p.ingestSeconds, 0);
  const latencies = s.phases.flatMap((p) => p.latenciesMs);
  const byPhase = Object.fromEntries(
    s.phases.map((p) => [
      p.status,
      {
        alertsPerSecond: p.alerts / p.ingestSeconds,
        p50: percentile(p.latenciesMs, 50),
        p99: percentile(p.latenciesMs, 99),
        seconds: p.seconds,
        notifications: p.notifications,
        lastBurst: p.lastBurst,
        bursts: p.bursts,
        ingestSeconds: p.ingestSeconds,
      },
    ])
  );
  return {
    alertsPerSecond: alerts / ingest,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    seconds: s.phases.reduce((n, p) => n + p.seconds, 0),
    notifications: s.phases.reduce((n, p) => n + p.notifications, 0),
    cpuSeconds: s.cpuSeconds,
    byPhase,
  };
}

function table(rows: Array<[string, ReturnType<typeof figures>]>): string {
  const head = ['side', 'alerts/s in', 'p50 ms', 'p99 ms', 'max ms', 'time s', 'notifications', 'CPU s'];
  const lines = rows.map(([name, f]) => [
    name,
    f.alertsPerSecond.toFixed(0),
    f.p50.toFixed(0),
    f.p99.toFixed(0),
    f.max.toFixed(0),
    f.seconds.toFixed(2),
    String(f.notifications),
    f.cpuSeconds.toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(head), ...lines.map(fmt)].join('\n');
}

/** A phase's timeline: its intake's end and each burst of notifications (first–last arrival ×count). */
function timeline(p: { ingestSeconds: number; bursts: Burst[] }): string {
  const intake = Math.round(p.ingestSeconds * 1000);
  return `intake answered at ${intake}, ` + p.bursts.map((b) => `${b.fromMs}–${b.toMs} ×${b.notifications}`).join(', ');
}

async function main(): Promise<void> {
  const started = Date.now();
  const stream = makeStream(ALERTS, GROUPS, started - 60_000);
  const sink = await startWebhookSink();
  const profileDir = process.env.CPU_PROFILE_DIR;
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
  }
  const opts = { stream, batchSize: BATCH, concurrency: CONCURRENCY, timers, sink, timeoutMs: 180_000 };
  let am: SideResult;
  let vigil: SideResult;
  try {
    console.log(
      `stream: ${ALERTS} alerts in ${GROUPS} groups, batches of ${BATCH}, ${CONCURRENCY} POSTs in flight, ` +
        `group_wait ${timers.groupWait}, group_interval ${timers.groupInterval}; fire all, then resolve all; ` +
        `correlation ${CORRELATION ? 'on' : 'off'}`
    );
    am = await runAlertmanager(opts);
    vigil = await runVigil({ ...opts, cpuProfileDir: profileDir, correlation: CORRELATION });
  } finally {
    await sink.stop();
  }
  const a = figures(am);
  const v = figures(vigil);
  console.log(
    `\n${table([
      ['Alertmanager 0.25', a],
      ['Vigil', v],
    ])}`
  );
  for (const status of ['firing', 'resolved']) {
    const pa = a.byPhase[status];
    const pv = v.byPhase[status];
    console.log(
      `  ${status}: Alertmanager ${pa.alertsPerSecond.toFixed(0)} alerts/s, p50 ${pa.p50} ms, p99 ${pa.p99} ms, ${pa.seconds.toFixed(2)} s, ${pa.notifications} notifications | ` +
        `Vigil ${pv.alertsPerSecond.toFixed(0)} alerts/s, p50 ${pv.p50} ms, p99 ${pv.p99} ms, ${pv.seconds.toFixed(2)} s, ${pv.notifications} notifications; ` +
        `last burst: Alertmanager ${pa.lastBurst.notifications} in ${pa.lastBurst.ms} ms, Vigil ${pv.lastBurst.notifications} in ${pv.lastBurst.ms} ms`
    );
    console.log(`    timeline (ms after the phase's first POST): Alertmanager ${timeline(pa)} | Vigil ${timeline(pv)}`);
  }
  const speedup = a.seconds / v.seconds;
  console.log(
    `speedup ${speedup.toFixed(2)} (time), ingest ${(v.alertsPerSecond / a.alertsPerSecond).toFixed(2)}, ` +
      `p99 ${(a.p99 / v.p99).toFixed(2)}; wall time ${((Date.now() - started) / 1000).toFixed(1)} s`
  );
  console.log(
    JSON.stringify({
      bench: 'notify',
      speedup: r3(speedup),
      ours: r3(v.seconds),
      baseline: r3(a.seconds),
      unit: 's',
      ours_is:
        'Vigil sidecar (dist, SQLite): receiver → webhook channel; sum over the firing and resolving phases of first POST → last alert delivered',
      baseline_is:
        'Alertmanager 0.25: /api/v2/alerts → webhook receiver; sum over the firing and resolving phases of first POST → last alert delivered',
      alerts: ALERTS,
      groups: GROUPS,
      batch: BATCH,
      concurrency: CONCURRENCY,
      group_wait: timers.groupWait,
      group_interval: timers.groupInterval,
      correlation: CORRELATION,
      ingest_alerts_per_s: { ours: Math.round(v.alertsPerSecond), baseline: Math.round(a.alertsPerSecond) },
      speedup_ingest: r3(v.alertsPerSecond / a.alertsPerSecond),
      p50_ms: { ours: v.p50, baseline: a.p50 },
      p99_ms: { ours: v.p99, baseline: a.p99 },
      speedup_p99: r3(a.p99 / v.p99),
      notifications: { ours: v.notifications, baseline: a.notifications },
      cpu_s: { ours: r3(v.cpuSeconds), baseline: r3(a.cpuSeconds) },
      // Each phase's last burst of notifications (its final tick), first → last arrival: [firing, resolved].
      last_burst_ms: {
        ours: [v.byPhase.firing.lastBurst.ms, v.byPhase.resolved.lastBurst.ms],
        baseline: [a.byPhase.firing.lastBurst.ms, a.byPhase.resolved.lastBurst.ms],
      },
      // Each phase's bursts, ms after its first POST (first and last arrival, notifications): [firing, resolved].
      bursts: {
        ours: [v.byPhase.firing.bursts, v.byPhase.resolved.bursts],
        baseline: [a.byPhase.firing.bursts, a.byPhase.resolved.bursts],
      },
      goal_met: speedup >= 1 && v.alertsPerSecond >= a.alertsPerSecond && v.p99 <= a.p99,
    })
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
