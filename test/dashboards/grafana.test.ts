// Grafana's query-side expansion as the dashboard test reproduces it: intervals from Grafana's own
// rangeutil, $__rate_interval from the scrape interval, variables formatted per datasource.
import { builtIns, interpolate, queryInterval, renderLegend, type BoundVariable } from './grafana';
import { splitByDay } from '../../demo/workload/history';

const range = { fromMs: 1_700_000_000_000, toMs: 1_700_000_000_000 + 15 * 60_000 };
const service = (value: string | string[]): Record<string, BoundVariable> => ({
  service: { def: { name: 'service', multi: true, includeAll: true }, value },
});

describe('Grafana query expansion', () => {
  it('computes the interval as Grafana does: rounded, never below the datasource minimum', () => {
    expect(queryInterval(range, 800, undefined)).toEqual({ intervalMs: 1000, interval: '1s' });
    expect(queryInterval(range, 800, '5s')).toEqual({ intervalMs: 5000, interval: '5s' });
    expect(queryInterval({ fromMs: 0, toMs: 24 * 3_600_000 }, 800, '5s').interval).toBe('2m');
  });

  it('gives $__rate_interval four scrapes at least, else one interval plus a scrape', () => {
    expect(builtIns('prometheus', range, { intervalMs: 5000, interval: '5s' }, '5s').__rate_interval).toBe('20s');
    expect(builtIns('prometheus', range, { intervalMs: 120_000, interval: '2m' }, '5s').__rate_interval).toBe('125s');
    expect(builtIns('prometheus', range, { intervalMs: 5000, interval: '5s' }).__rate_interval).toBe('60s');
    expect(builtIns('influxdb', range, { intervalMs: 5000, interval: '5s' }).__rate_interval).toBeUndefined();
  });

  it('formats a multi-value variable as a regex group, a single value as is', () => {
    const b = builtIns('prometheus', range, { intervalMs: 5000, interval: '5s' }, '5s');
    const q = 'rate(x{service=~"$service"}[$__rate_interval]) / ${__range_s}';
    expect(interpolate(q, 'prometheus', service(['api', 'db']), b, range)).toBe(
      'rate(x{service=~"(api|db)"}[20s]) / 900'
    );
    expect(interpolate(q, 'prometheus', service('api'), b, range)).toBe('rate(x{service=~"api"}[20s]) / 900');
    expect(interpolate('"s" =~ /^$service$/ AND $timeFilter', 'influxdb', service(['a.b', 'c']), b, range)).toBe(
      `"s" =~ /^(a\\.b|c)$/ AND time >= ${range.fromMs}ms and time <= ${range.toMs}ms`
    );
  });

  it('refuses a variable nobody defines in a query, keeps it in a legend', () => {
    expect(() => interpolate('x{service="$servce"}', 'prometheus', service('api'), {}, range)).toThrow(
      'unknown variable $servce'
    );
    expect(interpolate('$service $tag_host', 'text', service('api'), {}, range, false)).toBe('api $tag_host');
    expect(renderLegend('{{service}} p95', { service: 'api' })).toBe('api p95');
    expect(renderLegend('__auto', { __name__: 'up', job: 'x' })).toBe('up{job="x"}');
  });

  it('cuts OpenMetrics by day, each part with the TYPE lines and # EOF', () => {
    const day = 86_400;
    const text = ['# TYPE m gauge', `m 1 ${day - 1}`, `m 2 ${day}`, `m 3 ${day + 5}`, '# EOF', ''].join('\n');
    expect(splitByDay(text)).toEqual([
      ['# TYPE m gauge', `m 1 ${day - 1}`, '# EOF', ''].join('\n'),
      ['# TYPE m gauge', `m 2 ${day}`, `m 3 ${day + 5}`, '# EOF', ''].join('\n'),
    ]);
  });
});
