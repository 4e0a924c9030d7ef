import type uPlot from 'uplot';
import { drawAnomalies, drawBands, type SeriesOverlay } from './drawOverlay';

const colors = { band: 'blue', expected: 'white', anomaly: 'red' };

/** A uPlot stand-in: linear scales, a real (jest-canvas-mock) 2D context. */
function fakePlot(shown: boolean[]) {
  const ctx = document.createElement('canvas').getContext('2d')!;
  return {
    ctx,
    bbox: { left: 0, top: 0, width: 100, height: 100 },
    series: [{}, ...shown.map((show) => ({ show, scale: 'y' }))],
    valToPos: (v: number, key: string) => (key === 'x' ? v : 100 - v),
  } as unknown as uPlot & { ctx: CanvasRenderingContext2D & { __getEvents(): Array<{ type: string }> } };
}

const f64 = (xs: number[]) => Float64Array.from(xs);
const overlay = (label: string, lower: number[]): SeriesOverlay => ({
  label,
  expected: { t: f64([1, 2, 3, 4, 5]), v: f64([10, 11, NaN, 13, 14]) },
  band: { t: f64([1, 2, 3, 4, 5]), lower: f64(lower), upper: f64(lower.map((x) => x + 5)) },
  anomalies: { t: f64([3]), v: f64([40]) },
});
const index = (label: string) => ({ a: 1, b: 2 })[label] ?? -1;
const count = (u: ReturnType<typeof fakePlot>, type: string) =>
  u.ctx.__getEvents().filter((e) => e.type === type).length;

describe('drawOverlay', () => {
  test('a band and expected line per visible series, broken where a value is missing', () => {
    const u = fakePlot([true, true]);
    drawBands(u, index, [overlay('a', [5, 6, 7, 8, 9]), overlay('b', [5, 6, NaN, 8, 9])], colors);
    // a: one band polygon; b: two (NaN at 3); expected lines: two runs each
    expect(count(u, 'fill')).toBe(3);
    expect(count(u, 'stroke')).toBe(4);
    expect(count(u, 'clip')).toBe(1);
  });

  test('a hidden series or one the chart does not draw gets no overlay', () => {
    const u = fakePlot([false, true]);
    drawBands(u, index, [overlay('a', [5, 6, 7, 8, 9]), overlay('missing', [1, 2, 3, 4, 5])], colors);
    expect(count(u, 'fill')).toBe(0);
    drawAnomalies(u, index, [overlay('a', [5, 6, 7, 8, 9]), overlay('b', [5, 6, 7, 8, 9])], colors);
    expect(count(u, 'arc')).toBe(1);
  });

  test('a dense band is drawn as its envelope, one point per pixel column', () => {
    const u = fakePlot([true]);
    const n = 5000;
    const t = Float64Array.from({ length: n }, (_, i) => i / 100); // 50 pixel columns
    const lower = Float64Array.from({ length: n }, (_, i) => 10 + (i % 7));
    const dense: SeriesOverlay = {
      label: 'a',
      band: { t, lower, upper: lower.map((x) => x + 5) },
      anomalies: { t: f64([]), v: f64([]) },
    };
    drawBands(u, index, [dense], colors);
    const lines = count(u, 'lineTo');
    expect(lines).toBeGreaterThan(90);
    expect(lines).toBeLessThan(110);
  });
});
