import { checkTimeZone, wallClock, windowBounds, windowName, zonedMidnight } from './windows';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

describe('windowBounds', () => {
  it('rolling: the last duration up to now', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(windowBounds({ kind: 'rolling', durationMs: 30 * DAY }, now)).toEqual({
      start: now - 30 * DAY,
      end: now,
      durationMs: 30 * DAY,
      elapsedMs: 30 * DAY,
    });
  });

  it('calendar month across the spring-forward change is an hour short (Europe/Berlin, March 2026)', () => {
    // 1 March 00:00 CET = 28 Feb 23:00 UTC; 1 April 00:00 CEST = 31 March 22:00 UTC.
    const b = windowBounds(
      { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
      Date.parse('2026-03-29T12:00:00Z')
    );
    expect(iso(b.start)).toBe('2026-02-28T23:00:00.000Z');
    expect(iso(b.end)).toBe('2026-03-31T22:00:00.000Z');
    expect(b.durationMs).toBe(31 * DAY - HOUR);
    expect(b.elapsedMs).toBe(Date.parse('2026-03-29T12:00:00Z') - b.start);
  });

  it('calendar month across the fall-back change is an hour long (America/New_York, November 2026)', () => {
    const b = windowBounds(
      { kind: 'calendar', unit: 'month', timeZone: 'America/New_York' },
      Date.parse('2026-11-15T00:00:00Z')
    );
    expect(iso(b.start)).toBe('2026-11-01T04:00:00.000Z'); // EDT midnight
    expect(iso(b.end)).toBe('2026-12-01T05:00:00.000Z'); // EST midnight
    expect(b.durationMs).toBe(30 * DAY + HOUR);
  });

  it('a moment just after local midnight belongs to the new month, though UTC still says the old one', () => {
    // 1 Dec 00:30 in Tokyo is 30 Nov 15:30 UTC.
    const b = windowBounds(
      { kind: 'calendar', unit: 'month', timeZone: 'Asia/Tokyo' },
      Date.parse('2026-11-30T15:30:00Z')
    );
    expect(iso(b.start)).toBe('2026-11-30T15:00:00.000Z');
    expect(b.elapsedMs).toBe(30 * 60_000);
  });

  it('calendar quarter and ISO week (Monday) in UTC', () => {
    const now = Date.parse('2026-08-20T12:00:00Z'); // a Thursday
    const q = windowBounds({ kind: 'calendar', unit: 'quarter', timeZone: 'UTC' }, now);
    expect([iso(q.start), iso(q.end)]).toEqual(['2026-07-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z']);
    const w = windowBounds({ kind: 'calendar', unit: 'week', timeZone: 'UTC' }, now);
    expect([iso(w.start), iso(w.end)]).toEqual(['2026-08-17T00:00:00.000Z', '2026-08-24T00:00:00.000Z']);
    // Sunday belongs to the week that began on Monday.
    const sunday = windowBounds(
      { kind: 'calendar', unit: 'week', timeZone: 'UTC' },
      Date.parse('2026-08-23T23:59:00Z')
    );
    expect(iso(sunday.start)).toBe('2026-08-17T00:00:00.000Z');
  });

  it('a quarter rolls over the year', () => {
    const q = windowBounds({ kind: 'calendar', unit: 'quarter', timeZone: 'UTC' }, Date.parse('2026-12-07T00:00:00Z'));
    expect([iso(q.start), iso(q.end)]).toEqual(['2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });
});

describe('zoned helpers', () => {
  it('reads wall clocks and midnights in a zone', () => {
    expect(wallClock(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toMatchObject({
      hour: 3,
      minute: 30,
      day: 29,
    });
    expect(iso(zonedMidnight(2026, 2, 29, 'Europe/Berlin'))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(zonedMidnight(2026, 12, 1, 'UTC'))).toBe('2027-01-01T00:00:00.000Z');
  });

  it('names an unknown time zone', () => {
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/unknown time zone: Mars\/Olympus/);
    expect(() => checkTimeZone('Europe/Berlin')).not.toThrow();
  });

  it('names windows', () => {
    expect(windowName({ kind: 'rolling', durationMs: 28 * DAY })).toBe('28d');
    expect(windowName({ kind: 'rolling', durationMs: 36 * HOUR })).toBe('36h');
    expect(windowName({ kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' })).toBe('month (Europe/Berlin)');
  });
});
