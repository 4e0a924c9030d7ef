import { formatDuration, parseDuration, tryParseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['0ms', 0],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['1y', 31_536_000_000],
    ['1h0m30s', 3_630_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['90m', 5_400_000],
  ])('%s → %d ms', (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });

  it.each(['5 minutes', '', ' 5m', '5m ', '-1m', '1.5h', '1m1h', '5', '1mm', 'm', '1h1h', '5M', '99999999999999999999y'])(
    'rejects %j with a message naming it',
    (s) => {
      expect(() => parseDuration(s)).toThrow(/invalid duration/);
      expect(tryParseDuration(s)).toBeNull();
    }
  );

  it('says what was expected', () => {
    expect(() => parseDuration('5 minutes')).toThrow('invalid duration "5 minutes": expected a Prometheus duration such as "30s", "5m" or "1h30m"');
  });

  it('refuses non-strings without a TypeError', () => {
    expect(() => parseDuration(5 as unknown as string)).toThrow(/got number/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [30_000, '30s'],
    [5_400_000, '1h30m'],
    [86_400_000, '1d'],
    [604_800_000, '1w'],
    [691_200_000, '8d'], // weeks only when exact, as Prometheus: 8d, not 1w1d
    [7_776_000_000, '90d'],
    [31_536_000_000, '1y'],
    [93_784_005, '1d2h3m4s5ms'],
  ])('%d ms → %s', (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 1000, 61_000, 3_599_999, 86_400_001, 1_209_600_000, 12_345_678_901]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });

  it('refuses non-finite input', () => {
    expect(() => formatDuration(NaN)).toThrow(/finite/);
  });
});
