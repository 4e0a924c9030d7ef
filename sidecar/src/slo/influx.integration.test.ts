// SLOs on InfluxQL against a real InfluxDB 1.x holding four days of per-minute request counts
// (measurement `requests`, fields good / bad / total, written with explicit timestamps): the budget
// over the 30-day window matches the one computed directly from the written points within 0.1
// percentage point (the counts are exact: InfluxQL sums the points in each window's `$timeFilter`);
// a 5% error burst in the last 20 minutes fires page_1h at the minute the points predict, and nothing
// else; the SLO created through the API is evaluated by the sidecar's rule engine and
// `GET /api/v1/slos/:id` shows the same figures, with page_1h firing as an alert. A latency SLI on
// InfluxQL is a ratio of raw request durations (the spec's `latency` kind reads a Prometheus
// histogram and refuses `language: influxql`, which is checked too). Both InfluxQL shapes count the
// same: a plain sum over `$timeFilter`, and Grafana's `GROUP BY time($__interval)` (a range read, every
// bucket summed). The burn-down: influxBurnDown.integration.test.ts.
import { startInflux, writeInfluxLines, type InfluxHandle } from '../../../test/harness';
import { loadConfig } from '../config/load';
import { createSource, type Source } from '../sources';
import { startTestServer, type TestServer } from '../testing/fixtures';
import { evaluateSlo, type SloStatus } from './evaluate';
import { parseSloSpec } from './spec';

