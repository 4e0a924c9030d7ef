import { testSeries } from '../../testing/series';
import { detectSeries, panelDetectorOptions } from './detectSeries';
import { defaultAnomalyOptions } from './types';

describe('detectSeries', () => {
  test('a spike after the learning period is one extreme_high point, explained', () => {
    const s = testSeries({ n: 500, period: 240, noise: 2, spikes: { 420: 60 } });
    const d = detectSeries('api latency', s.times, s.values, panelDetectorOptions(defaultAnomalyOptions));
    expect(d.scored).toBe(true);
    expect(d.anomalies).toHaveLength(1);
    const [a] = d.anomalies;
    expect(a).toMatchObject({ index: 420, time: s.times[420], value: s.values[420], type: 'extreme_high' });
    expect(a.confidence).toBe(1);
    expect(a.value).toBeGreaterThan(d.upper[420]!);
    expect(a.message).toBe(
      `Anomaly in api latency: current=${a.value.toFixed(2)}, expected=${a.expected.toFixed(2)}±${a.stddev.toFixed(2)}`
    );
    // the band is expected ± sensitivity·σ, and the marks column holds the value only where anomalous
    expect(d.upper[420]! - d.expected[420]!).toBeCloseTo(3 * a.stddev, 6);
    expect(d.anomaly.filter((v) => v !== null)).toEqual([s.values[420]]);
  });

  test('marks are possible from the detector warm-up on: minSamples (guide) or the fallback rule (likelihood)', () => {
    const s = testSeries({ n: 400, noise: 1 });
    expect(detectSeries('m', s.times, s.values, { scoring: 'likelihood' }).marksFrom).toBe(s.times[30]);
    expect(detectSeries('m', s.times, s.values, { scoring: 'guide' }).marksFrom).toBe(s.times[10]);
    const short = testSeries({ n: 30, noise: 1 });
    expect(detectSeries('m', short.times, short.values, {}).marksFrom).toBeNull();
  });

  test('no verdict before the minimum samples: those points have no band', () => {
    const s = testSeries({ n: 30, noise: 1 });
    const d = detectSeries('m', s.times, s.values, {});
    expect(d.expected.slice(0, 10)).toEqual(new Array(10).fill(null));
    expect(d.expected.slice(10).every((v) => typeof v === 'number')).toBe(true);
    expect(d.lower).toHaveLength(30);
  });

  test('gaps are skipped, not learned, and stay gaps', () => {
    const s = testSeries({ n: 60, noise: 1 });
    const values: Array<number | null> = [...s.values];
    values[40] = null;
    const d = detectSeries('m', s.times, values, {});
    expect(d.expected[40]).toBeNull();
    expect(d.expected[41]).not.toBeNull();
  });

  test('guide scoring marks every point of a burst beyond the band', () => {
    const s = testSeries({ n: 300, period: 240, noise: 2, spikes: { 200: 60, 201: 70, 202: 50 } });
    const d = detectSeries(
      'm',
      s.times,
      s.values,
      panelDetectorOptions({ ...defaultAnomalyOptions, scoring: 'guide' })
    );
    expect(d.anomalies.map((a) => a.index)).toEqual([200, 201, 202]);
  });

  test('options are checked by core: the message names the bad one', () => {
    expect(() => panelDetectorOptions({ ...defaultAnomalyOptions, window: 10 })).toThrow(/windowSize/);
    expect(() => panelDetectorOptions({ ...defaultAnomalyOptions, sensitivity: -1 })).toThrow(/sensitivity/);
    expect(panelDetectorOptions(defaultAnomalyOptions)).toEqual({
      sensitivity: 3,
      windowSize: 100,
      scoring: 'likelihood',
    });
  });
});
