import { prepareEndpoint, formatDuration } from './http';
import { expandInfluxQuery, influxToSeries } from './influxdb';
import { parseSampleValue } from './prometheus';

describe('parseSampleValue', () => {
  it('reads Prometheus sample strings, including the special values', () => {
    expect(['1.5', '-2e3', 'NaN', '+Inf', '-Inf'].map(parseSampleValue)).toEqual([
      1.5,
      -2000,
      NaN,
      Infinity,
      -Infinity,
    ]);
  });
});

describe('expandInfluxQuery', () => {
  it('expands $timeFilter and the interval macros', () => {
    expect(
      expandInfluxQuery(
        'SELECT mean(v) FROM m WHERE $timeFilter GROUP BY time($__interval), time($interval)',
        1000,
        61000.5,
        30
      )
    ).toBe('SELECT mean(v) FROM m WHERE time >= 1000ms AND time <= 61001ms GROUP BY time(30s), time(30s)');
  });
});

describe('influxToSeries', () => {
  it('maps each value column to a series, skipping null buckets and non-numbers', () => {
    const series = influxToSeries([
      {
        name: 'cpu',
        tags: { host: 'a' },
        columns: ['time', 'mean'],
        values: [
          [1, 0.5],
          [2, null],
          [3, 1],
        ],
      },
      { name: 'up', columns: ['time', 'ok', 'note'], values: [[1, true, 'x']] },
    ]);
    expect(series).toEqual([
      {
        labels: { host: 'a', __name__: 'cpu' },
        points: [
          [1, 0.5],
          [3, 1],
        ],
      },
      { labels: { __name__: 'up', __field__: 'ok' }, points: [[1, 1]] },
      { labels: { __name__: 'up', __field__: 'note' }, points: [] },
    ]);
  });
});

describe('prepareEndpoint', () => {
  it('moves URL credentials into a Basic header and out of the URL', () => {
    const { base, headers } = prepareEndpoint('http://u%40x:p%3Aw@127.0.0.1:9090/prom', { kind: 'none' }, 'Bearer');
    expect(base.toString()).toBe('http://127.0.0.1:9090/prom/');
    expect(Buffer.from(headers.authorization.replace('Basic ', ''), 'base64').toString()).toBe('u@x:p:w');
  });

  it('uses the scheme of the datasource for tokens', () => {
    expect(prepareEndpoint('http://h', { kind: 'token', token: 't' }, 'Token').headers.authorization).toBe('Token t');
    expect(prepareEndpoint('http://h', { kind: 'token', token: 't' }, 'Bearer').headers.authorization).toBe('Bearer t');
    expect(prepareEndpoint('http://h', { kind: 'none' }, 'Bearer').headers.authorization).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('says 30s, 1.5s or 250ms', () => {
    expect([30000, 1500, 250].map(formatDuration)).toEqual(['30s', '1.5s', '250ms']);
  });
});
