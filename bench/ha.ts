/**
 * `npm run bench:ha` (issue 14): what HA costs. In one run, on one real PostgreSQL 15 (loopback):
 *  1. Notifications: the same stream (bench/notify/stream.ts: ALERTS alerts, fired, then resolved)
 *     delivered to one loopback webhook sink by one compiled sidecar on PostgreSQL (baseline), and by
 *     two replicas on one PostgreSQL database (ours; POSTs alternate between them, as a load balancer
 *     in front of the replicas would spread them; the leader dispatches, the standby's worker sends).
 *     The route groups by `alertname` (GROUP_BY): a phase is 500–1,500 notifications on 1 s group
 *     ticks, so a run's time is mostly which tick the last alert caught (a phase takes 1.7 s or 3.4 s
 *     for the same work), not how fast either side works: hence five rounds, below.
 *     GROUP_BY=alertname,instance makes every alert its own group (10k notifications a phase, no tick
 *     to catch: the pipeline's throughput, receive → route → flush → send), at 4× the run time.
 *     The figure of a side's run is the sum over both phases of first POST → last alert delivered.
 *  2. Rule cycle time: the compiled sidecar evaluating RULES rules (bench/rules/ruleset.ts, every
 *     15 s) on a real Prometheus, its store SQLite, then PostgreSQL: the sum of tick durations (first
 *     query to store commit) per interval, after a warm-up interval (bench/rules/vigilRun.ts).
 * The sides run one after the other (never at once: they would share the 2 cores).
 *
 * Each notification side runs NOTIFY_ROUNDS times, alternating (one, two, one, two, …: the machine's
 * noise hits both), each time on a fresh database. speedup = the sum of one sidecar's runs / the sum
 * of two replicas' runs; each round's ratio (one_i / two_i, run back to back) and the ratio of the
 * medians are reported too. Not the medians as the figure: a run's time is bimodal (a tick caught or
 * missed), and a median jumps from one mode to the other (0.90 where the sums gave 1.00).
 * Each side's duplicate deliveries (the sink's count of one notification identity above 1) are
 * reported; they must be 0.
 *
 * Env: ALERTS (10000), ALERT_GROUPS (500, the stream's alertnames), GROUP_BY (alertname),
 * BATCH (100), CONCURRENCY (4), NOTIFY_ROUNDS (5), RULES (1000; 0 skips the rule cycle), ROUNDS (2,
 * measured rule intervals). To find where a side's time goes: HA_CPU_PROF=<dir> runs every replica
 * with `--cpu-prof` into <dir>/<side>; HA_PG_LOG_MS=<ms> has PostgreSQL log each statement slower than
 * that (its log is copied to <dir or tmp>/postgres.log), with HA_PG_EXPLAIN=1 its plan too
 * (auto_explain, analyzed); HA_TIMELINE=1 prints deliveries per 100 ms of each phase.
 * The last line is one JSON object.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, startPrometheus, startWebhookSink } from '../test/harness';
import { runNotifySide, type HaSide } from './ha/notifySides';
import { makeStream } from './notify/stream';
import { pushBulk } from './rules/remoteWrite';
import { benchRules, benchSeries, RULES_PER_SERVICE, vigilRuleFile } from './rules/ruleset';
import { measureVigil, type VigilRun } from './rules/vigilRun';

const ALERTS = Number(process.env.ALERTS ?? 10_000);
const GROUPS = Number(process.env.ALERT_GROUPS ?? 500);
/** Each side runs this many times, alternating (one, two, one, two): the machine's noise hits both. */
const NOTIFY_ROUNDS = Number(process.env.NOTIFY_ROUNDS ?? 5);
const BATCH = Number(process.env.BATCH ?? 100);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const RULES = Number(process.env.RULES ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const INTERVAL_S = 15;
const CPU_PROF = process.env.HA_CPU_PROF;
const PG_LOG_MS = process.env.HA_PG_LOG_MS;
const BUDGET_MS = 9.5 * 60_000;

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const seconds = (s: HaSide) => s.phases.reduce((n, p) => n + p.seconds, 0);
/** The median of a non-empty list (the mean of the middle two for an even length). */
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Notification identities the sink accepted more than once on `path`. */
function duplicates(sink: Awaited<ReturnType<typeof startWebhookSink>>, path: string): number {
  const seen = new Map<string, number>();
  for (const r of sink.received()) {
    if (r.path === path && r.status === 200) {
      const b = r.body as {
        groupKey?: string;
        status?: string;
        alerts?: Array<{ fingerprint?: string; status?: string }>;
      };
      const key = `${b.groupKey}|${b.status}|${(b.alerts ?? [])
        .map((a) => `${a.fingerprint}:${a.status}`)
        .sort()
        .join(',')}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  return [...seen.values()].filter((n) => n > 1).length;
}

/** RULES=0: the notification half only. */
class SkipRules extends Error {}

async function main(): Promise<void> {
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  const pg = await startPostgres();
  if (PG_LOG_MS !== undefined) {
    await pg.sql(`ALTER SYSTEM SET log_min_duration_statement = ${Number(PG_LOG_MS)}`);
    if (process.env.HA_PG_EXPLAIN) {
      // auto_explain (contrib, in Debian's postgresql): the plans of the statements logged.
      await pg.sql(`ALTER SYSTEM SET session_preload_libraries = 'auto_explain'`);
      await pg.sql('SELECT pg_reload_conf()'); // the next connections load it: its settings are known
      await pg.sql(`ALTER SYSTEM SET auto_explain.log_min_duration = ${Number(PG_LOG_MS)}`);
      await pg.sql(`ALTER SYSTEM SET auto_explain.log_analyze = on`);
    }
    await pg.sql('SELECT pg_reload_conf()');
  }
  const sink = await startWebhookSink();
  const stream = makeStream(ALERTS, GROUPS, started - 60_000);
  const common = {
    stream,
    batchSize: BATCH,
    concurrency: CONCURRENCY,
    timers: { groupWait: process.env.GROUP_WAIT ?? '1s', groupInterval: '1s' },
    groupBy: (process.env.GROUP_BY ?? 'alertname').split(','),
    sink,
    timeoutMs: 180_000,
  };
  const one: HaSide[] = [];
  const two: HaSide[] = [];
  let ruleRuns: { sqlite: VigilRun; postgres: VigilRun };
  try {
    console.log(
      `stream: ${ALERTS} alerts (${GROUPS} alertnames) grouped by ${common.groupBy.join(', ')}, batches of ` +
        `${BATCH}, ${CONCURRENCY} POSTs in flight`
    );
    for (let round = 0; round < NOTIFY_ROUNDS; round++) {
      for (const [list, replicas] of [
        [one, 1],
        [two, 2],
      ] as const) {
        const name = `${replicas === 1 ? 'one' : 'two'}_${round}`;
        const side = await runNotifySide({
          ...common,
          name,
          replicas,
          store: { type: 'postgres', url: await pg.createDatabase(`bench_ha_${name}`) },
          nodeArgs: CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROF, name)}`] : undefined,
        });
        list.push(side);
        console.log(
          `  ${replicas === 1 ? 'one sidecar' : 'two replicas'} on PostgreSQL: ${seconds(side).toFixed(2)} s, ` +
            `${side.cpuSeconds.toFixed(2)} CPU s, ${duplicates(sink, `/${name}`)} duplicates`
        );
        for (const p of side.phases) {
          console.log(
            `    ${p.status}: ingest ${p.ingestSeconds.toFixed(2)} s, last delivery ${p.seconds.toFixed(2)} s, ` +
              `${p.notifications} notifications, last burst ${p.lastBurst.notifications} in ${p.lastBurst.ms} ms`
          );
        }
        if (process.env.HA_TIMELINE) {
          // Notifications arrived per 100 ms of each phase: where the phase's time goes.
          side.phases.forEach((p, i) => {
            const t0 = side.phaseStarts[i];
            const end = t0 + p.seconds * 1000;
            const hist = new Array<number>(Math.ceil(p.seconds * 10) + 1).fill(0);
            for (const r of sink.received()) {
              if (r.path === `/${name}` && r.at >= t0 && r.at <= end) {
                hist[Math.floor((r.at - t0) / 100)]++;
              }
            }
            console.log(`    ${p.status} per 100 ms: ${hist.join(' ')}`);
          });
        }
        for (const r of side.perReplica) {
          console.log(
            `    ${r.id}${r.leader ? ' (leader)' : ''}: ${r.cpuSeconds.toFixed(2)} CPU s, ${r.sent} notifications sent`
          );
        }
      }
    }

    if (RULES === 0) {
      throw new SkipRules();
    }
    const prom = await startPrometheus({ remoteWrite: true, rules: 'groups: []\n', scrapeInterval: '15s' });
    try {
      const services = RULES / RULES_PER_SERVICE;
      const series = benchSeries(services, started - 6 * 60_000, started + 12 * 60_000, INTERVAL_S * 1000);
      for (let i = 0; i < series.length; i += 1500) {
        await pushBulk(prom.url, series.slice(i, i + 1500));
      }
      const rules = benchRules(services);
      const ruleFiles: string[] = [];
      for (let i = 0; i < rules.length; i += 500) {
        ruleFiles.push(vigilRuleFile(rules.slice(i, i + 500), `${INTERVAL_S}s`)); // 4 MB per file at most
      }
      const run = (store?: Record<string, unknown>) =>
        measureVigil({
          prometheusUrl: prom.url,
          ruleFiles,
          expectedRules: RULES,
          rounds: ROUNDS,
          intervalSeconds: INTERVAL_S,
          deadline,
          store,
        });
      const sqlite = await run();
      const postgres = await run({ type: 'postgres', url: await pg.createDatabase('bench_ha_rules') });
      ruleRuns = { sqlite, postgres };
      console.log(
        `  rule cycle (${RULES} rules): SQLite ${sqlite.tickSecondsPerInterval.toFixed(3)} s, PostgreSQL ` +
          `${postgres.tickSecondsPerInterval.toFixed(3)} s of ticks per ${INTERVAL_S} s interval`
      );
    } finally {
      await prom.stop();
    }
  } catch (err) {
    if (!(err instanceof SkipRules)) {
      throw err;
    }
    const none: VigilRun = { tickSecondsPerInterval: NaN, failedEvaluations: 0 } as VigilRun;
    ruleRuns = { sqlite: none, postgres: none };
  } finally {
    await sink.stop();
    if (PG_LOG_MS !== undefined) {
      const dir = CPU_PROF ?? tmpdir();
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'postgres.log'), pg.logs());
      console.log(`PostgreSQL log: ${join(dir, 'postgres.log')}`);
    }
    await pg.stop();
  }
  const total = (sides: HaSide[], f: (s: HaSide) => number) => sides.reduce((n, s) => n + f(s), 0);
  const oneSeconds = total(one, seconds);
  const twoSeconds = total(two, seconds);
  const notifications = (s: HaSide) => s.phases.reduce((n, p) => n + p.notifications, 0);
  const dupes = (sides: HaSide[]) => total(sides, (s) => duplicates(sink, `/${s.name}`));
  const oneRuns = one.map(seconds);
  const twoRuns = two.map(seconds);
  const speedup = oneSeconds / twoSeconds;
  const ofMedians = median(oneRuns) / median(twoRuns);
  const perRound = oneRuns.map((t, i) => r3(t / twoRuns[i]));
  console.log(
    `speedup ${speedup.toFixed(2)} (medians ${ofMedians.toFixed(2)}; per round ${perRound.join(', ')}); ` +
      `wall time ${((Date.now() - started) / 1000).toFixed(1)} s`
  );
  console.log(
    JSON.stringify({
      bench: 'ha',
      speedup: r3(speedup),
      ours: r3(twoSeconds),
      baseline: r3(oneSeconds),
      unit: 's',
      ours_is:
        'two replicas (dist) on one PostgreSQL: receivers → webhook channel; sum over runs, firing and resolving of first POST → last alert delivered',
      baseline_is: 'one sidecar (dist) on PostgreSQL, the same stream and sink',
      speedup_of_medians: r3(ofMedians),
      speedup_per_round: perRound,
      alerts: ALERTS,
      alertnames: GROUPS,
      group_by: common.groupBy,
      notify_rounds: NOTIFY_ROUNDS,
      seconds_per_run: { ours: twoRuns.map(r3), baseline: oneRuns.map(r3) },
      notifications: { ours: total(two, notifications), baseline: total(one, notifications) },
      duplicates: { ours: dupes(two), baseline: dupes(one) },
      cpu_s: { ours: r3(total(two, (s) => s.cpuSeconds)), baseline: r3(total(one, (s) => s.cpuSeconds)) },
      rules: RULES,
      rule_tick_s_per_interval: {
        sqlite: r3(ruleRuns.sqlite.tickSecondsPerInterval),
        postgres: r3(ruleRuns.postgres.tickSecondsPerInterval),
      },
      rule_pg_over_sqlite: r3(ruleRuns.postgres.tickSecondsPerInterval / ruleRuns.sqlite.tickSecondsPerInterval),
      rule_failed_evaluations: {
        sqlite: ruleRuns.sqlite.failedEvaluations,
        postgres: ruleRuns.postgres.failedEvaluations,
      },
      goal_met: speedup >= 1 && dupes(two) === 0,
    })
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
