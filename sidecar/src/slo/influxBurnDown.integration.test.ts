// The burn-down of InfluxQL SLIs against a real InfluxDB 1.x holding two days of per-minute order
// counts that vary from minute to minute (so a point counted in the wrong step shows; points fall on
// every step boundary): for a plain sum over `$timeFilter`, Grafana's `GROUP BY time($__interval)` and
// a `GROUP BY` tag, each step counts exactly the events up to it, and the last step's budget is the one
// the evaluation reports at the same instant. A fixed `GROUP BY time(1m)` is refused naming the field.
import { startInflux, writeInfluxLines, type InfluxHandle } from '../../../test/harness';
import { loadConfig } from '../config/load';
import { createSource, type Source } from '../sources';
import { sloBurnDown } from './burnDown';
import { evaluateSlo } from './evaluate';
import { parseSloSpec } from './spec';

jest.setTimeout(120_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW0 = Math.floor(Date.now() / MIN) * MIN;
const grouped = `GROUP BY time($__interval)`;

/**
 * The burn-down's data: `orders` per minute over the last two days, counts varying from minute to
 * minute (so a point counted in the wrong step shows), points on every step boundary.
 */
const ORDERS_FROM = NOW0 - 2 * DAY;
const ordersAt = (t: number) => ({ bad: (t / MIN) % 7, total: 1000 + ((t / MIN) % 13) * 10 });
/** Bad and total orders written in (from, to]. */
function directOrders(from: number, to: number) {
  let bad = 0;
  let total = 0;
  for (let t = ORDERS_FROM; t <= NOW0; t += MIN) {
    if (t > from && t <= to) {
      bad += ordersAt(t).bad;
      total += ordersAt(t).total;
    }
  }
  return { bad, total };
}
const ordersWhere = `"service" = 'shop' AND $timeFilter`;
const ordersSpec = (id: string, sli: Record<string, string>) => ({
  id,
  name: `Shop orders (${id})`,
  service: 'shop',
  target: 99,
  window: '7d',
  language: 'influxql',
  datasource: 'influx',
  sli: { ratio: sli },
});
const ORDERS_SPECS = [
  ordersSpec('orders_plain', {
    good: `SELECT sum("good") FROM "orders" WHERE ${ordersWhere}`,
    total: `SELECT sum("total") FROM "orders" WHERE ${ordersWhere}`,
  }),
  ordersSpec('orders_grouped', {
    good: `SELECT sum("good") FROM "orders" WHERE ${ordersWhere} ${grouped} fill(none)`,
    total: `SELECT sum("total") FROM "orders" WHERE ${ordersWhere} ${grouped}`,
  }),
  ordersSpec('orders_grouped_bad', {
    bad: `SELECT sum("bad") FROM "orders" WHERE ${ordersWhere} GROUP BY "service"`,
    total: `SELECT sum("total") FROM "orders" WHERE ${ordersWhere} ${grouped}, "service" fill(0)`,
  }),
];

let influx: InfluxHandle;
let source: Source;

beforeAll(async () => {
  influx = await startInflux({ databases: ['vigil'] });
  const lines: string[] = [];
  for (let t = ORDERS_FROM; t <= NOW0; t += MIN) {
    const { bad, total } = ordersAt(t);
    lines.push(`orders,service=shop good=${total - bad}i,bad=${bad}i,total=${total}i ${t}`);
  }
  await writeInfluxLines(influx.url, 'vigil', lines, 'ms');
  const datasource = { name: 'influx', type: 'influxdb', url: influx.url, database: 'vigil', timeoutSeconds: 10 };
  source = createSource(
    loadConfig({ values: { datasources: [datasource] }, env: { VIGIL_TOKEN: 'slo-influx-token-0123456789ab' } })
      .datasources[0]
  );
});
afterAll(async () => {
  await influx?.stop();
});

describe('sloBurnDown on InfluxQL against a real InfluxDB', () => {
  it.each(ORDERS_SPECS.map((spec) => [spec.id, spec] as const))(
    "counts at each step the events up to it, and ends on the evaluation's budget (%s)",
    async (_, spec) => {
      const slo = parseSloSpec(spec);
      for (const step of [10 * MIN, HOUR]) {
        // A step-aligned end, so the burn-down covers the evaluation's 7-day window exactly.
        const to = Math.floor(NOW0 / step) * step;
        const from = to - 7 * DAY;
        const down = await sloBurnDown(slo, source, from, to, step);
        expect(down.points.length).toBe((7 * DAY) / step);
        expect(down.points[0].t).toBe(from + step);
        expect(down.points[down.points.length - 1].t).toBe(to);
        // Budget consumed at each step from the events in (from, t]: exact (up to rounding).
        let worst = 0;
        for (const p of down.points) {
          const d = directOrders(from, p.t);
          const consumed = d.total === 0 ? 0 : d.bad / (d.total * 0.01);
          worst = Math.max(worst, Math.abs(p.consumed - consumed));
        }
        expect(worst).toBeLessThan(1e-9);
        // The same budget the evaluation reports at `to`.
        const s = await evaluateSlo(slo, source, to);
        const d = directOrders(to - 7 * DAY, to);
        expect(s.events).toEqual({ good: d.total - d.bad, total: d.total });
        expect(Math.abs(down.points[down.points.length - 1].remaining - s.budget.remaining)).toBeLessThan(0.001);
        expect(s.budget.remaining).toBeGreaterThan(0.5);
        expect(s.budget.remaining).toBeLessThan(0.8);
      }
    }
  );

  it('refuses a fixed GROUP BY time bucket, naming the field', async () => {
    const slo = parseSloSpec(
      ordersSpec('orders_fixed', {
        good: `SELECT sum("good") FROM "orders" WHERE ${ordersWhere} GROUP BY time(1m)`,
        total: `SELECT sum("total") FROM "orders" WHERE ${ordersWhere}`,
      })
    );
    await expect(sloBurnDown(slo, source, NOW0 - DAY, NOW0, HOUR)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^sli\.ratio\.good: groups by time\(1m\).*\$__interval/),
    });
  });
});
