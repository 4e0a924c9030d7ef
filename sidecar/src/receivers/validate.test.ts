import { child, mapSeverity, parseRfc3339 } from './validate';

describe('parseRfc3339', () => {
  it('reads Go RFC3339Nano times, offsets and the zero time', () => {
    expect(parseRfc3339('2026-12-07T01:02:03Z')).toBe(Date.UTC(2026, 11, 7, 1, 2, 3));
    expect(parseRfc3339('2026-12-07T01:02:03.123456789Z')).toBe(Date.UTC(2026, 11, 7, 1, 2, 3, 123));
    expect(parseRfc3339('2026-12-07T01:02:03.5-02:30')).toBe(Date.UTC(2026, 11, 7, 3, 32, 3, 500));
    expect(parseRfc3339('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseRfc3339('0001-01-01T00:00:00Z')).toBeNull();
    expect(new Date(parseRfc3339('0050-01-01T00:00:00Z')!).toISOString()).toBe('0050-01-01T00:00:00.000Z');
  });

  it('refuses what is not a real RFC 3339 time', () => {
    for (const s of [
      '2025-02-29T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-01T00:00:00',
      '2026-01-01T23:59:60Z',
      'x',
    ]) {
      expect(parseRfc3339(s)).toBeUndefined();
    }
  });
});

describe('child', () => {
  it('quotes keys that are not identifiers and cuts long ones', () => {
    expect(child('$', 'severity')).toBe('$.severity');
    expect(child('$', 'a b')).toBe('$["a b"]');
    expect(child('$', 'k'.repeat(100))).toBe(`$["${'k'.repeat(64)}…"]`);
  });
});

describe('mapSeverity', () => {
  it('maps common spellings and defaults to warning', () => {
    expect([' Critical ', 'P2', 'notice', 'toString', undefined].map(mapSeverity)).toEqual([
      'critical',
      'error',
      'info',
      'warning',
      'warning',
    ]);
  });
});
