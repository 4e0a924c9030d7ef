/**
 * Compliance windows: rolling (the last 30 days) or calendar (this month, quarter or ISO week in a
 * time zone, Sloth #96). Calendar bounds are local midnights converted to UTC through `Intl`, so a
 * month that spans a daylight-saving change is an hour shorter or longer, as its users live it.
 */
import type { ComplianceWindow } from './types';

/** A window's span at a moment. */
export interface WindowBounds {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive: `now` for a rolling window, the next period's start for a calendar one. */
  end: number;
  /** end − start: the span the budget is planned over. */
  durationMs: number;
  /** now − start: the part already lived (the whole window when rolling). */
  elapsedMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter for wall-clock parts in `timeZone`; throws a RangeError naming an unknown zone. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        weekday: 'short',
      });
    } catch {
      throw new RangeError(`unknown time zone: ${timeZone}`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError unless `timeZone` is an IANA zone this runtime knows. */
export function checkTimeZone(timeZone: string): void {
  formatter(timeZone);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Wall-clock fields of an instant in a zone (month 0-based, weekday 0 = Sunday). */
export function wallClock(
  utcMs: number,
  timeZone: string
): { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number } {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(utcMs)) {
    parts[p.type] = p.value;
  }
  return {
    year: Number(parts.year),
    month: Number(parts.month) - 1,
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday),
  };
}

/** The zone's offset from UTC at an instant, ms (CET: +3 600 000). */
function offsetAt(utcMs: number, timeZone: string): number {
  const w = wallClock(utcMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The instant of a local midnight (`month` 0-based; overflowing months and days roll over as in
 * Date.UTC). Where midnight does not exist (a zone that springs forward at 00:00) it is the first
 * instant of that day.
 */
export function zonedMidnight(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month, day);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  if (second === first) {
    return first;
  }
  // Two offsets around the instant: keep the candidate whose wall clock reads midnight of that day,
  // else (a gap) the later one.
  const w = wallClock(second, timeZone);
  return w.hour === 0 && w.day === new Date(wall).getUTCDate() ? second : Math.max(first, second);
}

/** The start of the calendar period holding `now` in its zone. */
function periodStart(unit: 'week' | 'month' | 'quarter', now: number, timeZone: string): number {
  const w = wallClock(now, timeZone);
  if (unit === 'month') {
    return zonedMidnight(w.year, w.month, 1, timeZone);
  }
  if (unit === 'quarter') {
    return zonedMidnight(w.year, w.month - (w.month % 3), 1, timeZone);
  }
  // ISO week: Monday.
  return zonedMidnight(w.year, w.month, w.day - ((w.weekday + 6) % 7), timeZone);
}

/** The start of the period after the one starting at `start`. */
function nextPeriodStart(unit: 'week' | 'month' | 'quarter', start: number, timeZone: string): number {
  const w = wallClock(start, timeZone);
  if (unit === 'week') {
    return zonedMidnight(w.year, w.month, w.day + 7, timeZone);
  }
  return zonedMidnight(w.year, w.month + (unit === 'month' ? 1 : 3), 1, timeZone);
}

/** The bounds of a compliance window at `now`. */
export function windowBounds(window: ComplianceWindow, now: number): WindowBounds {
  if (window.kind === 'rolling') {
    return { start: now - window.durationMs, end: now, durationMs: window.durationMs, elapsedMs: window.durationMs };
  }
  const start = periodStart(window.unit, now, window.timeZone);
  const end = nextPeriodStart(window.unit, start, window.timeZone);
  return { start, end, durationMs: end - start, elapsedMs: now - start };
}

/** A short name of a window: `30d`, `month (Europe/Berlin)`. */
export function windowName(window: ComplianceWindow): string {
  if (window.kind === 'calendar') {
    return `${window.unit} (${window.timeZone})`;
  }
  const days = window.durationMs / 86_400_000;
  return Number.isInteger(days) ? `${days}d` : `${window.durationMs / 3_600_000}h`;
}
