/**
 * `npm run bench:correlate`: how much of an alert storm reaches a human, Vigil's correlation against
 * the best Alertmanager configuration for the same storms, measured in the same run.
 *
 * Topology (bench/correlate/topology.ts): 26 services, edge → gateways → APIs → domain services →
 * databases / queue / cache / search index, and the nodes the services run on. Scenarios
 * (bench/correlate/scenarios.ts): database cascade, noisy node, two unrelated failures at once, slow
 * drift, flapping check, cache fan-out, each a timed stream of alert episodes (alertname, service,
 * severity, startsAt/endsAt). Each scenario is replayed in compressed time (MS_PER_MINUTE ms of wall
 * clock per scenario minute, default 1000) into fresh sides running at once (bench/correlate/sides.ts):
 * Alertmanager 0.25 grouped by [cluster, service] with the topology compiled into inhibit rules (the
 * best equivalent: the baseline), the same grouped by [cluster] only (a bound), a typical
 * configuration (group_by [alertname, cluster], severity inhibition only; context), and the compiled
 * Vigil sidecar with the topology in `correlation.topology`. All deliver to one loopback webhook sink;
 * timers are the real defaults compressed the same way (group_wait 30 s, group_interval 5 m,
 * repeat_interval 4 h, correlation window 5 m), and Vigil's `keepFiringFor` is the window (its flap
 * damping; Alertmanager has no equivalent: its best is the grouping timers).
 *
 * Noise reduction is counted on pages, as BigPanda's alert-to-incident compression: 1 − pages / raw
 * alerts, where a page is every firing notification (a re-notification of the same incident counts
 * again). Resolve messages close a page rather than raise one; `notification_noise_reduction` counts
 * them too (1 − notifications / raw alerts). `floor_pages` is the fewest pages a side that pages every
 * root cause can send (one per independent failure): where Alertmanager is at it, no side can send
 * fewer, so `not_more_than_alertmanager` is reported beside the strict `fewer_than_alertmanager`.
 *
 * Per scenario and in total: raw alerts, pages and notifications per side, noise reduction, whether
 * every root-cause service was paged, and Vigil's incidents (`GET /api/v1/incidents`) with the root
 * cause they name. Env: SCENARIOS (comma-separated names),
 * MS_PER_MINUTE, VERBOSE=1 (every notification of every side). The last line is one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { startWebhookSink, type LoopbackServer } from '../test/harness';
import { waitOutboxSettled } from '../test/harness/notify';
import type { SidecarHandle } from '../test/harness/sidecar';
import { replay, type ReplayTimes } from './correlate/replay';
import { SCENARIOS, type Scenario } from './correlate/scenarios';
import { JSON_KEY, perSide, scenarioDetails, table, totals, type Outcome } from './correlate/report';
import {
  describeNotifications,
  scoreSide,
  vigilIncidents,
  type SideScore,
  type VigilIncidents,
} from './correlate/score';
import {
  ALERTMANAGER_VARIANTS,
  SIDE_NAMES,
  startAlertmanagerSide,
  startVigilSide,
  type SideName,
  type Timers,
} from './correlate/sides';
import { SERVICES } from './correlate/topology';

const MS_PER_MINUTE = Number(process.env.MS_PER_MINUTE ?? 1000);
const VERBOSE = process.env.VERBOSE === '1';
const ONLY = process.env.SCENARIOS?.split(',').filter(Boolean);
const TIMERS: Timers = {
  groupWait: 0.5 * MS_PER_MINUTE,
  groupInterval: 5 * MS_PER_MINUTE,
  repeatInterval: 240 * MS_PER_MINUTE,
  window: 5 * MS_PER_MINUTE,
  keepFiringFor: 5 * MS_PER_MINUTE,
};
const GROUP_BY = ['cluster', 'service'];

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until every side has had a full group_interval of quiet after the last update, then Vigil's outbox is empty. */
async function settle(
  sink: LoopbackServer,
  sides: Array<{ path: string; sidecar?: SidecarHandle }>,
  times: ReplayTimes
): Promise<void> {
  const quiet = TIMERS.groupInterval + 1500;
  // A held resolve goes out at the first flush keepFiringFor after the last update.
  const minWait = 2 * TIMERS.groupInterval + TIMERS.keepFiringFor + 1500;
  const deadline = Date.now() + 6 * TIMERS.groupInterval + TIMERS.keepFiringFor + 30_000;
  for (;;) {
    const paths = new Set(sides.map((s) => s.path));
    const last = Math.max(
      times.lastSentAt,
      ...sink
        .received()
        .filter((r) => paths.has(r.path))
        .map((r) => r.at)
    );
    if (Date.now() - times.lastSentAt >= minWait && Date.now() - last >= quiet) {
      break;
    }
    if (Date.now() > deadline) {
      break; // still sending: count what arrived
    }
    await sleep(250);
  }
  const vigil = sides.find((s) => s.sidecar);
  if (vigil?.sidecar) {
    await waitOutboxSettled(vigil.sidecar, 30_000);
  }
}

