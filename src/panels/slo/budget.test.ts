import { budgetStatus, detectUnit, errorBudget, toRatio, windowMean } from './budget';

describe('errorBudget (guide: SLO.calculate_error_budget)', () => {
  test('99.95% against 99.9% has consumed half of the budget', () => {
    const b = errorBudget(0.9995, 99.9);
    expect(b.target).toBeCloseTo(0.999, 12);
    expect(b.errorBudget).toBeCloseTo(0.001, 12);
    expect(b.consumed).toBeCloseTo(0.5, 9);
    expect(b.remaining).toBeCloseTo(0.5, 9);
    expect(b.status).toBe('healthy');
  });

  test('a perfect SLI consumes nothing', () => {
    expect(errorBudget(1, 99.9)).toMatchObject({ consumed: 0, remaining: 1, status: 'healthy' });
  });

  test('overspent budget: remaining is clamped at 0 and the status is exhausted', () => {
    const b = errorBudget(0.99, 99.9);
    expect(b.consumed).toBeCloseTo(10, 9);
    expect(b.remaining).toBe(0);
    expect(b.status).toBe('exhausted');
  });

  test('the status follows the consumed fraction: 99% objective, SLI 99.15% → 85% consumed, critical', () => {
    const b = errorBudget(0.9915, 99);
    expect(b.consumed).toBeCloseTo(0.85, 9);
    expect(b.remaining).toBeCloseTo(0.15, 9);
    expect(b.status).toBe('critical');
  });

  test.each([0, 100, -1, 101, NaN])('objective %p is refused with a message naming it', (objective) => {
    expect(() => errorBudget(0.99, objective)).toThrow(/objective must be a percentage strictly between 0 and 100/);
  });

  test.each([1.2, -0.1, NaN])('SLI %p outside [0, 1] is refused', (sli) => {
    expect(() => errorBudget(sli, 99)).toThrow(/SLI must be a ratio between 0 and 1/);
  });
});

describe('budgetStatus thresholds (guide: _get_error_budget_status)', () => {
  test.each([
    [0, 'healthy'],
    [0.599, 'healthy'],
    [0.6, 'warning'],
    [0.799, 'warning'],
    [0.8, 'critical'],
    [0.999, 'critical'],
    [1, 'exhausted'],
    [3, 'exhausted'],
  ])('consumed %p → %s', (consumed, status) => {
    expect(budgetStatus(consumed)).toBe(status);
  });
});

describe('units', () => {
  test('values within [0, 1] read as a ratio, others as a percentage', () => {
    expect(detectUnit([0.999, 1, 0.98])).toBe('ratio');
    expect(detectUnit([99.9, 100, 98])).toBe('percent');
  });

  test('toRatio converts percentages and refuses out-of-range values', () => {
    expect(toRatio(99.9, 'percent')).toBeCloseTo(0.999, 12);
    expect(toRatio(0.5, 'ratio')).toBe(0.5);
    expect(() => toRatio(101, 'percent')).toThrow('SLI value 101 is out of range for a percent (0 to 100)');
    expect(() => toRatio(2, 'ratio')).toThrow('SLI value 2 is out of range for a ratio (0 to 1)');
  });
});

describe('windowMean', () => {
  const minute = 60_000;
  const times = [0, 1, 2, 3, 4, 5].map((m) => m * minute);

  test('averages only the points within the window before the latest point', () => {
    // window of 2 minutes before t=5m keeps t=4m and t=5m (t=3m is on the boundary, excluded)
    expect(windowMean([10, 10, 10, 10, 1, 3], times, 2 * minute)).toEqual({ mean: 2, count: 2 });
  });

  test('skips nulls and NaN; the latest time is the latest finite value', () => {
    expect(windowMean([1, 2, 3, 4, 6, null], times, 2 * minute)).toEqual({ mean: 5, count: 2 });
    expect(windowMean([1, NaN, 3], [0, 1, 2], 10)).toEqual({ mean: 2, count: 2 });
  });

  test('without times every finite value counts; with none it is undefined', () => {
    expect(windowMean([1, 2, 3], undefined, 1)).toEqual({ mean: 2, count: 3 });
    expect(windowMean([null, undefined], times, minute)).toBeUndefined();
  });
});
