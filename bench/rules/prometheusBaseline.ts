/**
 * The baseline of the rule benchmark: Prometheus evaluating the same rules from its own rule file.
 * The rule file is swapped in with a config reload, then Prometheus' rule-group metrics are read
 * every second until every group has run `rounds` measured evaluations after a warm-up one.
 *
 * Prometheus runs each group in its own goroutine, and with the default group offsets (a hash of
 * the group's name) the groups of one round start spread over the interval rather than together,
 * so no single wall time of "one round" exists. The figure compared with Vigil's cycle is the sum of
 * the groups' `prometheus_rule_group_last_duration_seconds` in one round: the evaluation time the
 * rule set costs per interval, which is what Vigil's one tick for all rules does. The largest group
 * and Prometheus' CPU seconds per interval are reported beside it.
 */
import { writeFileSync } from 'node:fs';
import { sleep } from '../../test/harness';
import { median, scrape, select, sumOf } from './metricsText';

/** One round of Prometheus' rule evaluation. */
export interface PromRound {
  /** Iteration number (1 is the warm-up, not measured). */
  round: number;
  /** Sum of the groups' durations, seconds. */
  sum: number;
  /** The longest group, seconds. */
  max: number;
  /** Wall time during which at least one group ran, seconds (the sum without overlaps). */
  busy: number;
}

/** What {@link measurePrometheus} found. */
export interface PromBaseline {
  groups: number;
  rules: number;
  rounds: PromRound[];
  /** Median over the measured rounds of the per-round sum, seconds. */
  sumSeconds: number;
  /** Median over the measured rounds of the longest group, seconds. */
  maxGroupSeconds: number;
  /** Median over the measured rounds of the wall time with a group running, seconds. */
  busySeconds: number;
  /** Prometheus' CPU seconds per interval while the rules ran (everything it did; nothing else ran). */
  cpuSecondsPerInterval: number;
  evaluationFailures: number;
}

/** Length of the union of the evaluations [start, start + duration] (start and duration in seconds). */
function busy(spans: ReadonlyArray<[number, number]>): number {
  let total = 0;
  let end = -Infinity;
  for (const [start, d] of [...spans].sort((a, b) => a[0] - b[0])) {
    total += Math.max(0, start + d - Math.max(start, end));
    end = Math.max(end, start + d);
  }
  return total;
}

async function reload(url: string): Promise<void> {
  const res = await fetch(`${url}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(120_000) });
  if (!res.ok) {
    throw new Error(`reload Prometheus: HTTP ${res.status} ${await res.text()}`);
  }
}

/**
 * Loads `ruleYaml` (groups named `<prefix>-NNN`) into Prometheus through its rule file and reload
 * endpoint, measures `rounds` evaluations after one warm-up, then empties the rule file again.
 */
export async function measurePrometheus(opts: {
  url: string;
  ruleFile: string;
  ruleYaml: string;
  prefix: string;
  expectedRules: number;
  rounds: number;
  intervalSeconds: number;
  deadline: number;
  /** Runs after the measurement, before the rules are removed (e.g. to read the active alerts). */
  beforeUnload?: () => Promise<void>;
}): Promise<PromBaseline> {
  writeFileSync(opts.ruleFile, opts.ruleYaml);
  await reload(opts.url);
  const ours = (rg: string | undefined) => rg !== undefined && rg.split(';')[1]?.startsWith(`${opts.prefix}-`);
  // durations[group]: evaluation timestamp → duration, in the order seen (round 1 first).
  const durations = new Map<string, Map<number, number>>();
  let cpuStart: { at: number; cpu: number } | undefined;
  let last = { at: 0, cpu: 0 };
  let rules = 0;
  let failures = 0;
  for (;;) {
    const m = await scrape(opts.url);
    const now = Date.now();
    const cpu = sumOf(m, 'process_cpu_seconds_total');
    cpuStart ??= { at: now, cpu };
    last = { at: now, cpu };
    rules = select(m, 'prometheus_rule_group_rules')
      .filter((s) => ours(s.labels.rule_group))
      .reduce((a, s) => a + s.value, 0);
    failures = select(m, 'prometheus_rule_evaluation_failures_total')
      .filter((s) => ours(s.labels.rule_group))
      .reduce((a, s) => a + s.value, 0);
    // The iteration counter moves before a group's evaluation and its duration after, so an
    // evaluation is identified by its timestamp, which is set together with the duration.
    for (const ts of select(m, 'prometheus_rule_group_last_evaluation_timestamp_seconds')) {
      const group = ts.labels.rule_group;
      if (!ours(group) || ts.value <= 0) {
        continue;
      }
      const d = select(m, 'prometheus_rule_group_last_duration_seconds', { rule_group: group })[0];
      const seen = durations.get(group) ?? new Map<number, number>();
      durations.set(group, seen);
      if (d && !seen.has(ts.value)) {
        seen.set(ts.value, d.value);
      }
    }
    const groups = [...durations.values()];
    const expectedGroups = select(m, 'prometheus_rule_group_rules').filter((s) => ours(s.labels.rule_group)).length;
    const done =
      rules === opts.expectedRules &&
      groups.length === expectedGroups &&
      groups.every((g) => g.size >= opts.rounds + 1);
    if (done || Date.now() > opts.deadline) {
      break;
    }
    await sleep(1000);
  }
  await opts.beforeUnload?.();
  writeFileSync(opts.ruleFile, 'groups: []\n');
  await reload(opts.url);

  const rounds: PromRound[] = [];
  for (let r = 2; r <= opts.rounds + 1; r++) {
    const per = [...durations.values()].map((g) => [...g.entries()][r - 1]);
    // A round counts only when every group's duration for it was seen.
    if (per.length > 0 && per.every((d) => d !== undefined)) {
      const spans = per as Array<[number, number]>;
      const ds = spans.map(([, d]) => d);
      rounds.push({ round: r, sum: ds.reduce((a, b) => a + b, 0), max: Math.max(...ds), busy: busy(spans) });
    }
  }
  if (rounds.length === 0) {
    throw new Error(`Prometheus (${opts.prefix}): no complete measured round before the deadline`);
  }
  const intervals = (last.at - cpuStart!.at) / 1000 / opts.intervalSeconds;
  return {
    groups: durations.size,
    rules,
    rounds,
    sumSeconds: median(rounds.map((r) => r.sum)),
    maxGroupSeconds: median(rounds.map((r) => r.max)),
    busySeconds: median(rounds.map((r) => r.busy)),
    cpuSecondsPerInterval: intervals > 0 ? (last.cpu - cpuStart!.cpu) / intervals : NaN,
    evaluationFailures: failures,
  };
}