async function runScenario(s: Scenario, sink: LoopbackServer): Promise<Outcome> {
  const base = `/${s.name}`;
  const started = await Promise.allSettled([
    ...ALERTMANAGER_VARIANTS.map((v) => startAlertmanagerSide(v, sink, `${base}/${v.name}`, TIMERS)),
    startVigilSide(sink, `${base}/vigil`, GROUP_BY, TIMERS),
  ]);
  const sides = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // Stop what did start before giving up: no server outlives the benchmark.
    await Promise.all(sides.map((side) => side.stop()));
    throw failed.reason;
  }
  const sidecar = sides.find((side) => side.sidecar)!.sidecar!;
  let peak: VigilIncidents | undefined;
  try {
    const times = await replay(
      s,
      sides.map((side) => side.post),
      MS_PER_MINUTE,
      async (batch) => {
        if (!peak && batch.some((u) => u.status === 'resolved')) {
          peak = await vigilIncidents(sidecar, s, ['open', 'acknowledged']);
        }
      }
    );
    await settle(sink, sides, times);
    const received = sink.received();
    const scores = Object.fromEntries(
      sides.map((side) => [side.name, scoreSide(s, received, side.path, times.t0, MS_PER_MINUTE)])
    ) as Record<SideName, SideScore>;
    if (VERBOSE) {
      for (const side of sides) {
        console.log(
          `${s.name} / ${side.name}:\n${describeNotifications(received, side.path, times.t0, MS_PER_MINUTE).join('\n')}`
        );
      }
    }
    const incidents = await vigilIncidents(sidecar, s);
    return { scenario: s, raw: s.episodes.length, sides: scores, peak: peak ?? incidents, incidents };
  } finally {
    await Promise.all(sides.map((side) => side.stop()));
  }
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const scenarios = SCENARIOS.filter((s) => !ONLY || ONLY.includes(s.name));
  if (scenarios.length === 0) {
    throw new Error(
      `SCENARIOS=${process.env.SCENARIOS}: no such scenario (known: ${SCENARIOS.map((s) => s.name).join(', ')})`
    );
  }
  console.log(
    `topology: ${SERVICES.length} services; ${scenarios.length} scenarios; 1 scenario minute = ${MS_PER_MINUTE} ms; ` +
      `group_wait 30s, group_interval 5m, repeat_interval 4h, correlation window 5m, Vigil keepFiringFor 5m (compressed alike)`
  );
  const sink = await startWebhookSink();
  const outcomes: Outcome[] = [];
  try {
    for (const s of scenarios) {
      const o = await runScenario(s, sink);
      outcomes.push(o);
      console.log(
        `${s.name}: ${o.raw} raw alerts; notifications ${SIDE_NAMES.map((n) => `${n} ${o.sides[n].notifications}`).join(', ')}; ` +
          `incidents: ${o.incidents.error ?? o.incidents.incidents?.length}`
      );
    }
  } finally {
    await sink.stop();
  }
  console.log(`\n${table(outcomes)}`);
  const t = totals(outcomes);
  const v = t.sides.vigil;
  const a = t.sides.alertmanager;
  const fewer = outcomes.every((o) => o.sides.vigil.pages < o.sides.alertmanager.pages);
  const notMore = outcomes.every(
    (o) =>
      o.sides.vigil.pages <= o.sides.alertmanager.pages &&
      o.sides.vigil.notifications <= o.sides.alertmanager.notifications
  );
  const atFloor = (name: SideName) =>
    outcomes
      .filter((o) => o.sides[name].rootCausePaged && o.sides[name].pages <= o.scenario.rootCauses.length)
      .map((o) => o.scenario.name);
  const incidentsApi = outcomes.find((o) => o.incidents.error)?.incidents.error ?? 'ok';
  const named = (pick: (o: Outcome) => boolean | null) =>
    outcomes.some((o) => pick(o) === null) ? null : outcomes.every((o) => pick(o) === true);
  const list = (f: (s: SideScore) => number) => SIDE_NAMES.map((n) => `${n} ${f(t.sides[n]).toFixed(3)}`).join(', ');
  console.log(
    `noise reduction (pages): ${list((s) => s.pageNoiseReduction)}\n` +
      `noise reduction (all notifications, resolves too): ${list((s) => s.noiseReduction)}\n` +
      `at the floor (one page per root cause): vigil ${atFloor('vigil').join(', ') || 'none'}; ` +
      `alertmanager ${atFloor('alertmanager').join(', ') || 'none'}\n` +
      `incidents API: ${incidentsApi}; wall time ${((Date.now() - started) / 1000).toFixed(1)} s`
  );
  console.log(
    JSON.stringify({
      bench: 'correlate',
      speedup: r3(a.pages / Math.max(1, v.pages)),
      ours: v.pages,
      baseline: a.pages,
      unit: 'pages',
      ours_is:
        'Vigil sidecar (dist, SQLite): Alertmanager receiver → correlation over the topology (incidents) → webhook channel',
      baseline_is:
        'Alertmanager 0.25: /api/v2/alerts → webhook; group_by [cluster, service]; inhibit rules: severity within a service + the topology compiled edge by edge',
      commit: commit(),
      raw_alerts: t.raw,
      noise_reduction: r3(v.pageNoiseReduction),
      alertmanager_noise_reduction: r3(a.pageNoiseReduction),
      notification_noise_reduction: r3(v.noiseReduction),
      alertmanager_notification_noise_reduction: r3(a.noiseReduction),
      noise_reductions: perSide(t.sides, (s) => r3(s.pageNoiseReduction)),
      notification_noise_reductions: perSide(t.sides, (s) => r3(s.noiseReduction)),
      notifications: perSide(t.sides, (s) => s.notifications),
      pages: perSide(t.sides, (s) => s.pages),
      root_cause_paged: v.rootCausePaged,
      alertmanager_root_cause_paged: a.rootCausePaged,
      root_cause_paged_by: perSide(t.sides, (s) => s.rootCausePaged),
      root_cause_named_at_peak: named((o) => o.peak.rootCauseNamed),
      root_cause_named: named((o) => o.incidents.rootCauseNamed),
      incidents_api: incidentsApi,
      fewer_than_alertmanager: fewer,
      fewer_than: Object.fromEntries(
        ALERTMANAGER_VARIANTS.map((variant) => [
          JSON_KEY[variant.name],
          outcomes.every((o) => o.sides.vigil.pages < o.sides[variant.name].pages),
        ])
      ),
      fewer_in: outcomes.filter((o) => o.sides.vigil.pages < o.sides.alertmanager.pages).map((o) => o.scenario.name),
      not_more_than_alertmanager: notMore,
      at_floor: { ours: atFloor('vigil'), baseline: atFloor('alertmanager') },
      goal_met: v.pageNoiseReduction >= 0.9 && v.rootCausePaged && fewer,
      keep_firing_for_min: TIMERS.keepFiringFor / MS_PER_MINUTE,
      ms_per_minute: MS_PER_MINUTE,
      services: SERVICES.length,
      scenarios: scenarioDetails(outcomes),
    })
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
