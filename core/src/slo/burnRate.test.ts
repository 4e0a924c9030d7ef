import { alertWindows, burnRateAlerts, evaluateBurnRates } from './burnRate';
import type { EventCounts } from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('burnRateAlerts', () => {
  it("gives the workbook's factors for 30 days: 14.4, 6, 3, 1", () => {
    const alerts = burnRateAlerts(30 * DAY);
    expect(alerts.map((a) => [a.name, a.kind, a.severity, a.longWindowMs / HOUR, a.shortWindowMs / MINUTE])).toEqual([
      ['page_1h', 'page', 'critical', 1, 5],
      ['page_6h', 'page', 'critical', 6, 30],
      ['ticket_1d', 'ticket', 'warning', 24, 120],
      ['ticket_3d', 'ticket', 'warning', 72, 360],
    ]);
    expect(alerts.map((a) => a.factor)).toEqual([14.4, 6, 3, 1].map((f) => expect.closeTo(f, 12)));
  });

  it('scales to other windows by budget consumed: 28 days → 13.44, 5.6, 2.8, 0.933', () => {
    expect(burnRateAlerts(28 * DAY).map((a) => a.factor)).toEqual(
      [13.44, 5.6, 2.8, 28 / 30].map((f) => expect.closeTo(f, 12))
    );
    expect(() => burnRateAlerts(0)).toThrow(/compliance window must be positive/);
  });

  it('lists the windows to query once each', () => {
    expect(alertWindows(burnRateAlerts(30 * DAY)).map((w) => w / MINUTE)).toEqual([5, 30, 60, 120, 360, 1440, 4320]);
  });
});

describe('evaluateBurnRates', () => {
  const alerts = burnRateAlerts(30 * DAY);
  /** Counts per window from an error ratio per window (1000 events each unless given). */
  const from =
    (ratio: Record<number, number>, total = 1000) =>
    (w: number): EventCounts => ({ good: total * (1 - (ratio[w] ?? 0)), total });

  it('pages when both windows of the fast alert burn at 14.4× or more', () => {
    // 99.9%: 14.4× is 1.44% errors.
    const v = evaluateBurnRates(alerts, from({ [5 * MINUTE]: 0.02, [HOUR]: 0.015 }), 99.9);
    expect(v.filter((x) => x.firing).map((x) => x.alert.name)).toEqual(['page_1h']);
    expect(v[0].longRate).toBeCloseTo(15, 9);
    expect(v[0].shortRate).toBeCloseTo(20, 9);
  });

  it('stops paging when the short window recovers, though the long one still burns', () => {
    const v = evaluateBurnRates(alerts, from({ [5 * MINUTE]: 0, [HOUR]: 0.015 }), 99.9);
    expect(v.some((x) => x.firing)).toBe(false);
  });

  it('opens a ticket for a slow burn: 0.35% errors for three days is 3.5×', () => {
    const ratio = { [2 * HOUR]: 0.0035, [DAY]: 0.0035, [6 * HOUR]: 0.0035, [3 * DAY]: 0.0035 };
    const v = evaluateBurnRates(alerts, from(ratio), 99.9);
    expect(v.filter((x) => x.firing).map((x) => [x.alert.name, x.alert.severity])).toEqual([
      ['ticket_1d', 'warning'],
      ['ticket_3d', 'warning'],
    ]);
  });

  it('does not fire on low traffic: one failure of three requests is not a page', () => {
    const v = evaluateBurnRates(alerts, from({ [5 * MINUTE]: 1 / 3, [HOUR]: 1 / 3 }, 3), 99.9, 100);
    expect(v[0]).toMatchObject({ firing: false, lowTraffic: true });
    expect(evaluateBurnRates(alerts, from({ [5 * MINUTE]: 1 / 3, [HOUR]: 1 / 3 }, 3), 99.9, 0)[0].firing).toBe(true);
  });

  it('burns nothing in a window without events', () => {
    const v = evaluateBurnRates(alerts, () => ({ good: 0, total: 0 }), 99.9);
    expect(v.every((x) => !x.firing && x.longRate === null)).toBe(true);
  });
});
