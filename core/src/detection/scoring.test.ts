import { DailyProfile } from './dailyProfile';
import { LikelihoodScorer, erfc, likelihoodScore, likelihoodScoreExact, normalTail } from './scoring';
import { gaussian } from './synthetic';

const T0 = Date.UTC(2024, 0, 1);
const STEP = 300_000;

describe('normalTail', () => {
  it('matches known Gaussian tail probabilities, far into the tail', () => {
    expect(normalTail(0)).toBeCloseTo(0.5, 7);
    expect(normalTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalTail(-1.959964)).toBeCloseTo(0.975, 6);
    // 1 − erf(x) would round to 0 here; erfc keeps the relative precision
    expect(normalTail(6) / 9.8658765e-10).toBeCloseTo(1, 4);
    expect(erfc(3) / 2.2090497e-5).toBeCloseTo(1, 4);
  });
});

describe('likelihoodScore (table)', () => {
  it('matches the exact log-tail mapping within 1e-5 and stays monotone', () => {
    let prev = -1;
    let worst = 0;
    for (let x = -1; x < 12; x += 0.0013) {
      const t = likelihoodScore(x);
      worst = Math.max(worst, Math.abs(t - likelihoodScoreExact(Math.max(0, x))));
      expect(t).toBeGreaterThanOrEqual(prev);
      prev = t;
    }
    expect(worst).toBeLessThan(1e-5);
    expect(likelihoodScore(4.2648)).toBeCloseTo(0.5, 3); // tail 1e-5 → 0.5
    expect(likelihoodScore(Infinity)).toBe(1);
    expect(likelihoodScore(NaN)).toBe(0);
  });
});

describe('DailyProfile', () => {
  it('learns a daily cycle, then scores an off-pattern value high and usual values low', () => {
    const g = gaussian(1);
    const p = new DailyProfile();
    const at = (i: number) => T0 + i * STEP;
    const cycle = (i: number) => 50 + 20 * Math.sin(((at(i) % 86_400_000) / 86_400_000) * 2 * Math.PI);
    const zs: number[] = [];
    for (let i = 0; i < 288 * 6; i++) {
      p.inValue = cycle(i) + g();
      p.inTs = at(i);
      p.step(3, 0.5);
      zs.push(p.z);
    }
    // silent for the first 3 days, then usual values stay within a few σ of their slot
    expect(zs.slice(0, 288 * 3 - 1).every((z) => z === 0)).toBe(true);
    const late = zs.slice(288 * 4);
    expect(late.filter((z) => z > 5).length).toBeLessThan(late.length * 0.01);
    // the middle of the day held flat at the daily mean: far from that slot's usual value
    p.inValue = 50;
    p.inTs = at(288 * 6 + 72); // 06:00, the peak of the cycle
    p.step(3, 0.5);
    expect(p.z).toBeGreaterThan(8);
  });

  it('remembers as many days at 1-minute as at 5-minute sampling', () => {
    const slotMean = (stepMs: number) => {
      const p = new DailyProfile(96, 0.1);
      const perDay = 86_400_000 / stepMs;
      for (let i = 0; i < perDay * 6; i++) {
        p.inValue = i < perDay * 5 ? 10 : 20;
        p.inTs = T0 + i * stepMs;
        p.step(3, 0.5);
      }
      return p.toJSON().mean[40];
    };
    // one day at 20 after five at 10 moves each slot by the same fraction at either rate (here 1/6:
    // still equal weights per day while fewer days than 1/alpha are known)
    const fine = slotMean(60_000);
    const coarse = slotMean(300_000);
    expect(Math.abs(fine - coarse)).toBeLessThan(0.1);
    expect(coarse).toBeGreaterThan(11.5);
    expect(coarse).toBeLessThan(11.8);
  });

  it('stays silent on a series without a daily cycle', () => {
    const g = gaussian(2);
    const p = new DailyProfile();
    for (let i = 0; i < 288 * 6; i++) {
      p.inValue = 10 + g();
      p.inTs = T0 + i * STEP;
      p.step(3, 0.5);
      if (i > 288 * 4) {
        expect(p.z).toBe(0);
      }
    }
  });
});

describe('LikelihoodScorer', () => {
  /** Feeds |z| values (1 per point, 5-minute spacing) and returns the scores. */
  const feed = (sc: LikelihoodScorer, zs: number[], from = 0) =>
    zs.map((z, i) => sc.update(100 + z, z, true, T0 + (from + i) * STEP));

  it('alerts once at a sustained surprise, holds a cool-down, then re-arms after a calm spell', () => {
    const g = gaussian(3);
    const sc = new LikelihoodScorer();
    const calm = () => Array.from({ length: 400 }, () => g());
    const burst = Array.from({ length: 30 }, () => 5 + g());
    const scores = [...feed(sc, calm()), ...feed(sc, burst, 400), ...feed(sc, calm(), 430), ...feed(sc, burst, 830)];
    const alerts = scores.map((s, i) => (s >= 0.5 ? i : -1)).filter((i) => i >= 0);
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toBeGreaterThanOrEqual(400);
    expect(alerts[0]).toBeLessThan(410);
    expect(alerts[1]).toBeGreaterThanOrEqual(830);
    expect(alerts[1]).toBeLessThan(840);
    expect(scores.slice(301, 400).every((s) => s < 0.5)).toBe(true);
  });

  it('scores 1 for a value beyond the whole range seen so far', () => {
    const g = gaussian(4);
    const sc = new LikelihoodScorer();
    feed(
      sc,
      Array.from({ length: 400 }, () => g())
    );
    expect(sc.update(1000, 10, true, T0 + 400 * STEP)).toBe(1);
  });
});
