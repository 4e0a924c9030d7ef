import { anomalyMessage, StreamingDetector } from '@vigil/core';
import type { AnomalyPoint } from './detectSeries';
import { groupIncidents, guideMessage, markedPoints } from './incidents';

const point = (index: number, value: number, confidence = 0.5): AnomalyPoint => ({
  index,
  time: index * 1000,
  value,
  expected: 10,
  stddev: 1,
  type: value > 10 ? 'extreme_high' : 'extreme_low',
  confidence,
  score: confidence,
  message: `m ${index}`,
});

describe('groupIncidents', () => {
  test('consecutive points are one incident, explained by the point furthest from expected', () => {
    const out = groupIncidents('cpu', [point(5, 20, 0.9), point(6, 30, 0.7), point(7, 15), point(12, 2, 1)]);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ metric: 'cpu', start: 5000, end: 7000, points: 3, confidence: 0.9 });
    expect(out[0].peak.index).toBe(6);
    expect(out[1]).toMatchObject({ start: 12000, end: 12000, points: 1, confidence: 1 });
    expect(out[1].peak.type).toBe('extreme_low');
  });

  test('no points, no incidents', () => {
    expect(groupIncidents('cpu', [])).toEqual([]);
  });
});

describe('guideMessage', () => {
  test("says what core's anomalyMessage says for the same point", () => {
    const d = new StreamingDetector({ scoring: 'guide' });
    for (let i = 0; i < 50; i++) {
      d.detect(100 + (i % 5), i * 1000);
    }
    const r = d.detect(180, 50_000);
    expect(r.isAnomaly).toBe(true);
    expect(guideMessage('rps', r.value, r.expected, r.baseline!.stddev)).toBe(anomalyMessage('rps', r));
  });
});

describe('markedPoints', () => {
  test('σ from the band (expected ± sensitivity·σ), confidence as the guide, type when given', () => {
    const columns = {
      times: [1, 2, 3],
      values: [10, 16, 10.5],
      marks: [null, 16, 10.5],
      expected: [10, 10, 10],
      lower: [7, 7, 7],
      upper: [13, 13, 13],
      types: ['', 'extreme_high', 'not a type'],
    };
    const [a, b] = markedPoints('rps', columns, 3);
    expect(a).toMatchObject({
      index: 1,
      time: 2,
      value: 16,
      expected: 10,
      stddev: 1,
      confidence: 1,
      type: 'extreme_high',
    });
    expect(a.message).toBe('Anomaly in rps: current=16.00, expected=10.00±1.00');
    expect(b.type).toBe('unknown');
    expect(b.confidence).toBeCloseTo(0.5 / 3, 9);
  });

  test('the detector’s own confidence when the frame has it; none (NaN, never 0) without it or a band', () => {
    const base = { times: [1, 2], values: [10, 16], marks: [null, 16] };
    const [own] = markedPoints('rps', { ...base, confidence: [null, 0.8], scores: [null, 0.7] }, 3);
    expect(own).toMatchObject({ confidence: 0.8, score: 0.7 });
    const [bare] = markedPoints('rps', base, 3);
    expect(bare.confidence).toBeNaN();
    // an incident of such marks takes the first known confidence, else none
    expect(
      groupIncidents('rps', [
        { ...bare, index: 1 },
        { ...own, index: 2 },
      ])[0].confidence
    ).toBe(0.8);
    expect(groupIncidents('rps', [bare])[0].confidence).toBeNaN();
  });
});
