/**
 * `npm run bench:slo`: the status of 1,000 SLOs kept current by Vigil's sidecar against the same
 * statuses kept by Prometheus from Vigil's generated recording rules (`vigil slo generate`), on one
 * real Prometheus holding 30 days of the same request counters, in the same run.
 *
 * Data and SLOs: bench/slo/dataset.ts (250 services × 4 SLOs: availability and three latency
 * objectives, rolling 30 days; 1,500 series backfilled with promtool, the last 40 minutes and the
 * minutes ahead by remote write).
 *
 * One side after the other (never both at once: they would share the 2 cores), both every minute:
 *  1. Prometheus loads the generated rule file (21 recording rules and 4 alerts per SLO, in two groups
 *     per SLO) at a 60 s evaluation interval and evaluates it for a warm-up and `ROUNDS` rounds
 *     (bench/rules/prometheusBaseline.ts).
 *  2. The compiled sidecar gets the same SLOs through its API and evaluates them every minute (its SLO
 *     rules' interval), a cold first interval (every SLO's hour buckets read) and `ROUNDS` measured
 *     intervals (bench/slo/vigilSlos.ts).
 * The figure is CPU seconds per evaluation of all SLOs: Prometheus' for its rules; Vigil's sidecar's
 * plus Prometheus' answering its queries; each process' idle CPU (measured before, with nothing to do)
 * subtracted. CPU, not wall time, because Prometheus runs its 2,000 groups in parallel goroutines: under
 * load their durations overlap and their sum counts the same second many times (it is printed beside,
 * `baseline_group_seconds_sum`, with the sidecar's tick time). speedup = baseline / ours. The largest
 * difference in budget remaining (percentage points) between Vigil's last evaluation of each SLO and
 * the generated rule's expression evaluated by Prometheus at the same instant is printed too: the
 * two must agree.
 *
 * Env: SERVICES (default 250, i.e. 1,000 SLOs), ROUNDS (default 3), CPU_PROFILE_DIR (a V8 profile
 * of the sidecar). The last line of output is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { queryPrometheus, sleep, startPrometheus } from '../test/harness';
import { prometheusRuleFile } from '@vigil/core';
import { ruleFileYaml } from '../sidecar/src/slo/rulesYaml';
import { scrape, sumOf } from './rules/metricsText';
import { measurePrometheus } from './rules/prometheusBaseline';
import { pushBulk } from './rules/remoteWrite';
import {
  backfillTimes,
  benchSlos,
  bulkSeries,
  dataset,
  writeOpenMetricsBlocks,
  trueBudgetRemaining,
  type DataSeries,
} from './slo/dataset';
import { measureVigilSlos } from './slo/vigilSlos';

const SERVICES = Number(process.env.SERVICES ?? 250);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
/** Prometheus' evaluation interval: the SLO rules' one in Vigil. */
const PROM_INTERVAL_S = 60;
const IDLE_MS = 20_000;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const BUDGET_MS = 25 * MIN;

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const log = (msg: string) => console.log(`[bench:slo] ${msg}`);

/** Pushes every minute after `from` up to `to` by remote write, in spans Prometheus' head accepts. */
async function pushMinutes(url: string, series: readonly DataSeries[], from: number, to: number): Promise<number> {
  let t = from;
  while (t <= to) {
    const end = Math.min(to, t + 30 * MIN);
    await pushBulk(url, bulkSeries(series, t, end));
    t = end + MIN;
  }
  return to;
}

