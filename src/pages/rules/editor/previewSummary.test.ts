import { previewResponse } from '../../../testing/rules';
import { buildChartModel, labelText, linear, niceTicks, timeTicks } from './chartModel';
import { summarizePreview } from './previewSummary';

describe('summarizePreview', () => {
  test('counts firing events, firing time, and lists events newest first', () => {
    const s = summarizePreview(previewResponse(0, 3_600_000), 'the last 24 hours');
    expect(s.fired).toBe(1);
    expect(s.resolved).toBe(1);
    expect(s.firingMs).toBe(15 * 60_000);
    expect(s.text).toBe('Would have fired once in the last 24 hours (1 series, 15m firing in total)');
    expect(s.events.map((e) => [e.event, e.at, e.series, e.value, e.threshold])).toEqual([
      ['resolved', '1970-01-01 00:40:00 UTC', '{instance="a:9100"}', '50', '80'],
      ['firing', '1970-01-01 00:25:00 UTC', '{instance="a:9100"}', '90', '80'],
    ]);
  });

  test('no events: would not have fired', () => {
    const p = { ...previewResponse(), events: [], intervals: [] };
    expect(summarizePreview(p, 'the last 7 days').text).toBe('Would not have fired in the last 7 days (1 series)');
  });
});

describe('buildChartModel', () => {
  test('a series and its threshold line, the intervals, y range with headroom', () => {
    const m = buildChartModel(previewResponse(0, 3_600_000));
    expect(m.lines.map((l) => [l.kind, l.series, l.label])).toEqual([
      ['series', 0, '{instance="a:9100"}'],
      ['threshold', 0, 'threshold {instance="a:9100"}'],
    ]);
    expect(m.intervals).toEqual([
      { state: 'pending', from: 20 * 60_000, to: 25 * 60_000 },
      { state: 'firing', from: 25 * 60_000, to: 40 * 60_000 },
    ]);
    expect([m.xMin, m.xMax, m.yMin, m.yMax]).toEqual([0, 3_600_000, 48, 92]);
    expect(m.unit).toBe('value');
  });

  test('baseline previews plot the % change; extra series are counted, not drawn', () => {
    const p = previewResponse(0, 120_000);
    const s = p.series[0];
    p.series = Array.from({ length: 8 }, (_, i) => ({
      ...s,
      fingerprint: `f${i}`,
      compared: s.points.map(([t]) => [t, -30] as [number, number]),
    }));
    const m = buildChartModel(p, 6);
    expect(m.unit).toBe('percent');
    expect(m.hiddenSeries).toBe(2);
    expect(m.lines[0].points[0]).toEqual([0, -30]);
  });

  test('no values at all gives a 0..1 range; a flat series is widened', () => {
    const p = previewResponse(0, 120_000);
    p.series[0].points = p.series[0].points.map(([t]) => [t, null]);
    p.series[0].thresholds = p.series[0].thresholds.map(([t]) => [t, null]);
    expect([buildChartModel(p).yMin, buildChartModel(p).yMax]).toEqual([0, 1]);
    p.series[0].points = p.series[0].points.map(([t]) => [t, 10]);
    expect([buildChartModel(p).yMin, buildChartModel(p).yMax]).toEqual([9, 11]);
  });
});

describe('axes', () => {
  test('linear maps the domain onto the range, inverted for y', () => {
    const y = linear(0, 100, 200, 0);
    expect([y(0), y(50), y(100)]).toEqual([200, 100, 0]);
  });

  test('niceTicks uses 1-2-5 steps', () => {
    expect(niceTicks(48, 92, 5)).toEqual([50, 60, 70, 80, 90]);
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.5, 1]);
    expect(niceTicks(5, 5)).toEqual([5]);
  });

  test('time ticks: hours within a day, dates across a week', () => {
    const day = timeTicks(0, 24 * 3_600_000, 6);
    expect(day.map((t) => t.label)).toEqual(['00:00', '06:00', '12:00', '18:00', '00:00']);
    const week = timeTicks(0, 7 * 86_400_000, 6);
    expect(week[0].label).toBe('01-01');
    expect(week.length).toBeLessThanOrEqual(7);
  });

  test('labelText sorts label names', () => {
    expect(labelText({ b: '2', a: '1' })).toBe('{a="1", b="2"}');
    expect(labelText({})).toBe('{}');
  });
});
