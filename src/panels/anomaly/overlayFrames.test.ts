import { createTheme, FieldType, toDataFrame } from '@grafana/data';
import { GraphDrawStyle } from '@grafana/schema';
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
    const fields = out.frames[0].fields;
    expect(fields.map((f) => f.name)).toEqual(['time', 'rps', 'rps expected band', 'rps lower', 'rps anomalies']);
    expect(fields[2].config.custom.fillBelowTo).toBe('rps lower');
    expect(fields[3].config.custom.hideFrom.legend).toBe(true);
    const points = fields[4];
    expect(Array.from(points.values)).toEqual([null, null, 50, null]);
    expect(points.config.custom.drawStyle).toBe(GraphDrawStyle.Points);
  });

  test('anomaly values (not flags) are drawn where they are; booleans are flags', () => {
    const values = toDataFrame({
      fields: [
        time,
        { name: 'v', type: FieldType.number, values: [1, 2, 3, 4] },
        { name: 'anomaly', type: FieldType.number, values: [null, 2.5, null, 4] },
      ],
    });
    expect(Array.from(overlayFrames([values], theme).frames[0].fields[2].values)).toEqual([null, 2.5, null, 4]);
    const flags = toDataFrame({
      fields: [
        time,
        { name: 'v', type: FieldType.number, values: [1, 2, 3, 4] },
        { name: 'anomaly', type: FieldType.boolean, values: [false, true, false, true] },
      ],
    });
    const out = overlayFrames([flags], theme);
    expect(Array.from(out.frames[0].fields[2].values)).toEqual([null, 2, null, 4]);
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
});
