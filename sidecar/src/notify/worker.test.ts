import { backoffDelay, nextAttemptAt } from './worker';

describe('backoffDelay (full jitter)', () => {
  it('draws from [0, min(cap, base·2^(attempt-1)))', () => {
    expect(backoffDelay(1, 1000, 300_000, () => 0.999)).toBe(999);
    expect(backoffDelay(3, 1000, 300_000, () => 0.5)).toBe(2000);
    expect(backoffDelay(4, 1000, 300_000, () => 0)).toBe(0);
    // The cap bounds it, also for absurd attempt counts.
    expect(backoffDelay(20, 1000, 300_000, () => 0.5)).toBe(150_000);
    expect(backoffDelay(10_000, 1000, 300_000, () => 0.5)).toBe(150_000);
  });
});

describe('nextAttemptAt', () => {
  const now = 1_000_000;
  it('waits the backoff, but never less than Retry-After', () => {
    expect(nextAttemptAt(now, now + 60_000, 300, undefined)).toBe(now + 300);
    expect(nextAttemptAt(now, now + 60_000, 300, 2000)).toBe(now + 2000);
    expect(nextAttemptAt(now, now + 60_000, 5000, 2000)).toBe(now + 5000);
  });
  it('makes a last attempt at the deadline, then gives up', () => {
    expect(nextAttemptAt(now, now + 1000, 5000, undefined)).toBe(now + 1000);
    expect(nextAttemptAt(now + 1000, now + 1000, 5000, undefined)).toBeNull();
    // A Retry-After beyond the deadline cannot be honoured: give up rather than send early.
    expect(nextAttemptAt(now, now + 1000, 10, 2000)).toBeNull();
  });
});
