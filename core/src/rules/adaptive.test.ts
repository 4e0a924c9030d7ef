import { adaptiveThreshold, buildAdaptiveProfile, seasonalFactor } from './adaptive';
import { evaluateSamples } from './conditions';
import type { AdaptiveCondition } from './types';

const MIN = 60_000;
const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2026, 0, 5); // Monday 00:00 UTC

/** A week of 5-minute points with a daily cycle: 20 at 04:00, 100 at 16:00. */
function dailyCycle(days = 7, stepMs = 5 * MIN, start = T0): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let t = start; t < start + days * D; t += stepMs) {
    const hour = (t % D) / H;
    out.push([t, 60 - 40 * Math.cos((2 * Math.PI * (hour - 4)) / 24)]);
  }
  return out;
}

const cond: AdaptiveCondition = { kind: 'adaptive', op: '>', threshold: 100 };

describe('adaptive threshold (the guide: mean + 2·stddev·seasonal factor, clamped to [0.5, 2]× base)', () => {
  const at = T0 + 7 * D;
  const profile = buildAdaptiveProfile(dailyCycle(), { at });

  it('profiles the 7 days before its time: count, mean, sample stddev, slots', () => {
    expect(profile.samples).toBe(7 * 288);
    expect(profile.mean).toBeCloseTo(60, 6);
    expect(profile.stddev).toBeCloseTo(40 / Math.SQRT2, 1);
    expect(profile.weekHourCount).toHaveLength(168);
    expect(profile.hourCount[16]).toBe(7 * 12);
    expect(profile.weekHourCount[1 * 24 + 16]).toBe(12); // Monday 16:00
    expect(JSON.parse(JSON.stringify(profile))).toEqual(profile);
  });

  it('a value above the night threshold is below the peak threshold (the issue’s property)', () => {
    const night = adaptiveThreshold(profile, at + 3 * H, cond);
    const peak = adaptiveThreshold(profile, at + 16 * H, cond);
    expect(night.usedBase).toBe(false);
    expect(night.seasonalFactor).toBeLessThan(0.5);
    expect(peak.seasonalFactor).toBeGreaterThan(1.5);
    expect(night.threshold).toBeLessThan(peak.threshold);
    const value = 120;
    expect(value).toBeGreaterThan(night.threshold);
    expect(value).toBeLessThan(peak.threshold);
    // The same through the condition evaluation the engine runs.
    const ctx = { adaptiveProfile: () => profile };
    const [n] = evaluateSamples(cond, [{ labels: {}, value }], at + 3 * H, ctx);
    const [p] = evaluateSamples(cond, [{ labels: {}, value }], at + 16 * H, ctx);
    expect(n).toMatchObject({ active: true, threshold: night.threshold });
    expect(p).toMatchObject({ active: false, threshold: peak.threshold });
  });

  it('computes the formula exactly when not clamped', () => {
    const r = adaptiveThreshold(profile, at + 16 * H, cond);
    const slot = profile.weekHourMean[1 * 24 + 16];
    expect(r.seasonalFactor).toBeCloseTo(slot / profile.mean, 12);
    expect(r.threshold).toBeCloseTo(profile.mean + 2 * profile.stddev * r.seasonalFactor, 9);
    expect(r.clamped).toBe(false);
  });

  it('uses the base threshold under minSamples samples, or without a profile', () => {
    const small = buildAdaptiveProfile(dailyCycle(1, 15 * MIN), { at: T0 + D }); // 96 samples
    expect(small.samples).toBe(96);
    expect(adaptiveThreshold(small, T0 + D, cond)).toMatchObject({ threshold: 100, usedBase: true, samples: 96 });
    expect(adaptiveThreshold(small, T0 + D, { ...cond, minSamples: 50 }).usedBase).toBe(false);
    expect(adaptiveThreshold(undefined, T0, cond)).toMatchObject({ threshold: 100, usedBase: true, samples: 0 });
  });

  it('clamps to [0.5, 2] × base, also for a negative base', () => {
    expect(adaptiveThreshold(profile, at + 16 * H, { ...cond, threshold: 40 })).toMatchObject({ threshold: 80, clamped: true });
    expect(adaptiveThreshold(profile, at + 3 * H, { ...cond, threshold: 1000 })).toMatchObject({ threshold: 500, clamped: true });
    const neg = buildAdaptiveProfile(
      dailyCycle().map(([t, v]) => [t, -v]),
      { at }
    );
    const r = adaptiveThreshold(neg, at + 16 * H, { ...cond, threshold: -50 });
    // mean −60, factor 1 (non-positive mean): −60 + 2·28.3 ≈ −3.4, clamped into [−100, −25].
    expect(r.seasonalFactor).toBe(1);
    expect(r).toMatchObject({ threshold: -25, clamped: true });
  });

  it('takes stddevs from the condition', () => {
    const one = adaptiveThreshold(profile, at + 16 * H, { ...cond, stddevs: 1, threshold: 80 });
    expect(one.threshold).toBeCloseTo(profile.mean + profile.stddev * one.seasonalFactor, 9);
  });
});

