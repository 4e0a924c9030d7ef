import { testSeries } from '../../testing/series';
import { bandColumns, detectSeries, panelDetectorOptions } from './detectSeries';
import { defaultAnomalyOptions } from './types';

describe('detectSeries', () => {
  test('a spike after the learning period is one extreme_high point, explained', () => {
    const s = testSeries({ n: 500, period: 240, noise: 2, spikes: { 420: 60 } });
    const d = detectSeries('api latency', s.times, s.values, panelDetectorOptions(defaultAnomalyOptions));
    const c = bandColumns(d.band, 500);
    expect(d.scored).toBe(true);
    expect(d.anomalies).toHaveLength(1);
    const [a] = d.anomalies;
    expect(a).toMatchObject({ index: 420, time: s.times[420], value: s.values[420], type: 'extreme_high' });
    expect(a.confidence).toBe(1);
    expect(a.value).toBeGreaterThan(c.upper[420]!);
    expect(a.message).toBe(
      `Anomaly in api latency: current=${a.value.toFixed(2)}, expected=${a.expected.toFixed(2)}±${a.stddev.toFixed(2)}`
    );
    // the band is expected ± sensitivity·σ, and the only mark is the spike
    expect(c.upper[420]! - c.expected[420]!).toBeCloseTo(3 * a.stddev, 6);
    expect(d.anomalies.map((x) => x.value)).toEqual([s.values[420]]);
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
    const c = bandColumns(detectSeries('m', s.times, s.values, {}).band, 30);
    expect(c.expected.slice(0, 10)).toEqual(new Array(10).fill(null));
    expect(c.expected.slice(10).every((v) => typeof v === 'number')).toBe(true);
    expect(c.lower).toHaveLength(30);
  });

  test('gaps are skipped, not learned, and stay gaps', () => {
    const s = testSeries({ n: 60, noise: 1 });
    const values: Array<number | null> = [...s.values];
    values[40] = null;
    const d = detectSeries('m', s.times, values, {});
    const c = bandColumns(d.band, 60);
    expect(c.expected[40]).toBeNull();
    expect(c.expected[41]).not.toBeNull();
    // the band breaks at the gap as the line does: one NaN entry, between points 39 and 41
    const k = d.band.index.findIndex((i) => Number.isNaN(i));
    expect([d.band.index[k - 1], d.band.index[k + 1], Number.isNaN(d.band.upper[k])]).toEqual([39, 41, true]);
    expect(d.band.index.filter((i) => Number.isNaN(i))).toHaveLength(1);
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
