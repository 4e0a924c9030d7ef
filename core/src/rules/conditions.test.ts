import { buildAdaptiveProfile, type AdaptiveProfile } from './adaptive';
import { buildHourlyBaseline } from './baseline';
import { compare, evaluateSamples, parseGuideCondition } from './conditions';
import type { Comparator } from './types';

describe('compare', () => {
  it.each<[Comparator, number, number, boolean]>([
    ['>', 2, 1, true],
    ['>', 1, 1, false],
    ['>=', 1, 1, true],
    ['<', 0, 1, true],
    ['<=', 1, 1, true],
    ['<=', 2, 1, false],
    ['==', 0, 0, true],
    ['==', 0, 1, false],
    ['!=', 0, 1, true],
    ['!=', 1, 1, false],
  ])('%d %s %d is %s', (op, a, b, want) => {
    expect(compare(op, a, b)).toBe(want);
  });

  it('never matches NaN, whatever the operator (a missing value cannot fire)', () => {
    for (const op of ['>', '>=', '<', '<=', '==', '!='] as Comparator[]) {
      expect(compare(op, NaN, 1)).toBe(false);
      expect(compare(op, 1, NaN)).toBe(false);
    }
  });

  it('handles infinities as numbers', () => {
    expect(compare('>', Infinity, 1e308)).toBe(true);
    expect(compare('==', -Infinity, -Infinity)).toBe(true);
  });
});

describe('parseGuideCondition', () => {
  it.each([
    ['> 100', { op: '>', threshold: 100 }],
    ['== 0', { op: '==', threshold: 0 }],
    ['< -20', { op: '<', threshold: -20 }],
    ['>=0.5', { op: '>=', threshold: 0.5 }],
    ['  != 1e3 ', { op: '!=', threshold: 1000 }],
    ['<= .25', { op: '<=', threshold: 0.25 }],
    ['anomaly_confidence > 0.5', { op: '>', threshold: 0.5, metric: 'anomaly_confidence' }],
    ['response_time_p95 < 500', { op: '<', threshold: 500, metric: 'response_time_p95' }],
  ])('%j', (text, want) => {
    expect(parseGuideCondition(text)).toEqual(want);
  });

  it.each(['', '100', '> ', '>> 1', '=> 1', '> abc', '> 1 2', 'above 100', '> NaN', '> Infinity', '> 1e999'])(
    'rejects %j',
    (text) => {
      expect(() => parseGuideCondition(text)).toThrow(/invalid condition|not a finite number/);
    }
  );

  it('rejects text over 256 characters without running the pattern on it', () => {
    expect(() => parseGuideCondition(`> ${'1'.repeat(300)}`)).toThrow(/invalid condition/);
  });

  it('names what it expected', () => {
    expect(() => parseGuideCondition('above 100')).toThrow('invalid condition "above 100": expected a comparator (> >= < <= == !=) and a number, such as "> 100"');
  });
});

describe('evaluateSamples', () => {
  const at = Date.UTC(2026, 0, 12, 10);
  const s = (value: number, labels: Record<string, string> = { instance: 'a' }) => ({ labels, value });

  it('threshold: active = value <op> threshold, threshold reported', () => {
    const out = evaluateSamples({ kind: 'threshold', op: '>', threshold: 80 }, [s(81), s(80), s(NaN)], at);
    expect(out.map((e) => e.active)).toEqual([true, false, false]);
    expect(out.every((e) => e.threshold === 80)).toBe(true);
    expect(out[0]).toEqual({ labels: { instance: 'a' }, value: 81, active: true, threshold: 80 });
  });

  it('adaptive: the base threshold without history, per-series profiles otherwise', () => {
    const cond = { kind: 'adaptive', op: '>', threshold: 100, minSamples: 1 } as const;
    const profiles: Record<string, AdaptiveProfile> = {
      b: buildAdaptiveProfile([[at - 1000, 70], [at - 2000, 90]], { at }),
    };
    const out = evaluateSamples(cond, [s(120, { instance: 'a' }), s(120, { instance: 'b' })], at, {
      adaptiveProfile: (l) => profiles[l.instance],
    });
    expect(out[0]).toMatchObject({ active: true, threshold: 100 });
    // b: mean 80, stddev √200 ≈ 14.1, factor 1 → 108.3 in [50, 200].
    expect(out[1].threshold).toBeCloseTo(80 + 2 * Math.sqrt(200), 9);
    expect(out[1].active).toBe(true);
  });

  it('baseline: compared = % change, active = change <op> threshold; inactive without a baseline', () => {
    const H = 3_600_000;
    const baseline = buildHourlyBaseline([[at - 24 * H, 200], [at - 48 * H, 200]], 7, at);
    const cond = { kind: 'baseline', op: '<', threshold: -20 } as const;
    const out = evaluateSamples(cond, [s(150), s(170), s(150, { instance: 'none' })], at, {
      hourlyBaseline: (l) => (l.instance === 'a' ? baseline : undefined),
    });
    expect(out[0]).toMatchObject({ active: true, threshold: -20, compared: -25 });
    expect(out[1]).toMatchObject({ active: false, compared: -15 });
    expect(out[2]).toEqual({ labels: { instance: 'none' }, value: 150, active: false, threshold: -20 });
  });

  it('anomaly: value is the confidence, severity from it unless fixed', () => {
    const cond = { kind: 'anomaly', detector: 'latency', minConfidence: 0.5 } as const;
    const out = evaluateSamples(cond, [s(0.95), s(0.75), s(0.5)], at);
    expect(out.map((e) => [e.active, e.severity, e.threshold])).toEqual([
      [true, 'error', 0.5],
      [true, 'warning', 0.5],
      [false, 'info', 0.5],
    ]);
    const fixed = evaluateSamples({ ...cond, fixedSeverity: true }, [s(0.95)], at);
    expect(fixed[0].severity).toBeUndefined();
  });
});
