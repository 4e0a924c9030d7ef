import { createTheme, FieldType, toDataFrame } from '@grafana/data';
import { testSeries } from '../../testing/series';
import { detectBatch, detectRequest } from './detectBatch';
import { detectSeries, panelDetectorOptions } from './detectSeries';
import { detectOffThread, shareOut, workerAvailable } from './detectWorker';
import { overlayFrames, withDetections } from './overlayFrames';
import { defaultAnomalyOptions } from './types';

const options = panelDetectorOptions(defaultAnomalyOptions);

/** Two series of one query (the same time column) with spikes, and a gap, a NaN and a string in one. */
function twoSeries(n = 3000) {
  const a = testSeries({ n, period: 1440, noise: 2, spikes: { 700: 60, 1900: -60 } });
  const b = testSeries({ n, period: 720, noise: 1, spikes: { 1200: 40, 2500: 45 }, seed: 7 });
  const values: unknown[] = [...b.values];
  values[400] = null;
  values[401] = Number.NaN;
  values[402] = 'x';
  return [
    { metric: 'a', times: a.times, values: a.values },
    { metric: 'b', times: a.times, values: values as Array<number | null> },
  ];
}

describe('detectRequest / detectBatch (what crosses to the worker)', () => {
  test('the columns as Float64Arrays (NaN for what is not a number) give the same detections', () => {
    const jobs = twoSeries();
    const { request, transfer } = detectRequest(jobs, options);
    // one time column for the two series, and every buffer transferred (not copied)
    expect(request.times).toHaveLength(1);
    expect(request.series.map((s) => s.time)).toEqual([0, 0]);
    expect(transfer).toEqual([
      request.times[0].buffer,
      request.series[0].values.buffer,
      request.series[1].values.buffer,
    ]);
    expect(Number.isNaN(request.series[1].values[402])).toBe(true);
    const got = detectBatch(request);
    const want = jobs.map((j) => detectSeries(j.metric, j.times, j.values, options));
    expect(got).toEqual(want);
    expect(got[0].anomalies.length + got[1].anomalies.length).toBeGreaterThan(0);
  });

  test('without a Worker (jest, or a policy that refuses one) detectOffThread runs them here, alike', async () => {
    expect(workerAvailable()).toBe(false);
    const jobs = twoSeries(1500);
    await expect(detectOffThread(jobs, options)).resolves.toEqual(
      jobs.map((j) => detectSeries(j.metric, j.times, j.values, options))
    );
  });

  test('shareOut: series shared among workers by points, each group in the series order', () => {
    const job = (n: number) => ({ metric: `m${n}`, times: [], values: new Array(n).fill(1) });
    const jobs = [job(10), job(50), job(20), job(30), job(40)];
    const groups = shareOut(jobs, 2);
    expect(groups.flat().sort()).toEqual([0, 1, 2, 3, 4]);
    const load = groups.map((g) => g.reduce((s, i) => s + jobs[i].values.length, 0));
    expect(Math.abs(load[0] - load[1])).toBeLessThanOrEqual(10);
    groups.forEach((g) => expect(g).toEqual([...g].sort((a, b) => a - b)));
    expect(shareOut(jobs.slice(0, 1), 4)).toEqual([[0]]);
    expect(shareOut(jobs, 0)).toEqual([[0, 1, 2, 3, 4]]);
  });
});

describe('overlayFrames with the detection deferred (the panel detects in its workers)', () => {
  test('the chart frames come first; with the detections added it is the overlay detected in place', () => {
    const [a, b] = twoSeries();
    const frames = [a, b].map((s) =>
      toDataFrame({
        name: s.metric,
        fields: [
          { name: 'time', type: FieldType.time, values: s.times },
          { name: s.metric, type: FieldType.number, values: s.values },
        ],
      })
    );
    const theme = createTheme();
    const now = overlayFrames(frames, theme, defaultAnomalyOptions);
    const later = overlayFrames(frames, theme, defaultAnomalyOptions, { deferFrom: 1000 });
    expect(now.pending).toEqual([]);
    expect(later.pending.map((j) => j.metric)).toEqual(['a a', 'b b']);
    expect(later).toMatchObject({ overlays: [], incidents: [], anomalyCount: 0, detected: true, marksFrom: null });
    expect(later.frames[0].fields.map((f) => f.name)).toEqual(now.frames[0].fields.map((f) => f.name));
    const done = withDetections(
      later,
      later.pending.map((j) => detectSeries(j.metric, j.times, j.values, later.detectorOptions))
    );
    const shown = (o: typeof now) => ({
      overlays: o.overlays,
      incidents: o.incidents,
      anomalyCount: o.anomalyCount,
      hasBand: o.hasBand,
      marksFrom: o.marksFrom,
      learnedPoints: o.learnedPoints,
      pending: o.pending,
    });
    expect(shown(done)).toEqual(shown(now));
    expect(now.anomalyCount).toBeGreaterThan(0);
    // below the threshold nothing is deferred
    expect(overlayFrames(frames, theme, defaultAnomalyOptions, { deferFrom: 1e9 }).pending).toEqual([]);
  });
});
