import { countQueries, hasWindow, withWindow } from './queries';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('countQueries', () => {
  it("fills a ratio SLI's templates with the window, in any of the placeholder spellings", () => {
    expect(
      countQueries(
        {
          kind: 'ratio',
          language: 'promql',
          bad: 'sum(increase(http_requests_total{code=~"5.."}[$__range]))',
          total: 'sum(increase(http_requests_total[{{.window}}]))',
        },
        30 * DAY
      )
    ).toEqual({
      bad: 'sum(increase(http_requests_total{code=~"5.."}[30d]))',
      total: 'sum(increase(http_requests_total[30d]))',
    });
    expect(withWindow('rate(x[${__range}]) + rate(y[$__range])', 90 * MINUTE)).toBe('rate(x[1h30m]) + rate(y[1h30m])');
    expect(hasWindow('sum(x)')).toBe(false);
    expect(hasWindow('sum(increase(x[$__range]))')).toBe(true);
  });

  it('counts a latency SLI from the bucket at the threshold against the count', () => {
    expect(
      countQueries(
        {
          kind: 'latency',
          language: 'promql',
          histogram: 'http_request_duration_seconds',
          matchers: 'job="api"',
          thresholdSeconds: 0.5,
        },
        5 * MINUTE
      )
    ).toEqual({
      good: 'sum(increase(http_request_duration_seconds_bucket{job="api",le="0.5"}[5m]))',
      total: 'sum(increase(http_request_duration_seconds_count{job="api"}[5m]))',
    });
    expect(
      countQueries(
        { kind: 'latency', language: 'promql', histogram: 'h', matchers: '', thresholdSeconds: 1 },
        60 * MINUTE
      ).good
    ).toBe('sum(increase(h_bucket{le="1"}[1h]))');
  });

  it('refuses a timeslice SLI', () => {
    expect(() =>
      countQueries(
        { kind: 'timeslice', language: 'promql', query: 'x', op: '<', threshold: 1, sliceMs: 5 * MINUTE },
        DAY
      )
    ).toThrow(/range query/);
  });
});
