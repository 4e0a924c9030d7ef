/**
 * Vigil's side of the rule benchmark, on the path the product runs: the compiled sidecar
 * (sidecar/dist/main.js) as its own process, on SQLite, loading the rules from rule files in its
 * rules folder and evaluating them on its own schedule, against the same Prometheus.
 *
 * The engine spreads rules over the interval (rules sharing a query share an instant) and evaluates
 * the rules due together as one tick: queries, conditions, state machine, one store commit. The
 * figure compared with Prometheus' sum of group durations is the sum of the ticks' durations (first
 * query to store commit) over one interval, read from the sidecar's `/metrics`
 * (`vigil_rule_tick_duration_seconds`) as the difference between two scrapes `rounds` intervals
 * apart, after a warm-up interval. The engine's busy wall time (ticks may overlap), skipped
 * evaluations and the CPU seconds of the sidecar and of Prometheus (which runs the queries) are
 * reported beside it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../../test/harness';
import { startSidecar, type SidecarHandle } from '../../test/harness/sidecar';
import { scrape, sumOf, type MetricSample } from './metricsText';

/** What {@link measureVigil} found. */
export interface VigilRun {
  rules: number;
  /** Sum of tick durations per interval, seconds (the headline). */
  tickSecondsPerInterval: number;
  /** Wall time per interval during which at least one tick ran, seconds. */
  busySecondsPerInterval: number | null;
  ticksPerInterval: number;
  queriesSentPerInterval: number;
  queriesDeduplicatedPerInterval: number;
  skippedEvaluations: number;
  failedEvaluations: number;
  sidecarCpuSecondsPerInterval: number;
  prometheusCpuSecondsPerInterval: number;
  alerts: Record<string, number>;
  /** Seconds from start to the rule files loaded. */
  loadSeconds: number;
}

/** Waits until the sidecar log has a line with `msg` (JSON logs); returns the parsed line. */
async function waitForLog(sc: SidecarHandle, msg: string, deadline: number): Promise<Record<string, unknown>> {
  while (Date.now() < deadline) {
    for (const line of readFileSync(sc.logFile, 'utf8').split('\n')) {
      if (line.includes(msg)) {
        return JSON.parse(line) as Record<string, unknown>;
      }
    }
    await sleep(250);
  }
  throw new Error(`the sidecar did not log "${msg}" in time; log:\n${sc.logs().slice(-3000)}`);
}

/** Writes one rule file per text into `dir` (the sidecar reads files of at most 4 MB). */
export function writeRuleFiles(dir: string, fileTexts: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  fileTexts.forEach((text, i) => writeFileSync(join(dir, `bench-${String(i).padStart(3, '0')}.yml`), text));
}

/**
 * Starts the sidecar with `ruleFiles` in its rules folder, waits for the load and one warm-up
 * interval, measures `rounds` intervals, stops it and removes its folder.
 */
export async function measureVigil(opts: {
  prometheusUrl: string;
  ruleFiles: readonly string[];
  expectedRules: number;
  rounds: number;
  intervalSeconds: number;
  deadline: number;
  /** Folder for a V8 CPU profile of the sidecar (node --cpu-prof), when profiling. */
  cpuProfileDir?: string;
  /** The `store` section (default SQLite in the run's folder; bench:ha passes a PostgreSQL one). */
  store?: Record<string, unknown>;
}): Promise<VigilRun> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-rules-'));
  const rulesDir = join(dir, 'rules');
  writeRuleFiles(rulesDir, opts.ruleFiles);
  const started = Date.now();
  const sc = await startSidecar({
    dir,
    entry: 'dist',
    store: opts.store,
    config: {
      log: { level: 'info' },
      datasources: [{ name: 'prometheus', type: 'prometheus', url: opts.prometheusUrl }],
      rules: { dir: rulesDir },
    },
    nodeArgs: opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [],
  });
  try {
    const loaded = await waitForLog(sc, 'rule files loaded', opts.deadline);
    if (loaded.rules !== opts.expectedRules) {
      throw new Error(`the sidecar loaded ${String(loaded.rules)} rules, expected ${opts.expectedRules}`);
    }
    const loadSeconds = (Date.now() - started) / 1000;
    // Warm-up: every rule evaluated once (the first interval also fills connection pools and the JIT).
    await sleep(opts.intervalSeconds * 1000 + 2000);
    const auth = { Authorization: `Bearer ${sc.token}` };
    const [s1, p1] = await Promise.all([scrape(sc.url, auth), scrape(opts.prometheusUrl)]);
    const t1 = Date.now();
    const waitMs = opts.rounds * opts.intervalSeconds * 1000;
    if (t1 + waitMs > opts.deadline) {
      throw new Error('not enough time left for the measured intervals');
    }
    await sleep(waitMs);
    const [s2, p2] = await Promise.all([scrape(sc.url, auth), scrape(opts.prometheusUrl)]);
    const intervals = (Date.now() - t1) / 1000 / opts.intervalSeconds;
    const per = (name: string, labels: Record<string, string> = {}, a = s1, b = s2): number =>
      (sumOf(b, name, labels) - sumOf(a, name, labels)) / intervals;
    const has = (m: readonly MetricSample[], name: string) => m.some((s) => s.name === name);
    if (!has(s2, 'vigil_rule_tick_duration_seconds_sum')) {
      throw new Error('the sidecar exports no vigil_rule_tick_duration_seconds: cannot read its tick time');
    }
    const alerts: Record<string, number> = {};
    for (const s of s2.filter((x) => x.name === 'vigil_alerts')) {
      alerts[s.labels.state] = s.value;
    }
    return {
      rules: opts.expectedRules,
      tickSecondsPerInterval: per('vigil_rule_tick_duration_seconds_sum'),
      busySecondsPerInterval: has(s2, 'vigil_rule_engine_busy_seconds_total')
        ? per('vigil_rule_engine_busy_seconds_total')
        : null,
      ticksPerInterval: per('vigil_rule_tick_duration_seconds_count'),
      queriesSentPerInterval: per('vigil_rule_queries_total', { deduplicated: 'false' }),
      queriesDeduplicatedPerInterval: per('vigil_rule_queries_total', { deduplicated: 'true' }),
      skippedEvaluations: per('vigil_rule_evaluation_skips_total') * intervals,
      failedEvaluations: per('vigil_rule_evaluation_failures_total') * intervals,
      sidecarCpuSecondsPerInterval: per('process_cpu_seconds_total'),
      prometheusCpuSecondsPerInterval: per('process_cpu_seconds_total', {}, p1, p2),
      alerts,
      loadSeconds,
    };
  } finally {
    // SIGTERM: a graceful stop also writes the CPU profile when one was asked for.
    await sc.stop(30_000);
    rmSync(dir, { recursive: true, force: true });
  }
}