jest.setTimeout(240_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** The last whole minute when the file loads; the points run on past it so the sidecar's own (wall-clock) evaluations still see the burst. */
const NOW0 = Math.floor(Date.now() / MIN) * MIN;
const START = NOW0 - 4 * DAY;
const DATA_END = NOW0 + 20 * MIN;
/** Minutes after this one are the burst. */
const BURST_FROM = NOW0 - 20 * MIN;
const PER_MIN = 2000;

/** Bad requests in the minute ending at `t`: 0.05% (half a 99.9% budget), 5% in the burst (a 50× burn). */
const badAt = (t: number) => (t > BURST_FROM ? 100 : 1);

/** Bad and total requests written in (from, to]. */
function direct(from: number, to: number) {
  let bad = 0;
  let total = 0;
  for (let t = START; t <= DATA_END; t += MIN) {
    if (t > from && t <= to) {
      bad += badAt(t);
      total += PER_MIN;
    }
  }
  return { bad, total };
}

/** Budget remaining of a 99.9% SLO over (from, to], from the written points. */
const remainingOf = ({ bad, total }: { bad: number; total: number }) => 1 - bad / (total * 0.001);

const where = `"service" = 'checkout' AND $timeFilter`;
const ratioSpec = (id: string, sli: Record<string, string>) => ({
  id,
  name: `Checkout availability (${id})`,
  service: 'checkout',
  target: 99.9,
  window: '30d',
  language: 'influxql',
  datasource: 'influx',
  sli: { ratio: sli },
});
const GOOD_SPEC = ratioSpec('checkout_influx', {
  good: `SELECT sum("good") FROM "requests" WHERE ${where}`,
  total: `SELECT sum("total") FROM "requests" WHERE ${where}`,
});
const BAD_SPEC = ratioSpec('checkout_influx_bad', {
  bad: `SELECT sum("bad") FROM "requests" WHERE ${where}`,
  total: `SELECT sum("total") FROM "requests" WHERE ${where}`,
});
/** Grafana's default InfluxQL shape: one value per `$__interval` bucket. */
const grouped = `GROUP BY time($__interval)`;
const GROUPED_SPEC = ratioSpec('checkout_influx_grouped', {
  good: `SELECT sum("good") FROM "requests" WHERE ${where} ${grouped}`,
  total: `SELECT sum("total") FROM "requests" WHERE ${where} ${grouped} fill(0)`,
});
const GROUPED_BAD_SPEC = ratioSpec('checkout_influx_grouped_bad', {
  bad: `SELECT sum("bad") FROM "requests" WHERE ${where} ${grouped}, "service"`,
  total: `SELECT sum("total") FROM "requests" WHERE ${where} ${grouped}`,
});

/** Raw requests of the latency SLI: 10 a minute (one a second), 0.2 s, but 3 of them take 0.8 s every 50th minute. */
const LATENCY = { from: NOW0 - 2 * DAY, perMin: 10, slowEvery: 50, slowPerMin: 3 };
const durationAt = (minute: number, k: number) =>
  (minute / MIN) % LATENCY.slowEvery === 0 && k < LATENCY.slowPerMin ? 0.8 : 0.2;

let influx: InfluxHandle;
let source: Source;

const datasource = () => ({ name: 'influx', type: 'influxdb', url: influx.url, database: 'vigil', timeoutSeconds: 10 });

beforeAll(async () => {
  influx = await startInflux({ databases: ['vigil'] });
  const lines: string[] = [];
  for (let t = START; t <= DATA_END; t += MIN) {
    const bad = badAt(t);
    lines.push(`requests,service=checkout good=${PER_MIN - bad}i,bad=${bad}i,total=${PER_MIN}i ${t}`);
  }
  for (let m = LATENCY.from; m <= NOW0; m += MIN) {
    for (let k = 0; k < LATENCY.perMin; k++) {
      // One point per request: its own timestamp (points of a series at the same time overwrite each other).
      lines.push(`http_requests,service=search duration=${durationAt(m, k)} ${m - k * 1000}`);
    }
  }
  for (let i = 0; i < lines.length; i += 10_000) {
    await writeInfluxLines(influx.url, 'vigil', lines.slice(i, i + 10_000), 'ms');
  }
  source = createSource(
    loadConfig({ values: { datasources: [datasource()] }, env: { VIGIL_TOKEN: 'slo-influx-token-0123456789ab' } })
      .datasources[0]
  );
});
afterAll(async () => {
  await influx?.stop();
});

const firing = (s: SloStatus) => s.burnRates.filter((b) => b.firing).map((b) => b.name);

describe('evaluateSlo on InfluxQL against a real InfluxDB', () => {
  it('gives the budget the written points give, within 0.1 percentage point (good/total and bad/total, plain and grouped by $__interval)', async () => {
    for (const spec of [GOOD_SPEC, BAD_SPEC, GROUPED_SPEC, GROUPED_BAD_SPEC]) {
      const slo = parseSloSpec(spec);
      for (const at of [BURST_FROM, NOW0]) {
        const s = await evaluateSlo(slo, source, at);
        const d = direct(at - 30 * DAY, at);
        expect(s.events).toEqual({ good: d.total - d.bad, total: d.total });
        expect(Math.abs(s.budget.remaining - remainingOf(d))).toBeLessThan(0.001);
        if (at === BURST_FROM) {
          // Before the burst: 0.05% errors spend half the budget, and nothing burns fast.
          expect(s.budget.remaining).toBeCloseTo(0.5, 3);
          expect(s.budget.status).toBe('healthy');
          expect(firing(s)).toEqual([]);
          expect(s.sliNow).toBeCloseTo(0.9995, 4);
        }
      }
    }
  });

  it.each([
    ['plain', GOOD_SPEC],
    ['grouped by $__interval', GROUPED_SPEC],
  ])('fires page_1h on the burst at the minute the points predict, and nothing else (%s)', async (_, spec) => {
    const slo = parseSloSpec(spec);
    const rate = (from: number, to: number) => {
      const d = direct(from, to);
      return d.bad / d.total / 0.001;
    };
    let predicted: number | null = null;
    for (let t = BURST_FROM; t <= NOW0 && predicted === null; t += MIN) {
      if (rate(t - HOUR, t) >= 14.4 && rate(t - 5 * MIN, t) >= 14.4) {
        predicted = t;
      }
    }
    // (99 m + 60) / 120 ≥ 14.4 from m = 17 minutes into a 50× burst.
    expect(predicted).toBe(BURST_FROM + 17 * MIN);
    let first: number | null = null;
    for (let t = BURST_FROM + 14 * MIN; t <= NOW0 && first === null; t += MIN) {
      const s = await evaluateSlo(slo, source, t);
      const page = s.burnRates.find((b) => b.name === 'page_1h')!;
      expect(page.longRate).toBeCloseTo(rate(t - HOUR, t), 6);
      expect(page.shortRate).toBeCloseTo(rate(t - 5 * MIN, t), 6);
      if (page.firing) {
        first = t;
        expect(firing(s)).toEqual(['page_1h']);
        expect(page.severity).toBe('critical');
        expect(s.timeToExhaustionMs).not.toBeNull();
      }
    }
    expect(first).toBe(predicted);
  });

  it('counts a latency SLI as a ratio of raw request durations under the threshold', async () => {
    const filter = `"service" = 'search' AND $timeFilter`;
    const slo = parseSloSpec({
      id: 'search_latency_influx',
      name: 'Search under 500 ms',
      service: 'search',
      target: 99,
      window: '1d',
      language: 'influxql',
      datasource: 'influx',
      sli: {
        ratio: {
          good: `SELECT count("duration") FROM "http_requests" WHERE "duration" < 0.5 AND ${filter}`,
          total: `SELECT count("duration") FROM "http_requests" WHERE ${filter}`,
        },
      },
    });
    const s = await evaluateSlo(slo, source, NOW0);
    let good = 0;
    let total = 0;
    for (let m = LATENCY.from; m <= NOW0; m += MIN) {
      for (let k = 0; k < LATENCY.perMin; k++) {
        if (m - k * 1000 > NOW0 - DAY) {
          total++;
          good += durationAt(m, k) < 0.5 ? 1 : 0;
        }
      }
    }
    expect(s.events).toEqual({ good, total });
    // 3 slow of 500 requests: 0.6% of a 1% budget (28 or 29 slow minutes in the day, as NOW0 falls).
    expect(Math.abs(s.budget.remaining - (1 - (total - good) / (total * 0.01)))).toBeLessThan(0.001);
    expect(s.budget.remaining).toBeGreaterThan(0.39);
    expect(s.budget.remaining).toBeLessThan(0.42);
    // The guide's warning starts at 60% spent: 29 slow minutes spend it, 28 leave it healthy (as NOW0 falls).
    expect(s.budget.status).toBe(1 - s.budget.remaining >= 0.6 ? 'warning' : 'healthy');
  });
});

describe('an InfluxQL SLO through the API', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ datasources: [datasource()] });
  });
  afterAll(async () => {
    await srv?.stop();
  });
  const post = (spec: unknown) =>
    srv.call('/api/v1/slos', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });
  const fieldsOf = async (res: Response) =>
    ((await res.json()) as { error: { fields?: Array<{ field: string; message: string }> } }).error.fields ?? [];

  it('refuses an InfluxQL query without $timeFilter (and PromQL with it), and a latency (histogram) SLI on InfluxQL, naming the field', async () => {
    const noFilter = await post({
      ...GOOD_SPEC,
      id: 'no_filter',
      sli: { ratio: { good: GOOD_SPEC.sli.ratio.good, total: 'SELECT sum("total") FROM "requests" -- $__range' } },
    });
    expect(noFilter.status).toBe(400);
    expect(await fieldsOf(noFilter)).toEqual([
      { field: 'sli.ratio.total', message: expect.stringContaining('$timeFilter') },
    ]);
    // And the other way round: PromQL has no `$timeFilter`, its windows go where `$__range` is.
    const promql = await post({ ...GOOD_SPEC, id: 'promql_filter', language: 'promql' });
    expect(promql.status).toBe(400);
    expect((await fieldsOf(promql)).map((f) => [f.field, f.message.includes('$__range')])).toEqual([
      ['sli.ratio.good', true],
      ['sli.ratio.total', true],
    ]);
    const latency = await post({ ...GOOD_SPEC, id: 'lat', sli: { latency: { histogram: 'h', threshold: '500ms' } } });
    expect(latency.status).toBe(400);
    expect((await fieldsOf(latency)).map((f) => f.field)).toEqual(['language']);
  });

  it('is evaluated by the rule engine: GET /api/v1/slos/:id shows the budget the points give, page_1h firing', async () => {
    const created = await post(GOOD_SPEC);
    expect(created.status).toBe(201);
    // The SLO's rule runs on the engine's 1-minute grid (wall clock): its first status within a minute or so.
    type View = {
      status: (Record<string, unknown> & { evaluatedAt: number; burnRates: SloStatus['burnRates'] }) | null;
    };
    let view: View = { status: null };
    for (const deadline = Date.now() + 100_000; !view.status && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 1000));
      view = (await (await srv.call(`/api/v1/slos/${GOOD_SPEC.id}`)).json()) as View;
    }
    const s = view.status;
    expect(s).not.toBeNull();
    expect(s!.error).toBeNull();
    // The same evaluation, run here at the same instant, and the points themselves.
    const mine = await evaluateSlo(parseSloSpec(GOOD_SPEC), source, s!.evaluatedAt);
    const d = direct(s!.evaluatedAt - 30 * DAY, s!.evaluatedAt);
    expect(Math.abs((s!.budgetRemaining as number) - remainingOf(d))).toBeLessThan(0.001);
    expect(s).toMatchObject({
      budgetRemaining: mine.budget.remaining,
      budgetStatus: mine.budget.status,
      sli: mine.budget.sli,
      burnRate: mine.burnRate,
      timeToExhaustionMs: mine.timeToExhaustionMs,
    });
    expect(s!.burnRates).toEqual(mine.burnRates);
    expect(s!.burnRates.filter((b) => b.firing).map((b) => b.name)).toEqual(['page_1h']);
    // The page went through the rule engine's states as an alert carrying the SLO.
    let alerts: Array<{ state: string; labels: Record<string, string> }> = [];
    for (const deadline = Date.now() + 10_000; alerts.length === 0 && Date.now() < deadline;) {
      alerts = (await srv.store.listInstances()).filter((i) => i.labels.slo_id === GOOD_SPEC.id);
      if (alerts.length === 0) {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    expect(alerts.map((a) => [a.state, a.labels.slo_alert])).toEqual([['firing', 'page_1h']]);
    const list = (await (await srv.call('/api/v1/slos')).json()) as { slos: Array<{ id: string }> };
    expect(list.slos.map((v) => v.id)).toContain(GOOD_SPEC.id);
  });
});
