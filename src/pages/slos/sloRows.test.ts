import { sloStatus, sloView, burnRate } from '../../testing/slos';
import {
  firingAlerts,
  formatBurnRate,
  formatRatio,
  formatSpan,
  formatTimeToExhaustion,
  noPrometheusRulesReason,
  sortSlos,
  statusOf,
} from './sloRows';

describe('SLO rows', () => {
  test('figures: ratios as percentages, burn rates, spans in their two largest units', () => {
    expect(formatRatio(0.99942, 3)).toBe('99.942%');
    expect(formatRatio(null)).toBe('—');
    expect(formatBurnRate(14.4)).toBe('14.4×');
    expect(formatBurnRate(0.5)).toBe('0.50×');
    expect(formatBurnRate(250)).toBe('250×');
    expect(formatSpan(36 * 3_600_000)).toBe('1d 12h');
    expect(formatSpan(86_400_000 + 5 * 60_000)).toBe('1d');
    expect(formatSpan(45 * 60_000)).toBe('45m');
    expect(formatSpan(0)).toBe('0s');
    expect(formatSpan(null)).toBe('—');
  });

  test('time to exhaustion: the span, "exhausted" once gone, "—" without a status or on error', () => {
    expect(formatTimeToExhaustion(sloStatus())).toBe('1d 12h');
    expect(formatTimeToExhaustion(sloStatus({ budgetRemaining: 0, budgetStatus: 'exhausted' }))).toBe('exhausted');
    expect(formatTimeToExhaustion(sloStatus({ timeToExhaustionMs: null }))).toBe('—');
    expect(formatTimeToExhaustion(sloStatus({ error: 'down' }))).toBe('—');
    expect(formatTimeToExhaustion(null)).toBe('—');
  });

  test('status: the budget status, pending before the first evaluation, error when it failed', () => {
    expect(statusOf(sloView())).toBe('warning');
    expect(statusOf(sloView({ status: null }))).toBe('pending');
    expect(statusOf(sloView({ status: sloStatus({ error: 'x', budgetStatus: null }) }))).toBe('error');
    const burning = sloStatus({ burnRates: [burnRate({ firing: true }), burnRate({ name: 't' })] });
    expect(firingAlerts(sloView({ status: burning }))).toEqual(['page-1h']);
    // With pages turned off the same verdict raises nothing.
    const off = sloView({ status: burning });
    expect(firingAlerts({ ...off, spec: { ...off.spec, alerting: { page: false, ticket: true } } })).toEqual([]);
  });

  test('order: least budget first; failing and never evaluated last, by id', () => {
    const list = [
      sloView({ id: 'pending', status: null }),
      sloView({ id: 'healthy', status: sloStatus({ budgetRemaining: 0.9 }) }),
      sloView({ id: 'broken', status: sloStatus({ budgetRemaining: 0, error: 'down' }) }),
      sloView({ id: 'gone', status: sloStatus({ budgetRemaining: 0 }) }),
    ];
    expect(sortSlos(list).map((s) => s.id)).toEqual(['gone', 'healthy', 'broken', 'pending']);
  });
});

test('Prometheus rules: none for a timeslice or an InfluxQL SLI, which the sidecar would refuse', () => {
  expect(noPrometheusRulesReason(sloView().spec)).toBeNull();
  expect(noPrometheusRulesReason({ sli: { timeslice: { query: 'q' } } })).toMatch(/timeslice/);
  expect(noPrometheusRulesReason({ sli: { ratio: {} }, language: 'influxql' })).toMatch(/InfluxQL/);
});
