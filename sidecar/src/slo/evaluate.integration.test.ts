// SLOs against a real Prometheus holding 31 days of backfilled request counters (one sample a
// minute): the budget over 30 days matches the one computed directly from the samples within 0.1
// percentage point; a 10% error burst pages (page_1h) at the minute the samples predict; a steady
// 0.4% error rate for three days opens the tickets and pages nobody; a timeslice SLI counts its slices.
import { type Slo } from '@vigil/core';
import { startPrometheus, toOpenMetrics, type PrometheusHandle } from '../../../test/harness';
import { loadConfig } from '../config/load';
import { createSource, type Source } from '../sources';
import { counterSlo, sloCounters } from '../testing/sloData';
import { sloBurnDown } from './burnDown';
import { SloBucketCache } from './bucketCounts';
import { evaluateSlo, type SloQueries } from './evaluate';

jest.setTimeout(180_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** The last sample: an hour ago, on a minute. */
const END = Math.floor(Date.now() / MIN) * MIN - HOUR;
const START = END - 31 * DAY;
const BURST_FROM = END - 20 * MIN;
const PER_MIN = 1000;

/** Errors per minute of each service at `t`. */
function errorsAt(svc: 'fast' | 'slow', t: number): number {
  if (svc === 'fast') {
    // 0.05% all month (half the 99.9% budget), and 10% for the last 20 minutes.
    return t > BURST_FROM ? 100 : 0.5;
  }
  // 0.01% until three days before the end, then 0.4% (a 4× burn).
  return t > END - 3 * DAY ? 4 : 0.1;
}

const counters = (svc: 'fast' | 'slow') => sloCounters('slo_it', svc, START, END, PER_MIN, (t) => errorsAt(svc, t));

/** Bad and total events in (from, to] from the model itself (what the counters hold). */
function direct(svc: 'fast' | 'slow', from: number, to: number) {
  let bad = 0;
  let total = 0;
  for (let t = START; t <= END; t += MIN) {
    if (t > from && t <= to) {
      bad += errorsAt(svc, t);
      total += PER_MIN;
    }
  }
  return { bad, total };
}

const slo = (svc: 'fast' | 'slow', over: Partial<Slo> = {}): Slo => counterSlo('slo_it', svc, over);

let prom: PrometheusHandle;
let source: Source;

beforeAll(async () => {
  prom = await startPrometheus({
    backfill: toOpenMetrics([...counters('fast'), ...counters('slow')]),
    retention: '60d',
  });
  source = createSource(
    loadConfig({
      values: { datasources: [{ name: 'prom', type: 'prometheus', url: prom.url }] },
      env: { VIGIL_TOKEN: 'slo-it-token-0123456789abcdef' },
    }).datasources[0]
  );
});
afterAll(async () => {
  await prom?.stop();
});

// Every count test runs twice: each window queried, and the long windows from the SLO service's hour
// buckets (one cache per run, so later evaluations extend what earlier ones read).
describe.each([
  ['each window queried', () => ({})],
  ['long windows from hour buckets', () => ({ buckets: new SloBucketCache() })],
])('evaluateSlo on a real Prometheus, %s', (_name, makeVia: () => SloQueries) => {
  const via = makeVia();
  it('gives the 30-day budget the samples give, within 0.1 percentage point', async () => {
    const at = BURST_FROM; // before the burst: half the budget spent
    const s = await evaluateSlo(slo('fast'), source, at, via);
    const d = direct('fast', at - 30 * DAY, at);
    const remaining = 1 - d.bad / (d.total * 0.001);
    expect(remaining).toBeCloseTo(0.5, 2);
    expect(Math.abs(s.budget.remaining - remaining)).toBeLessThan(0.001);
    expect(s.budget.status).toBe('healthy');
    expect(s.burnRates.some((b) => b.firing)).toBe(false);
    expect(s.sliNow).toBeCloseTo(0.9995, 4);
  });

  it('pages on a 10% burst at the minute the samples predict, and not before', async () => {
    // The first minute whose last hour and last 5 minutes both burn ≥ 14.4×.
    let predicted: number | null = null;
    for (let t = BURST_FROM; t <= END && predicted === null; t += MIN) {
      const long = direct('fast', t - HOUR, t);
      const short = direct('fast', t - 5 * MIN, t);
      if (long.bad / long.total / 0.001 >= 14.4 && short.bad / short.total / 0.001 >= 14.4) {
        predicted = t;
      }
    }
    expect(predicted).not.toBeNull();
    // About 8.4 minutes of burst at 100×: 14.4 × 1 h / 100, less the background's share.
    expect((predicted! - BURST_FROM) / MIN).toBeGreaterThanOrEqual(8);
    expect((predicted! - BURST_FROM) / MIN).toBeLessThanOrEqual(10);
    let first: number | null = null;
    for (let t = BURST_FROM; t <= END && first === null; t += MIN) {
      const s = await evaluateSlo(slo('fast'), source, t, via);
      if (s.burnRates.find((b) => b.name === 'page_1h')!.firing) {
        first = t;
        expect(s.burnRates.filter((b) => b.firing).map((b) => b.severity)).toContain('critical');
        expect(s.timeToExhaustionMs).not.toBeNull();
      }
    }
    // Prometheus extrapolates increase() to the window's edges: a minute either way.
    expect(first).not.toBeNull();
    expect(Math.abs(first! - predicted!)).toBeLessThanOrEqual(MIN);
  });

  it('opens the tickets for a slow burn (4× for three days) and pages nobody', async () => {
    const s = await evaluateSlo(slo('slow'), source, END, via);
    const firing = s.burnRates.filter((b) => b.firing).map((b) => [b.name, b.severity]);
    expect(firing).toEqual([
      ['ticket_1d', 'warning'],
      ['ticket_3d', 'warning'],
    ]);
    expect(s.burnRate).toBeCloseTo(4, 1);
  });

  it('keeps the minimum-traffic guard: the same burn does not fire under minEvents', async () => {
    const s = await evaluateSlo(slo('slow', { minEvents: 10_000_000 }), source, END, via);
    expect(s.burnRates.every((b) => !b.firing && b.lowTraffic)).toBe(true);
  });
});

describe('evaluateSlo on a real Prometheus', () => {
  it('counts a timeslice SLI in slices: per 5 minutes, error ratio under 1%', async () => {
    const s = await evaluateSlo(
      slo('fast', {
        sli: {
          kind: 'timeslice',
          language: 'promql',
          query:
            'sum(increase(slo_it_errors_total{svc="fast"}[5m])) / sum(increase(slo_it_requests_total{svc="fast"}[5m]))',
          op: '<',
          threshold: 0.01,
          sliceMs: 5 * MIN,
        },
        target: 99,
        window: { kind: 'rolling', durationMs: DAY },
      }),
      source,
      END
    );
    // A day is 288 slices; the 20-minute burst spoils 4 of them (5 with the one it starts in).
    expect(s.events.total).toBe(288);
    expect(s.events.total - s.events.good).toBeGreaterThanOrEqual(4);
    expect(s.events.total - s.events.good).toBeLessThanOrEqual(5);
  });

  it('draws the burn-down the budget report gives: each step counts the events since the start', async () => {
    const from = BURST_FROM - 2 * HOUR;
    const down = await sloBurnDown(slo('fast'), source, from, END, 10 * MIN);
    // Steps fall on multiples of the step (as Prometheus aligns range queries): 13 or 14 of them.
    expect(down.points.length).toBeGreaterThanOrEqual(13);
    expect(down.points.length).toBeLessThanOrEqual(14);
    // Before the burst: 0.05% errors, half the 99.9% budget spent at every step.
    expect(down.points[5].remaining).toBeCloseTo(0.5, 2);
    // The end: the events from `from` to END, counted directly.
    const last = down.points[down.points.length - 1];
    expect(END - last.t).toBeLessThan(10 * MIN);
    expect(last.t % (10 * MIN)).toBe(0);
    const d = direct('fast', down.points[0].t - 10 * MIN, last.t);
    expect(Math.abs(last.consumed - d.bad / (d.total * 0.001))).toBeLessThan(0.01);
    // It only falls once the burst starts.
    const after = down.points.filter((p) => p.t > BURST_FROM).map((p) => p.remaining);
    expect(after.every((r, i) => i === 0 || r <= after[i - 1])).toBe(true);
    await expect(sloBurnDown(slo('fast'), source, END - DAY, END, 1000)).rejects.toThrow(/more than 11000/);
  });
});
