import { evalOffset, evalTimesBetween, lastEvalTime, nextEvalTime } from './schedule';

describe('evalOffset', () => {
  it('is deterministic and inside [0, interval)', () => {
    for (const id of ['high_cpu_usage', 'service_down', 'a', '']) {
      const o = evalOffset(id, 60_000);
      expect(o).toBe(evalOffset(id, 60_000));
      expect(Number.isInteger(o)).toBe(true);
      expect(o).toBeGreaterThanOrEqual(0);
      expect(o).toBeLessThan(60_000);
    }
  });

  it('keeps its golden value (live and stored schedules must not move between versions)', () => {
    // 64-bit FNV-1a of "high_cpu_usage" + 0xff is 0x6aa436f80fd1ba55; modulo 60000.
    expect(evalOffset('high_cpu_usage', 60_000)).toBe(Number(0x6aa436f80fd1ba55n % 60_000n));
  });

  it('spreads many rules over the interval', () => {
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 1000; i++) {
      buckets[Math.floor(evalOffset(`rule_${i}`, 15_000) / 1500)]++;
    }
    // Uniform would be 100 per bucket; a hash that clusters would leave some near empty.
    expect(Math.min(...buckets)).toBeGreaterThan(60);
    expect(Math.max(...buckets)).toBeLessThan(140);
  });

  it('refuses a non-positive interval', () => {
    expect(() => evalOffset('r', 0)).toThrow(/positive/);
  });
});

describe('evaluation grid', () => {
  it('lists the grid times within [from, to], bounds included', () => {
    expect(evalTimesBetween(1000, 4000, 1000, 0)).toEqual([1000, 2000, 3000, 4000]);
    expect(evalTimesBetween(1001, 4000, 1000, 250)).toEqual([1250, 2250, 3250]);
    expect(evalTimesBetween(5000, 4000, 1000, 0)).toEqual([]);
  });

  it('lastEvalTime is the latest grid time at or before now; nextEvalTime the one after', () => {
    expect(lastEvalTime(10_500, 1000, 250)).toBe(10_250);
    expect(lastEvalTime(10_250, 1000, 250)).toBe(10_250);
    expect(lastEvalTime(10_249, 1000, 250)).toBe(9250);
    expect(nextEvalTime(10_250, 1000, 250)).toBe(11_250);
  });

  it('live and backtest agree: every listed time is its own lastEvalTime', () => {
    const offset = evalOffset('r', 60_000);
    const times = evalTimesBetween(1_700_000_000_000, 1_700_000_600_000, 60_000, offset);
    expect(times).toHaveLength(10);
    for (const t of times) {
      expect(lastEvalTime(t, 60_000, offset)).toBe(t);
    }
  });
});
