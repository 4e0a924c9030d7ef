// The generated rules loaded into a real Prometheus holding 30 days of backfilled request counters
// agree with Vigil's own evaluation of the same SLOs on the same data: budget remaining within 0.1
// percentage point, and the same burn-rate alerts firing (a 2× burn for the last ten days opens the
// 3-day ticket only; half the budget spent at an even pace fires nothing).
import { type Slo } from '@vigil/core';
import {
  queryPrometheus,
  sleep,
  startPrometheus,
  toOpenMetrics,
  waitFor,
  type PrometheusHandle,
} from '../../../test/harness';
import { loadConfig } from '../config/load';
import { createSource, type Source } from '../sources';
import { counterSlo, sloCounters } from '../testing/sloData';
import { evaluateSlo } from './evaluate';
import { ruleFileYaml } from './rulesYaml';

jest.setTimeout(180_000);

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** The last sample: ten minutes ago, on a minute (the backfill must stay clear of the head block). */
const END = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
const START = END - 31 * DAY;
const PER_MIN = 1000;

/** Errors per minute: `even` spends half its 99.9% budget evenly; `late` burns 2× for the last 10 days. */
const errorsAt = (svc: 'even' | 'late', t: number): number => (svc === 'even' ? 0.5 : t > END - 10 * DAY ? 2 : 0.1);

const slos: Slo[] = (['even', 'late'] as const).map((svc) => counterSlo('slo_rules', svc));
let prom: PrometheusHandle;
let source: Source;

beforeAll(async () => {
  prom = await startPrometheus({
    backfill: toOpenMetrics(
      (['even', 'late'] as const).flatMap((svc) =>
        sloCounters('slo_rules', svc, START, END, PER_MIN, (t) => errorsAt(svc, t))
      )
    ),
    retention: '60d',
    scrapeInterval: '1s',
    rules: ruleFileYaml(slos),
  });
  source = createSource(
    loadConfig({
      values: { datasources: [{ name: 'prom', type: 'prometheus', url: prom.url }] },
      env: { VIGIL_TOKEN: 'slo-rules-it-token-0123456789abcdef' },
    }).datasources[0]
  );
});
afterAll(async () => {
  await prom?.stop();
});

/** The latest recorded value of a series and the time it was evaluated at (ms). */
async function recorded(metric: string, sloId: string): Promise<{ value: number; at: number } | undefined> {
  const [value] = await queryPrometheus(prom.url, `${metric}{slo_id="${sloId}"}`);
  const [ts] = await queryPrometheus(prom.url, `timestamp(${metric}{slo_id="${sloId}"})`);
  return value && ts ? { value: Number(value.value[1]), at: Number(ts.value[1]) * 1000 } : undefined;
}

describe('generated rules in a real Prometheus against evaluateSlo', () => {
  it.each(slos.map((s) => [s.id, s]))('%s: budget remaining within 0.1 percentage point', async (_id, slo) => {
    const rec = await waitFor(
      `${slo.id} budget recorded`,
      () => recorded('slo:error_budget:remaining', slo.id),
      60_000
    );
    const vigil = await evaluateSlo(slo, source, rec.at);
    expect(Math.abs(rec.value - vigil.budget.remaining)).toBeLessThan(0.001);
    // And both against the counters themselves: 0.5 spent evenly; 2/3 of the window at 0.1‰, 1/3 at 2‰.
    expect(rec.value).toBeCloseTo(slo.id.startsWith('even') ? 0.5 : 1 - (20 * 0.1 + 10 * 2) / 30, 2);
  });

  it('fires the same burn-rate alerts as Vigil', async () => {
    for (const slo of slos) {
      await waitFor(`${slo.id} burn rates recorded`, () => recorded('slo:burn_rate:ratio_rate3d', slo.id), 60_000);
    }
    await sleep(3000); // a few evaluations of the alert groups after the recordings exist
    for (const slo of slos) {
      const alerts = await queryPrometheus(prom.url, `ALERTS{alertstate="firing",slo_id="${slo.id}"}`);
      const [ts] = await queryPrometheus(prom.url, `timestamp(slo:burn_rate:ratio_rate3d{slo_id="${slo.id}"})`);
      const vigil = await evaluateSlo(slo, source, Number(ts.value[1]) * 1000);
      const ours = vigil.burnRates.filter((b) => b.firing).map((b) => b.name);
      expect(alerts.map((a) => a.metric.slo_alert).sort()).toEqual(ours.sort());
      expect(ours).toEqual(slo.id.startsWith('late') ? ['ticket_3d'] : []);
    }
  });
});
