/**
 * `npm run bench:rules`: cycle time of Vigil's rule engine against Prometheus' rule manager evaluating
 * the same rules over the same data, measured in the same run on a real Prometheus.
 *
 * Data: 2,000 services × 5 instances (request counters by code, a CPU gauge: 30k series), pushed once
 * with remote write, one sample every 15 s from 6 minutes before the start to 12 minutes after it, so
 * every rate() window is full and nothing writes while either engine is measured. Rules (see
 * bench/rules/ruleset.ts): 5 per service (error ratio warning + critical on one query, CPU warning +
 * critical on another, low traffic), every query returning 5 series; 1k rules = the first 200
 * services, 10k = all of them. Every rule at a 15 s interval, on both sides.
 *
 * For each size, one after the other (never both at once: they would share the 2 cores):
 *  1. Prometheus loads the rules from its rule file (groups of 100) and evaluates them; baseline = the
 *     sum of `prometheus_rule_group_last_duration_seconds` over the groups of one round (median of the
 *     measured rounds, after a warm-up round). See prometheusBaseline.ts for why the sum.
 *  2. The compiled sidecar loads the same rules from rule files and evaluates them against that
 *     Prometheus; ours = the sum of its ticks' durations (first query to store commit) per interval
 *     (`vigil_rule_tick_duration_seconds`), after a warm-up interval. See vigilRun.ts.
 * speedup = baseline / ours. Both sides' pending alerts are printed: they must agree. CPU seconds per
 * interval are in the JSON too (`*_cpu_*`, `speedup_cpu_*`; Vigil's = the sidecar's plus Prometheus'
 * answering its queries): the total cost, which wall time hides when work runs in parallel.
 *
 * Env: SIZES (default "1000,10000"), ROUNDS (measured intervals, default 3), CPU_PROFILE_DIR (writes
 * a V8 CPU profile of the sidecar per size). The last line of output is one JSON object.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startPrometheus } from '../test/harness';
import { measurePrometheus, type PromBaseline } from './rules/prometheusBaseline';
import { pushBulk } from './rules/remoteWrite';
import {
  benchRules,
  benchSeries,
  distinctQueries,
  INSTANCES,
  prometheusRuleFile,
  RULES_PER_SERVICE,
  vigilRuleFile,
} from './rules/ruleset';
import { measureVigil, type VigilRun } from './rules/vigilRun';

const SIZES = (process.env.SIZES ?? '1000,10000').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const INTERVAL_S = 15;
const RULES_PER_FILE = 500;
const BUDGET_MS = 9.5 * 60_000;

const r3 = (x: number) => Math.round(x * 1000) / 1000;

async function activePrometheusAlerts(url: string): Promise<Record<string, number>> {
  const res = await fetch(`${url}/api/v1/alerts`);
  const body = (await res.json()) as { data: { alerts: Array<{ state: string }> } };
  const out: Record<string, number> = {};
  for (const a of body.data.alerts) {
    out[a.state] = (out[a.state] ?? 0) + 1;
  }
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  const services = Math.max(...SIZES) / RULES_PER_SERVICE;
  const prom = await startPrometheus({ remoteWrite: true, rules: 'groups: []\n', scrapeInterval: '15s' });
  const results: Array<{ size: number; prom: PromBaseline; promAlerts: Record<string, number>; vigil: VigilRun }> = [];
  try {
    const ruleFile = join(dirname(prom.dataDir), 'rules.yml');
    const series = benchSeries(services, started - 6 * 60_000, started + 12 * 60_000, INTERVAL_S * 1000);
    for (let i = 0; i < series.length; i += 1500) {
      await pushBulk(prom.url, series.slice(i, i + 1500));
    }
    const samples = series.reduce((a, s) => a + s.timestamps.length, 0);
    console.log(
      `data: ${series.length} series, ${samples} samples pushed in ${((Date.now() - started) / 1000).toFixed(1)} s`
    );

    for (const size of SIZES) {
      const rules = benchRules(size / RULES_PER_SERVICE);
      console.log(
        `\n${size} rules (${distinctQueries(rules)} distinct queries, ${INSTANCES} series each), every ${INTERVAL_S} s`
      );
      let promAlerts: Record<string, number> = {};
      const p = await measurePrometheus({
        url: prom.url,
        ruleFile,
        ruleYaml: prometheusRuleFile(rules, `${INTERVAL_S}s`, `bench${size}`),
        prefix: `bench${size}`,
        expectedRules: size,
        rounds: ROUNDS,
        intervalSeconds: INTERVAL_S,
        deadline,
        beforeUnload: async () => {
          promAlerts = await activePrometheusAlerts(prom.url);
        },
      });
      console.log(
        `  Prometheus: ${p.groups} groups, sum of group durations ${p.sumSeconds.toFixed(3)} s per round ` +
          `(rounds ${p.rounds.map((r) => r.sum.toFixed(3)).join(', ')}), largest group ${p.maxGroupSeconds.toFixed(3)} s, ` +
          `busy ${p.busySeconds.toFixed(3)} s, ${p.cpuSecondsPerInterval.toFixed(2)} CPU-s per interval, ${p.evaluationFailures} failures, alerts ${JSON.stringify(promAlerts)}`
      );
      const files: string[] = [];
      for (let i = 0; i < rules.length; i += RULES_PER_FILE) {
        files.push(vigilRuleFile(rules.slice(i, i + RULES_PER_FILE), `${INTERVAL_S}s`));
      }
      const profileDir = process.env.CPU_PROFILE_DIR ? join(process.env.CPU_PROFILE_DIR, String(size)) : undefined;
      if (profileDir) {
        mkdirSync(profileDir, { recursive: true });
      }
      const v = await measureVigil({
        prometheusUrl: prom.url,
        ruleFiles: files,
        expectedRules: size,
        rounds: ROUNDS,
        intervalSeconds: INTERVAL_S,
        deadline,
        cpuProfileDir: profileDir,
      });
      console.log(
        `  Vigil: ${v.tickSecondsPerInterval.toFixed(3)} s of ticks per interval (${v.ticksPerInterval.toFixed(0)} ticks` +
          `${v.busySecondsPerInterval !== null ? `, busy ${v.busySecondsPerInterval.toFixed(3)} s` : ''}), ` +
          `${v.queriesSentPerInterval.toFixed(0)} queries sent + ${v.queriesDeduplicatedPerInterval.toFixed(0)} deduplicated, ` +
          `sidecar ${v.sidecarCpuSecondsPerInterval.toFixed(2)} CPU-s + Prometheus ${v.prometheusCpuSecondsPerInterval.toFixed(2)} CPU-s ` +
          `per interval, ${v.skippedEvaluations} skipped, ${v.failedEvaluations} failed, alerts ${JSON.stringify(v.alerts)}, ` +
          `rule files loaded in ${v.loadSeconds.toFixed(1)} s`
      );
      console.log(`  speedup ${(p.sumSeconds / v.tickSecondsPerInterval).toFixed(2)}`);
      results.push({ size, prom: p, promAlerts, vigil: v });
    }
  } finally {
    await prom.stop();
  }
  console.log(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const head = results.find((r) => r.size === Math.max(...SIZES))!;
  const figures = Object.fromEntries(
    results.flatMap(({ size, prom: p, promAlerts, vigil: v }) => {
      const k = size >= 1000 ? `${size / 1000}k` : String(size);
      return [
        [`speedup_${k}`, r3(p.sumSeconds / v.tickSecondsPerInterval)],
        [`ours_${k}`, r3(v.tickSecondsPerInterval)],
        [`baseline_${k}`, r3(p.sumSeconds)],
        [`ours_busy_${k}`, v.busySecondsPerInterval === null ? null : r3(v.busySecondsPerInterval)],
        [`ours_cpu_${k}`, r3(v.sidecarCpuSecondsPerInterval + v.prometheusCpuSecondsPerInterval)],
        [`baseline_cpu_${k}`, r3(p.cpuSecondsPerInterval)],
        [
          `speedup_cpu_${k}`,
          r3(p.cpuSecondsPerInterval / (v.sidecarCpuSecondsPerInterval + v.prometheusCpuSecondsPerInterval)),
        ],
        [`baseline_busy_${k}`, r3(p.busySeconds)],
        [`baseline_max_group_${k}`, r3(p.maxGroupSeconds)],
        [`skipped_${k}`, v.skippedEvaluations],
        [`pending_${k}`, { ours: v.alerts.pending ?? 0, baseline: promAlerts.pending ?? 0 }],
      ];
    })
  );
  console.log(
    JSON.stringify({
      bench: 'rules',
      speedup: r3(head.prom.sumSeconds / head.vigil.tickSecondsPerInterval),
      ours: r3(head.vigil.tickSecondsPerInterval),
      baseline: r3(head.prom.sumSeconds),
      unit: 's',
      ours_is: 'sidecar rule engine: sum of tick durations (first query to store commit) per 15 s interval',
      baseline_is:
        'prometheus rule group evaluation: sum of prometheus_rule_group_last_duration_seconds over groups per round',
      rules: head.size,
      series_per_rule: INSTANCES,
      interval_s: INTERVAL_S,
      goal_within_interval: head.vigil.tickSecondsPerInterval < INTERVAL_S && head.vigil.skippedEvaluations === 0,
      ...figures,
    })
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
