import { createTheme, FieldColorModeId, FieldType, ThresholdsMode, toDataFrame } from '@grafana/data';
import { GraphDrawStyle } from '@grafana/schema';
import { testSeries } from '../../testing/series';
import { overlayFrames } from './overlayFrames';

const theme = createTheme();
const time = { name: 'time', type: FieldType.time, values: [1, 2, 3, 4] };

describe('overlayFrames', () => {
  test('band: upper fills down to lower; anomaly flags mark the metric value', () => {
    const frame = toDataFrame({
      fields: [
        time,
        { name: 'rps', type: FieldType.number, values: [10, 11, 50, 12] },
        { name: 'Lower', type: FieldType.number, values: [8, 9, 9, 10] },
        { name: 'Upper', type: FieldType.number, values: [12, 13, 13, 14] },
        { name: 'anomaly', type: FieldType.number, values: [0, 0, 1, 0] },
        { name: 'score', type: FieldType.number, values: [0.1, 0.1, 0.99, 0.2] },
      ],
    });
    const out = overlayFrames([frame], theme);
    expect(out).toMatchObject({ seriesCount: 1, anomalyCount: 1, hasBand: true });
    // the chart draws the metric line; the band and marks are drawn over it (drawOverlay.ts)
    const fields = out.frames[0].fields;
    expect(fields.map((f) => f.name)).toEqual(['time', 'rps']);
    expect(fields[1].config.custom.drawStyle).toBe(GraphDrawStyle.Line);
    const [o] = out.overlays;
    expect(o.label).toBe('rps');
    expect(Array.from(o.band!.t)).toEqual([1, 2, 3, 4]);
    expect(Array.from(o.band!.lower)).toEqual([8, 9, 9, 10]);
    expect(Array.from(o.band!.upper)).toEqual([12, 13, 13, 14]);
    expect(o.expected).toBeUndefined();
    expect([Array.from(o.anomalies.t), Array.from(o.anomalies.v)]).toEqual([[3], [50]]);
    // the y axis takes the band in
    expect(fields[1].config.custom).toMatchObject({ axisSoftMin: 8, axisSoftMax: 14 });
  });

  test('anomaly values (not flags) are drawn where they are; booleans are flags', () => {
    const values = toDataFrame({
      fields: [
        time,
        { name: 'v', type: FieldType.number, values: [1, 2, 3, 4] },
        { name: 'anomaly', type: FieldType.number, values: [null, 2.5, null, 4] },
      ],
    });
    expect(Array.from(overlayFrames([values], theme).overlays[0].anomalies.v)).toEqual([2.5, 4]);
    const flags = toDataFrame({
      fields: [
        time,
        { name: 'v', type: FieldType.number, values: [1, 2, 3, 4] },
        { name: 'anomaly', type: FieldType.boolean, values: [false, true, false, true] },
      ],
    });
    const out = overlayFrames([flags], theme);
    expect(Array.from(out.overlays[0].anomalies.v)).toEqual([2, 4]);
    expect(Array.from(out.overlays[0].anomalies.t)).toEqual([2, 4]);
    expect(out.anomalyCount).toBe(2);
  });

  test('frames without a time field or numbers are dropped; several series keep their own colours', () => {
    const noTime = toDataFrame({ fields: [{ name: 'v', type: FieldType.number, values: [1] }] });
    expect(overlayFrames([noTime], theme).frames).toHaveLength(0);
    const two = toDataFrame({
      fields: [
        time,
        { name: 'a', type: FieldType.number, values: [1, 2, 3, 4] },
        { name: 'b', type: FieldType.number, values: [4, 3, 2, 1] },
      ],
    });
    const out = overlayFrames([two], theme);
    expect(out.seriesCount).toBe(2);
    expect(out.hasBand).toBe(false);
    expect(out.frames[0].fields[1].config.color?.fixedColor).not.toBe(out.frames[0].fields[2].config.color?.fixedColor);
  });

  test('a frame without overlay fields: the panel runs the detector on each metric', () => {
    const a = testSeries({ n: 500, period: 240, noise: 2, spikes: { 420: 60 } });
    const b = testSeries({ n: 500, period: 240, noise: 2, seed: 9 });
    const frame = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: a.times },
        { name: 'gateway', type: FieldType.number, values: a.values },
        { name: 'api', type: FieldType.number, values: b.values },
      ],
    });
    const out = overlayFrames([frame], theme);
    expect(out).toMatchObject({ seriesCount: 2, anomalyCount: 1, hasBand: true, detected: true });
    expect(out.frames[0].fields.map((f) => f.name)).toEqual(['time', 'gateway', 'api']);
    expect(out.overlays.map((o) => o.label)).toEqual(['gateway', 'api']);
    for (const o of out.overlays) {
      // 500 points: the band at every point from the detector's minimum samples on
      expect(o.band!.t).toHaveLength(490);
      expect(o.expected!.v).toHaveLength(490);
      expect(o.band!.upper.every((v, i) => v > o.band!.lower[i])).toBe(true);
    }
    expect(out.incidents).toHaveLength(1);
    expect(out.incidents[0]).toMatchObject({ metric: 'gateway', start: a.times[420], points: 1 });
    expect(out.incidents[0].peak.type).toBe('extreme_high');
  });

  test('a frame that carries its verdicts is not re-detected; its marks become incidents', () => {
    const frame = toDataFrame({
      fields: [
        time,
        { name: 'rps', type: FieldType.number, values: [10, 40, 45, 12] },
        { name: 'expected', type: FieldType.number, values: [10, 10, 10, 10] },
        { name: 'lower', type: FieldType.number, values: [7, 7, 7, 7] },
        { name: 'upper', type: FieldType.number, values: [13, 13, 13, 13] },
        { name: 'anomaly', type: FieldType.number, values: [0, 1, 1, 0] },
        { name: 'anomaly_type', type: FieldType.string, values: ['none', 'extreme_high', 'extreme_high', 'none'] },
      ],
    });
    const out = overlayFrames([frame], theme);
    expect(out.detected).toBe(false);
    expect(out.seriesCount).toBe(1);
    expect(out.incidents[0].peak.type).toBe('extreme_high');
    expect(out.incidents).toHaveLength(1);
    expect(out.incidents[0]).toMatchObject({ start: 2, end: 3, points: 2 });
    expect(out.incidents[0].peak.message).toBe('Anomaly in rps: current=45.00, expected=10.00±1.00');
  });

  test('10k points: one pass, every column as long as the series, both spikes found', () => {
    const s = testSeries({ n: 10_000, period: 1440, noise: 2, spikes: { 3000: 50, 7000: -50 } });
    const frame = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: s.times },
        { name: 'latency', type: FieldType.number, values: s.values },
      ],
    });
    const out = overlayFrames([frame], theme);
    for (const f of out.frames[0].fields) {
      expect(f.values).toHaveLength(10_000);
    }
    // 10k points: the band every k-th point (and at every mark), drawn through the points between
    expect(out.overlays[0].band!.t.length).toBeLessThan(600);
    expect(out.overlays[0].band!.t.length).toBeGreaterThan(480);
    const found = out.incidents.map((i) => [i.start, i.peak.type]);
    expect(found).toEqual(
      expect.arrayContaining([
        [s.times[3000], 'extreme_high'],
        [s.times[7000], 'extreme_low'],
      ])
    );
  });

  test('series with the same timestamps become one chart frame; others stay apart (the chart joins them)', () => {
    const s = testSeries({ n: 200, noise: 1 });
    const frame = (name: string, times: number[]) =>
      toDataFrame({
        name,
        fields: [
          { name: 'time', type: FieldType.time, values: [...times] },
          { name: 'value', type: FieldType.number, values: s.values, labels: { instance: name } },
        ],
      });
    const aligned = overlayFrames([frame('a', s.times), frame('b', s.times), frame('c', s.times)], theme);
    expect(aligned.frames).toHaveLength(1);
    expect(aligned.frames[0].fields).toHaveLength(4);
    expect(aligned.overlays).toHaveLength(3);
    const shifted = overlayFrames(
      [
        frame('a', s.times),
        frame(
          'b',
          s.times.map((t) => t + 1000)
        ),
      ],
      theme
    );
    expect(shifted.frames).toHaveLength(2);
  });

  test('no frames, no numbers, one point, all nulls: nothing to draw and no overlay, no throw', () => {
    expect(overlayFrames([], theme)).toMatchObject({ frames: [], overlays: [], seriesCount: 0 });
    const one = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'v', type: FieldType.number, values: [5] },
      ],
    });
    const single = overlayFrames([one], theme);
    expect(single).toMatchObject({ seriesCount: 1, anomalyCount: 0, hasBand: false, marksFrom: null });
    expect(single.frames[0].fields.map((f) => f.name)).toEqual(['time', 'v']);
    const nulls = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2, 3] },
        { name: 'v', type: FieldType.number, values: [null, null, null] },
      ],
    });
    expect(overlayFrames([nulls], theme)).toMatchObject({ seriesCount: 1, anomalyCount: 0, incidents: [] });
  });

  test('each line keeps its field config (unit, min/max, thresholds and their style, a fixed colour)', () => {
    const thresholds = {
      mode: ThresholdsMode.Absolute,
      steps: [
        { value: -Infinity, color: 'green' },
        { value: 80, color: 'red' },
      ],
    };
    const frame = toDataFrame({
      fields: [
        time,
        {
          name: 'cpu',
          type: FieldType.number,
          values: [50, 60, 70, 90],
          config: {
            unit: 'percent',
            max: 100,
            thresholds,
            color: { mode: FieldColorModeId.Fixed, fixedColor: 'purple' },
            custom: { thresholdsStyle: { mode: 'line' } },
          },
        },
      ],
    });
    const [, line] = overlayFrames([frame], theme).frames[0].fields;
    expect(line.config).toMatchObject({ unit: 'percent', max: 100, thresholds });
    expect(line.config.custom).toMatchObject({ thresholdsStyle: { mode: 'line' }, drawStyle: GraphDrawStyle.Line });
    expect(line.config.color?.fixedColor).toBe(theme.visualization.getColorByName('purple'));
  });

  test('bad options throw, naming the option', () => {
    expect(() => overlayFrames([], theme, { sensitivity: 3, window: 5, scoring: 'guide' })).toThrow(/windowSize/);
  });
});
