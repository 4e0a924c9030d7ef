import { testSeries } from '../../testing/series';
import { BAND_POINTS, bandColumns, bandStride, detectSeries, type SeriesDetection } from './detectSeries';

/** A long series with spikes, a dip, a burst, gaps, a NaN, a repeated timestamp and one out of order. */
function denseSeries(n: number) {
  const spikes: Record<number, number> = {};
  for (let k = 1; k * 997 < n; k++) {
    spikes[k * 997] = k % 3 === 0 ? -60 : 60;
  }
  spikes[5003] = 40;
  spikes[5004] = 45;
  spikes[5005] = 50;
  const s = testSeries({ n, period: 1440, noise: 2, spikes });
  const values: Array<number | null> = [...s.values];
  const times: Array<number | null> = [...s.times];
  values[700] = null;
  values[701] = null;
  values[3000] = Number.NaN;
  times[4000] = times[3999];
  times[4500] = times[4400];
  return { times, values };
}

/** What the panel shows of a detection, band aside: marks, incidents, and what it says of learning. */
function verdicts(d: SeriesDetection) {
  return {
    anomalies: d.anomalies,
    incidents: d.incidents,
    marksFrom: d.marksFrom,
    learned: d.learned,
    scored: d.scored,
  };
}

describe('detectSeries on dense series (the band every k-th point, the rest on core fast path)', () => {
  test.each(['likelihood', 'guide'] as const)(
    '%s scoring: the same anomalies, incidents and learning as a full verdict on every point',
    (scoring) => {
      const { times, values } = denseSeries(12_000);
      const exact = detectSeries('m', times, values, { scoring }, { bandStride: 1 });
      const fast = detectSeries('m', times, values, { scoring });
      expect(fast.stride).toBe(bandStride(12_000));
      expect(fast.stride).toBeGreaterThan(1);
      expect(exact.anomalies.length).toBeGreaterThan(3);
      expect(exact.incidents.length).toBeGreaterThan(2);
      expect(verdicts(fast)).toEqual(verdicts(exact));
      // the band, where computed, is the band computed on every point; nowhere else but where marked
      const f = bandColumns(fast.band, times.length);
      const e = bandColumns(exact.band, times.length);
      for (let i = 0; i < times.length; i++) {
        if (f.expected[i] !== null) {
          expect([f.expected[i], f.lower[i], f.upper[i]]).toEqual([e.expected[i], e.lower[i], e.upper[i]]);
        }
      }
      // the gap at 700–701 (and the NaN at 3000) breaks the band
      expect(fast.band.index.filter((i) => Number.isNaN(i))).toHaveLength(2);
      const banded = fast.band.index.length;
      expect(banded).toBeGreaterThan(times.length / fast.stride - 50);
      expect(banded).toBeLessThan(times.length / 2);
    }
  );

  test('up to BAND_POINTS points every point gets its band', () => {
    expect(bandStride(BAND_POINTS)).toBe(1);
    expect(bandStride(BAND_POINTS + 1)).toBe(2);
    const s = testSeries({ n: BAND_POINTS, noise: 1 });
    const d = detectSeries('m', s.times, s.values, {});
    expect(d.stride).toBe(1);
    expect(d.band.index).toEqual(Array.from({ length: BAND_POINTS - 10 }, (_, i) => i + 10));
  });

  test('50,000 points × 10 series: every series scored, marks found', () => {
    for (let k = 0; k < 10; k++) {
      const s = testSeries({ n: 50_000, period: 1440, noise: 2, seed: k + 1, spikes: { 20_000: 80, 41_000: -80 } });
      const d = detectSeries(`s${k}`, s.times, s.values, {});
      expect(d.learned).toBe(50_000);
      expect(d.anomalies.map((a) => a.index)).toEqual(expect.arrayContaining([20_000, 41_000]));
    }
  });
});
