import { ConfigError, loadConfig } from './load';
import { defaultLookbackMs } from './detectorSchema';
import { formatDuration, parseDuration } from './duration';

const env = { VIGIL_TOKEN: 'test-token-0123456789abcdef' };
const prometheus = { name: 'prom', type: 'prometheus', url: 'http://127.0.0.1:9090' };
const detector = { name: 'latency', datasource: 'prom', query: 'up' };

function load(detectors: unknown[], datasources: unknown[] = [prometheus]) {
  return loadConfig({ values: { datasources, detectors }, env });
}

function errorOf(detectors: unknown[], datasources: unknown[] = [prometheus]): string {
  try {
    load(detectors, datasources);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('detectors config', () => {
  it('fills in the defaults: interval 30s, step = interval, lookback max((window + 300) · step, 1 day)', () => {
    const [d] = load([detector]).detectors;
    expect(d).toMatchObject({
      intervalMs: 30_000,
      stepMs: 30_000,
      lookbackMs: 86_400_000,
      closeAfter: 3,
      enabled: true,
    });
    expect(d.options).toEqual({});
    const [e] = load([{ ...detector, interval: '10s', step: '5m', options: { windowSize: 300 } }]).detectors;
    expect(e).toMatchObject({ intervalMs: 10_000, stepMs: 300_000, lookbackMs: 600 * 300_000 });
    expect(defaultLookbackMs(1000)).toBe(86_400_000);
  });

  it('names an unknown datasource and lists the configured ones', () => {
    expect(errorOf([{ ...detector, datasource: 'influx' }])).toBe(
      'config: detectors.0.datasource: unknown datasource "influx" (configured: prom)'
    );
    expect(errorOf([detector], [])).toBe(
      'config: detectors.0.datasource: unknown datasource "prom" (no datasources are configured)'
    );
  });

  it('names bad durations, options, duplicates and unknown keys by key', () => {
    expect(errorOf([{ ...detector, interval: 'soon' }])).toMatch(
      /^config: detectors\.0\.interval: expected a duration/
    );
    expect(errorOf([{ ...detector, options: { windowSize: 5 } }])).toMatch(
      /^config: detectors\.0\.options\.windowSize: /
    );
    expect(errorOf([{ ...detector, options: { windowSize: 30, minSamples: 50 } }])).toMatch(
      /^config: detectors\.0\.options\.minSamples: must be an integer in \[2, windowSize\]/
    );
    expect(errorOf([{ ...detector, options: { window: 30 } }])).toBe(
      'config: detectors.0.options: unknown key "window"'
    );
    expect(errorOf([detector, detector])).toBe('config: detectors.1.name: duplicate detector name "latency"');
    expect(errorOf([{ ...detector, lookback: '10s', step: '1m' }])).toBe(
      'config: detectors.0.lookback: must be at least one step'
    );
    expect(errorOf([{ ...detector, query: '' }])).toBe('config: detectors.0.query: must not be empty');
  });
});

describe('durations', () => {
  it('parses Prometheus-style durations and rejects others', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1d')).toBe(86_400_000);
    for (const bad of ['', '30', 's', '1.5m', '0s', '-1s', '1 h']) {
      expect(parseDuration(bad)).toBeNull();
    }
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(86_400_000)).toBe('1d');
  });
});