describe('seasonal factor', () => {
  it('uses the (weekday, hour) slot first: a quiet weekend peak gets a lower threshold', () => {
    // Weekdays peak at 100 at 16:00; Saturday and Sunday stay at 20 all day.
    const pts = dailyCycle().map(([t, v]): [number, number] => {
      const weekday = new Date(t).getUTCDay();
      return [t, weekday === 0 || weekday === 6 ? 20 : v];
    });
    const p = buildAdaptiveProfile(pts, { at: T0 + 7 * D });
    const saturday16 = T0 + 12 * D + 16 * H; // 2026-01-17 is a Saturday
    const monday16 = T0 + 7 * D + 16 * H;
    expect(new Date(saturday16).getUTCDay()).toBe(6);
    expect(seasonalFactor(p, saturday16)).toBeCloseTo(20 / p.mean, 12);
    expect(seasonalFactor(p, monday16)).toBeCloseTo(p.weekHourMean[1 * 24 + 16] / p.mean, 12);
    expect(seasonalFactor(p, saturday16)).toBeLessThan(seasonalFactor(p, monday16));
    expect(p.hourMean[16]).not.toBeCloseTo(20, 0); // the hour-of-day slot alone would mix both
  });

  it('falls back to the hour of day when the weekday slot is thin', () => {
    // Hourly points for 7 days: 1 per weekday slot (< 6) but 7 per hour of day.
    const p = buildAdaptiveProfile(dailyCycle(7, H), { at: T0 + 7 * D });
    expect(p.weekHourCount[1 * 24 + 16]).toBe(1);
    expect(seasonalFactor(p, T0 + 7 * D + 16 * H)).toBeCloseTo(p.hourMean[16] / p.mean, 12);
  });

  it('is 1 when neither slot holds 6 samples, or the mean is not positive', () => {
    const nightOnly = dailyCycle(7, 10 * MIN).filter(([t]) => (t % D) / H < 6);
    const p = buildAdaptiveProfile(nightOnly, { at: T0 + 7 * D });
    expect(seasonalFactor(p, T0 + 7 * D + 12 * H)).toBe(1);
    const zero = buildAdaptiveProfile(
      dailyCycle().map(([t]) => [t, 0]),
      { at: T0 + 7 * D }
    );
    expect(seasonalFactor(zero, T0 + 7 * D + 16 * H)).toBe(1);
  });

  it('is clamped to [0.1, 10]', () => {
    // One hour a day at 1000, the rest near 0: that hour is far above 10× the mean, the others far below 0.1×.
    const pts = dailyCycle().map(([t]): [number, number] => [t, (t % D) / H >= 16 && (t % D) / H < 17 ? 1000 : 0.001]);
    const p = buildAdaptiveProfile(pts, { at: T0 + 7 * D });
    expect(seasonalFactor(p, T0 + 7 * D + 16 * H)).toBe(10);
    expect(seasonalFactor(p, T0 + 7 * D + 3 * H)).toBe(0.1);
  });

  it('ignores points outside [at − baselineDays, at) and non-finite values', () => {
    const pts = [...dailyCycle(), [T0 + 8 * D, 1e9] as [number, number], [T0 + D, NaN] as [number, number]];
    const p = buildAdaptiveProfile(pts, { at: T0 + 7 * D, baselineDays: 7 });
    expect(p.samples).toBe(7 * 288);
    const short = buildAdaptiveProfile(pts, { at: T0 + 7 * D, baselineDays: 2 });
    expect(short.samples).toBe(2 * 288);
  });
});
