/**
 * Vigil's side of the SLO benchmark, on the path the product runs: the compiled sidecar
 * (sidecar/dist/main.js) as its own process on SQLite, the SLOs created through its API
 * (`POST /api/v1/slos`, as a user or the Grafana page would), each evaluated by its SLO rule on the
 * rule engine's schedule (every minute) against the same Prometheus, statuses stored.
 *
 * Figures, from the sidecar's `/metrics`: the sum of the rule engine's tick durations over one
 * interval (`vigil_rule_tick_duration_seconds`: first query to store commit), for the first interval
 * after the SLOs were created (cold: every SLO's hour buckets are read) and then per interval over
 * `rounds` measured intervals (warm); CPU seconds of the sidecar and of Prometheus per interval.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Slo } from '@vigil/core';
import { sleep } from '../../test/harness';
import { sidecarFetch, startSidecar } from '../../test/harness/sidecar';
import { sloToSpec } from '../../sidecar/src/slo/spec';
import { scrape, sumOf, type MetricSample } from '../rules/metricsText';

/** What {@link measureVigilSlos} found. */
export interface VigilSloRun {
  slos: number;
  /** Seconds to create the SLOs through the API. */
  createSeconds: number;
  /** Sum of tick durations in the first interval (cold hour buckets), seconds. */
  coldTickSeconds: number;
  /** Sum of tick durations per measured interval (the headline), seconds. */
  tickSecondsPerInterval: number;
  busySecondsPerInterval: number | null;
  queryRequestsPerInterval: number;
  /** The sidecar's CPU per interval for the SLOs (its idle CPU subtracted). */
  sidecarCpuSecondsPerInterval: number;
  sidecarIdleCpuSecondsPerInterval: number;
  prometheusCpuSecondsPerInterval: number;
  failedEvaluations: number;
  /** Budget remaining per SLO id and when it was evaluated, as `GET /api/v1/slos` reports it after the run. */
  budgetRemaining: Map<string, { remaining: number; at: number }>;
}

const INTERVAL_S = 60;
const IDLE_MS = 15_000;

/** Starts the sidecar, creates `slos`, measures one cold and `rounds` warm intervals, stops it. */
export async function measureVigilSlos(opts: {
  prometheusUrl: string;
  slos: readonly Slo[];
  rounds: number;
  deadline: number;
  cpuProfileDir?: string;
}): Promise<VigilSloRun> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-slo-'));
  const sc = await startSidecar({
    dir,
    entry: 'dist',
    config: {
      log: { level: 'warn' },
      datasources: [{ name: 'prometheus', type: 'prometheus', url: opts.prometheusUrl }],
    },
    nodeArgs: opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [],
  });
  try {
    // The sidecar's own CPU with nothing to evaluate (timers, metrics, GC), subtracted from the figures.
    const auth = { Authorization: `Bearer ${sc.token}` };
    await sleep(IDLE_MS); // start-up work (migrations, JIT, first GC) is not idle
    const idle0 = await scrape(sc.url, auth);
    const idleFrom = Date.now();
    await sleep(IDLE_MS);
    const idleCpuPerSecond =
      (sumOf(await scrape(sc.url, auth), 'process_cpu_seconds_total') - sumOf(idle0, 'process_cpu_seconds_total')) /
      ((Date.now() - idleFrom) / 1000);
    const t0 = Date.now();
    for (const slo of opts.slos) {
      const res = await sidecarFetch(sc, '/api/v1/slos', { method: 'POST', body: sloToSpec(slo) });
      if (res.status !== 201 && res.status !== 200) {
        throw new Error(`POST /api/v1/slos ${slo.id}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    const createSeconds = (Date.now() - t0) / 1000;
    const s0 = await scrape(sc.url, auth);
    await sleep(INTERVAL_S * 1000 + 2000);
    const [s1, p1] = await Promise.all([scrape(sc.url, auth), scrape(opts.prometheusUrl)]);
    const t1 = Date.now();
    const waitMs = opts.rounds * INTERVAL_S * 1000;
    if (t1 + waitMs > opts.deadline) {
      throw new Error('not enough time left for the measured intervals');
    }
    await sleep(waitMs);
    const [s2, p2] = await Promise.all([scrape(sc.url, auth), scrape(opts.prometheusUrl)]);
    const intervals = (Date.now() - t1) / 1000 / INTERVAL_S;
    const delta = (name: string, a: readonly MetricSample[], b: readonly MetricSample[], labels = {}) =>
      sumOf(b, name, labels) - sumOf(a, name, labels);
    const per = (name: string, a = s1, b = s2) => delta(name, a, b) / intervals;
    const has = (name: string) => s2.some((s) => s.name === name);
    type View = { id: string; status: { budgetRemaining?: number; evaluatedAt: number } | null };
    const list = await sidecarFetch<{ slos: View[] }>(sc, '/api/v1/slos');
    const budgetRemaining = new Map<string, { remaining: number; at: number }>();
    for (const s of list.body.slos) {
      if (typeof s.status?.budgetRemaining === 'number') {
        budgetRemaining.set(s.id, { remaining: s.status.budgetRemaining, at: s.status.evaluatedAt });
      }
    }
    return {
      slos: opts.slos.length,
      createSeconds,
      coldTickSeconds: delta('vigil_rule_tick_duration_seconds_sum', s0, s1),
      tickSecondsPerInterval: per('vigil_rule_tick_duration_seconds_sum'),
      busySecondsPerInterval: has('vigil_rule_engine_busy_seconds_total')
        ? per('vigil_rule_engine_busy_seconds_total')
        : null,
      queryRequestsPerInterval: per('vigil_rule_query_requests_total'),
      sidecarCpuSecondsPerInterval: per('process_cpu_seconds_total') - idleCpuPerSecond * INTERVAL_S,
      sidecarIdleCpuSecondsPerInterval: idleCpuPerSecond * INTERVAL_S,
      prometheusCpuSecondsPerInterval: per('process_cpu_seconds_total', p1, p2),
      failedEvaluations: delta('vigil_rule_evaluation_failures_total', s0, s2),
      budgetRemaining,
    };
  } finally {
    await sc.stop(30_000);
    rmSync(dir, { recursive: true, force: true });
  }
}
