// Adaptive thresholds on a backfilled week with a daily cycle (low at 03:00 UTC, high at 15:00):
// the same value (200) fires at night and not at the daily peak, and the backtest preview over each
// window gives the same intervals and events as live evaluation stepped over the same grid times.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PreviewInterval, Transition } from '@vigil/core';
import { startPrometheus, toOpenMetrics, type PrometheusHandle } from '../../../test/harness';
import type { Config } from '../config/schema';
import type { Store } from '../store';
import { openSqliteStore } from '../store/sqlite';
import { alertEvents, putTestRule, ruleTestConfig, testEngine } from '../testing/ruleEngine';
import { ruleTimesBetween } from './grid';
import { parseRuleBody, ruleContext, toRuleSpec } from './schema';

jest.setTimeout(180_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Yesterday 00:00 UTC: the watched day; its history starts 8 days earlier.
const D = Math.floor(Date.now() / DAY) * DAY - DAY;
const STEP = 5 * MIN;
const NIGHT = { from: D + 2 * HOUR, to: D + 4.5 * HOUR };
const PEAK = { from: D + 14 * HOUR, to: D + 16.5 * HOUR };
const SPIKE = 200;

/** The daily cycle: 20 at 03:00 UTC, 180 at 15:00; 200 for 30 minutes from 03:00 and 15:00 yesterday. */
function value(t: number): number {
  if ((t >= D + 3 * HOUR && t < D + 3.5 * HOUR) || (t >= D + 15 * HOUR && t < D + 15.5 * HOUR)) {
    return SPIKE;
  }
  const hour = (t % DAY) / HOUR;
  return Math.round((100 - 80 * Math.cos((2 * Math.PI * (hour - 3)) / 24)) * 1000) / 1000;
}

const body = {
  id: 'orders-adaptive',
  name: 'Orders unusual',
  severity: 'warning',
  datasource: 'prom',
  query: 'vigil_rule_it_orders',
  condition: { kind: 'adaptive', op: '>', threshold: 150 },
  for: '10m',
  interval: '5m',
};

let prom: PrometheusHandle;
let config: Config;
let dir: string;
let store: Store;

beforeAll(async () => {
  const samples = [];
  for (let t = D - 8 * DAY; t < D + DAY; t += STEP) {
    samples.push({ timestamp: t, value: value(t) });
  }
  prom = await startPrometheus({
    backfill: toOpenMetrics([{ labels: { __name__: 'vigil_rule_it_orders', shop: 'eu' }, samples }]),
  });
  config = ruleTestConfig({ datasources: [{ name: 'prom', type: 'prometheus', url: prom.url }] });
  dir = mkdtempSync(join(tmpdir(), 'vigil-adaptive-it-'));
  store = openSqliteStore({ path: join(dir, 'vigil.db') });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
  await prom?.stop();
});

/** Intervals as the backtest reports them, rebuilt from stored transitions (open ones end at `to`). */
function intervalsOf(history: readonly Transition[], to: number): PreviewInterval[] {
  const out: PreviewInterval[] = [];
  let open: PreviewInterval | null = null;
  for (const t of [...history].sort((a, b) => a.at - b.at)) {
    if (open) {
      open.to = t.at;
      out.push(open);
      open = null;
    }
    if (t.to !== 'normal') {
      open = { fingerprint: t.fingerprint, state: t.to, from: t.at, to };
    }
  }
  return open ? [...out, open] : out;
}

it('fires on a night value and not on the same value at the daily peak; preview agrees with live', async () => {
  const spec = toRuleSpec(parseRuleBody(body, ruleContext(config)));
  await putTestRule(store, config, body);
  const night = ruleTimesBetween(spec, NIGHT.from, NIGHT.to);
  const peak = ruleTimesBetween(spec, PEAK.from, PEAK.to);
  const clock = { now: night[0] };
  const engine = testEngine(store, config, clock);
  try {
    for (const t of [...night, ...peak]) {
      clock.now = t;
      await engine.evaluateDue(t);
    }
    const events = await alertEvents(store, 'orders-adaptive');
    // The spike is seen from the first grid time at or after 03:00 for 6 evaluations; `for` is 2 of them.
    const first = night.findIndex((t) => t >= D + 3 * HOUR);
    expect(events.map((e) => [e.metadata.event, night.indexOf(e.startedAt), e.metadata.value])).toEqual([
      ['firing', first + 2, SPIKE],
      ['resolved', first + 6, value(Math.floor(night[first + 6] / STEP) * STEP)], // the last sample before
    ]);
    const nightThreshold = events[0].metadata.threshold as number;
    expect(nightThreshold).toBeGreaterThan(100);
    expect(nightThreshold).toBeLessThan(SPIKE);

    const fp = events[0].seriesKey;
    const history = await store.listHistory(fp);
    expect(history.every((t) => t.at <= night[night.length - 1])).toBe(true); // nothing at the peak

    const bodyN = parseRuleBody(body, ruleContext(config));
    const nightPreview = await engine.preview(bodyN, NIGHT.from, NIGHT.to);
    expect(nightPreview.intervals).toEqual(intervalsOf(history, NIGHT.to));
    expect(nightPreview.intervals.map((i) => i.state)).toEqual(['pending', 'firing']);
    expect(nightPreview.events.map((e) => [e.event, e.at, e.fingerprint])).toEqual(
      events.map((e) => [e.metadata.event, e.startedAt, fp])
    );

    const peakPreview = await engine.preview(bodyN, PEAK.from, PEAK.to);
    expect(peakPreview.intervals).toEqual([]);
    expect(peakPreview.events).toEqual([]);
    // The threshold in force: low at night (below the spike), clamped to 2× base at the peak.
    const [series] = peakPreview.series;
    const atSpike = peak.filter((t) => t >= D + 15 * HOUR && t < D + 15.5 * HOUR);
    for (const t of atSpike) {
      expect(series.points.find(([x]) => x === t)?.[1]).toBe(SPIKE);
      expect(series.thresholds.find(([x]) => x === t)?.[1]).toBe(300);
    }
    const nightThresholds = nightPreview.series[0].thresholds.filter(([t]) => t === events[0].startedAt);
    expect(nightThresholds).toEqual([[events[0].startedAt, nightThreshold]]);
  } finally {
    await engine.stop(0);
  }
});
