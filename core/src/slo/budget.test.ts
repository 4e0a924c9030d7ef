import { budgetReport, budgetStatus, burnDown, burnRate, overallCompliance, timeToExhaustionMs } from './budget';

const DAY = 86_400_000;

describe('budgetReport', () => {
  it('weights by events: 30 bad of 100 000 against 99.9% spends 30% of the budget', () => {
    // Allowed bad = 100 000 × 0.001 = 100; 30 / 100 = 0.3.
    const r = budgetReport({ good: 99_970, total: 100_000 }, 99.9);
    expect(r.sli).toBeCloseTo(0.9997, 10);
    expect(r.errorBudget).toBeCloseTo(0.001, 12);
    expect(r.allowedBad).toBeCloseTo(100, 9);
    expect(r.bad).toBe(30);
    expect(r.consumed).toBeCloseTo(0.3, 9);
    expect(r.remaining).toBeCloseTo(0.7, 9);
    expect(r.status).toBe('healthy');
  });

  it('is not an average of ratios: a quiet bad hour weighs by its few events', () => {
    // Busy hour: 10 000 requests, 0 bad; quiet hour: 10 requests, 5 bad. Averaging the two hourly
    // ratios (1 and 0.5) would say SLI 0.75; by events it is 10 005 / 10 010.
    const r = budgetReport({ good: 10_000 + 5, total: 10_000 + 10 }, 99);
    expect(r.sli).toBeCloseTo(10_005 / 10_010, 12);
    // Allowed bad = 10 010 × 0.01 = 100.1; 5 / 100.1.
    expect(r.consumed).toBeCloseTo(5 / 100.1, 12);
  });

  it("uses the guide's status thresholds: warning from 60%, critical from 80%, exhausted at 100%", () => {
    expect([0, 0.599, 0.6, 0.799, 0.8, 0.999, 1, 3].map(budgetStatus)).toEqual([
      'healthy',
      'healthy',
      'warning',
      'warning',
      'critical',
      'critical',
      'exhausted',
      'exhausted',
    ]);
    // 95% target, 1000 events: allowed 50 bad; 40 bad = 80% → critical; 60 bad = 120% → exhausted, remaining 0.
    expect(budgetReport({ good: 960, total: 1000 }, 95).status).toBe('critical');
    const over = budgetReport({ good: 940, total: 1000 }, 95);
    expect(over.consumed).toBeCloseTo(1.2, 9);
    expect(over.remaining).toBe(0);
    expect(over.status).toBe('exhausted');
  });

  it('spends nothing without events, and clamps a good count a hair above the total (increase() floats)', () => {
    expect(budgetReport({ good: 0, total: 0 }, 99.9)).toMatchObject({ sli: null, consumed: 0, remaining: 1 });
    expect(budgetReport({ good: 1000.0000001, total: 1000 }, 99.9)).toMatchObject({ sli: 1, bad: 0, consumed: 0 });
  });

  it('refuses a target outside (0, 100) and impossible counts, saying what was wrong', () => {
    expect(() => budgetReport({ good: 1, total: 1 }, 100)).toThrow(
      /target must be a percentage strictly between 0 and 100, got 100/
    );
    expect(() => budgetReport({ good: 1, total: 1 }, 0)).toThrow(/got 0/);
    expect(() => budgetReport({ good: -1, total: 1 }, 99)).toThrow(/non-negative/);
    expect(() => budgetReport({ good: 5, total: 1 }, 99)).toThrow(/good events \(5\) exceed total events \(1\)/);
    expect(() => budgetReport({ good: NaN, total: 1 }, 99)).toThrow(/finite/);
  });
});

describe('burnRate and timeToExhaustionMs', () => {
  it('is the bad fraction over the allowed one', () => {
    // 1.44% errors against 99.9%: 14.4×, the workbook's fast-burn page.
    expect(burnRate({ good: 98_560, total: 100_000 }, 99.9)).toBeCloseTo(14.4, 9);
    expect(burnRate({ good: 100, total: 100 }, 99.9)).toBe(0);
    expect(burnRate({ good: 0, total: 0 }, 99.9)).toBeNull();
  });

  it('spends the remaining budget at the current rate: 50% left at 14.4× of 30 days lasts 25 hours', () => {
    // 0.5 × 30 d / 14.4 = 1.041 666 d = 25 h.
    expect(timeToExhaustionMs(0.5, 14.4, 30 * DAY)).toBeCloseTo(25 * 3_600_000, 3);
    expect(timeToExhaustionMs(1, 1, 30 * DAY)).toBe(30 * DAY);
    expect(timeToExhaustionMs(0.5, 0, 30 * DAY)).toBeNull();
    expect(timeToExhaustionMs(0.5, null, 30 * DAY)).toBeNull();
    expect(timeToExhaustionMs(0, 3, 30 * DAY)).toBe(0);
  });
});

describe('overallCompliance', () => {
  it("counts the guide's compliant SLOs; no data is not compliant", () => {
    expect(
      overallCompliance([
        { sli: 0.9995, objective: 0.999 },
        { sli: 0.94, objective: 0.95 },
        { sli: null, objective: 0.995 },
        { sli: 0.995, objective: 0.995 },
      ])
    ).toEqual({ compliant: 2, total: 4, overallCompliance: 50 });
    expect(overallCompliance([])).toEqual({ compliant: 0, total: 0, overallCompliance: 0 });
  });
});

describe('burnDown', () => {
  const steps = [
    { t: 1, good: 1000, total: 1000 },
    { t: 2, good: 995, total: 1000 },
    { t: 3, good: 1000, total: 1000 },
    { t: 4, good: 990, total: 1000 },
  ];

  it('against the expected traffic of the window only falls, as errors come', () => {
    // 99% of an expected 10 000 events: 100 bad allowed. Bad so far: 0, 5, 5, 15.
    expect(burnDown(steps, 99, 10_000).map((p) => p.remaining)).toEqual(
      [1, 0.95, 0.95, 0.85].map((x) => expect.closeTo(x, 9))
    );
  });

  it('against the events seen so far, as budgetReport over the prefix', () => {
    const points = burnDown(steps, 99);
    // After step 2: 5 bad of 2000 events, 20 allowed: 25% consumed.
    expect(points[1].consumed).toBeCloseTo(0.25, 9);
    expect(points[3].consumed).toBeCloseTo(budgetReport({ good: 3985, total: 4000 }, 99).consumed, 12);
  });
});