async function main(): Promise<void> {
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  const now = Math.floor(Date.now() / MIN) * MIN;
  const origin = now - 31 * DAY;
  const backfillEnd = now - 40 * MIN;
  const series = dataset(SERVICES, origin, now - 2 * 60 * MIN);
  const slos = benchSlos(SERVICES, 'prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-slo-data-'));
  try {
    const { files, samples } = await writeOpenMetricsBlocks(dir, series, backfillTimes(origin, backfillEnd));
    log(
      `${series.length} series, ${samples} samples of history written (${((Date.now() - started) / 1000).toFixed(0)} s)`
    );
    const prom = await startPrometheus({
      backfillFiles: files,
      retention: '60d',
      scrapeInterval: `${PROM_INTERVAL_S}s`,
      rules: 'groups: []\n',
      remoteWrite: true,
      readyTimeoutMs: 300_000,
    });
    log(`Prometheus started on the backfilled blocks (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    try {
      let pushed = await pushMinutes(prom.url, series, backfillEnd + MIN, now + 15 * MIN);
      log(`Prometheus ready with the history (${((Date.now() - started) / 1000).toFixed(0)} s)`);

      // Prometheus' own CPU with no rules and no queries, subtracted from both sides.
      const idle0 = sumOf(await scrape(prom.url), 'process_cpu_seconds_total');
      const idleFrom = Date.now();
      await sleep(IDLE_MS);
      const promIdlePerRound =
        ((sumOf(await scrape(prom.url), 'process_cpu_seconds_total') - idle0) / ((Date.now() - idleFrom) / 1000)) *
        PROM_INTERVAL_S;
      const ruleYaml = ruleFileYaml(slos);
      const expectedRules = (ruleYaml.match(/^\s+- (record|alert):/gm) ?? []).length;
      const baseline = await measurePrometheus({
        url: prom.url,
        ruleFile: join(dirname(prom.dataDir), 'rules.yml'),
        ruleYaml,
        prefix: 'vigil-slo',
        expectedRules,
        rounds: ROUNDS,
        intervalSeconds: PROM_INTERVAL_S,
        deadline,
      });
      log(`Prometheus: ${baseline.groups} groups, ${baseline.rules} rules, ${r3(baseline.sumSeconds)} s per round`);

      // Vigil runs about five minutes: the data must reach past its last evaluation.
      pushed = await pushMinutes(prom.url, series, pushed + MIN, Date.now() + (ROUNDS + 5) * MIN);
      const vigil = await measureVigilSlos({
        prometheusUrl: prom.url,
        slos,
        rounds: ROUNDS,
        deadline,
        cpuProfileDir: process.env.CPU_PROFILE_DIR,
      });
      log(`Vigil: ${r3(vigil.tickSecondsPerInterval)} s per interval (cold ${r3(vigil.coldTickSeconds)} s)`);

      // Both sides must agree: the generated rule's budget expression, evaluated by Prometheus at the
      // instant of each SLO's last evaluation by Vigil, against Vigil's budget remaining.
      const file = prometheusRuleFile(slos);
      let maxDiff = 0;
      let worst = '';
      let vigilTruth = 0;
      let promTruth = 0;
      let compared = 0;
      for (const slo of slos) {
        const v = vigil.budgetRemaining.get(slo.id);
        const rule = file.groups
          .find((g) => g.name === `vigil-slo-${slo.id}-recordings`)
          ?.rules.find((r) => 'record' in r && r.record === 'slo:sli_error:ratio_rate30d');
        if (!v || !rule) {
          continue;
        }
        const budget = 1 - slo.target / 100;
        const [sample] = await queryPrometheus(prom.url, `clamp_min(1 - (${rule.expr}) / ${budget}, 0)`, v.at / 1000);
        if (sample) {
          const diff = Math.abs(Number(sample.value[1]) - v.remaining);
          if (diff > maxDiff) {
            maxDiff = diff;
            worst = slo.id;
          }
          compared++;
          // And each side against the events the data really holds.
          const truth = trueBudgetRemaining(slo, series, v.at);
          vigilTruth = Math.max(vigilTruth, Math.abs(v.remaining - truth));
          promTruth = Math.max(promTruth, Math.abs(Number(sample.value[1]) - truth));
        }
      }
      const vigilCpu = vigil.sidecarCpuSecondsPerInterval + vigil.prometheusCpuSecondsPerInterval - promIdlePerRound;
      const baselineCpu = baseline.cpuSecondsPerInterval - promIdlePerRound;
      console.log(
        JSON.stringify({
          bench: 'slo',
          slos: slos.length,
          speedup: r3(baselineCpu / vigilCpu),
          ours: r3(vigilCpu),
          baseline: r3(baselineCpu),
          unit: 'CPU seconds per evaluation of all SLOs (Vigil: sidecar + Prometheus answering it; idle CPU subtracted)',
          ours_cpu_sidecar: r3(vigil.sidecarCpuSecondsPerInterval),
          ours_cpu_prometheus: r3(vigil.prometheusCpuSecondsPerInterval - promIdlePerRound),
          ours_tick_seconds: r3(vigil.tickSecondsPerInterval),
          ours_cold_first_interval_tick_seconds: r3(vigil.coldTickSeconds),
          ours_busy_seconds: vigil.busySecondsPerInterval === null ? null : r3(vigil.busySecondsPerInterval),
          ours_query_requests: Math.round(vigil.queryRequestsPerInterval),
          baseline_group_seconds_sum: r3(baseline.sumSeconds),
          baseline_busy_seconds: r3(baseline.busySeconds),
          baseline_max_group_seconds: r3(baseline.maxGroupSeconds),
          speedup_wall_sum: r3(baseline.sumSeconds / vigil.tickSecondsPerInterval),
          idle_cpu_prometheus: r3(promIdlePerRound),
          idle_cpu_sidecar: r3(vigil.sidecarIdleCpuSecondsPerInterval),
          baseline_groups: baseline.groups,
          baseline_rules: baseline.rules,
          baseline_failures: baseline.evaluationFailures,
          ours_failures: vigil.failedEvaluations,
          ours_create_seconds: r3(vigil.createSeconds),
          budget_compared: compared,
          budget_max_diff_pp: r3(maxDiff * 100),
          budget_max_diff_slo: worst,
          budget_max_diff_truth_pp_vigil: r3(vigilTruth * 100),
          budget_max_diff_truth_pp_prometheus: r3(promTruth * 100),
          history_samples: samples,
          interval_seconds: PROM_INTERVAL_S,
        })
      );
    } finally {
      await prom.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
