/**
 * Alertmanager's time intervals (timeinterval/timeinterval.go,
 * https://prometheus.io/docs/alerting/latest/configuration/#time_interval): an instant is inside an
 * interval when, in the interval's `location`, every field given matches one of its ranges. Times are
 * `HH:MM` with an exclusive end (up to `24:00`); weekdays, days of month (negative = from the month's
 * end), months and years are inclusive ranges. Local fields come from Intl.DateTimeFormat, which knows
 * the tz database in Node and browsers, so daylight-saving changes are handled by construction.
 */

/** One interval as configured (camelCase of Alertmanager's YAML). */
export interface TimeIntervalConfig {
  times?: Array<{ startTime: string; endTime: string }>;
  /** `monday`, `monday:friday`. */
  weekdays?: string[];
  /** `1`, `1:5`, `-3:-1`. */
  daysOfMonth?: string[];
  /** `january`, `1:3`, `may:august`. */
  months?: string[];
  /** `2024`, `2024:2026`. */
  years?: string[];
  /** IANA time zone, `Local` is not supported (a server's zone means nothing in a browser); default UTC. */
  location?: string;
}

/** A parsed interval: inclusive [begin, end] ranges; times in minutes of day, end exclusive. */
export interface TimeInterval {
  times?: Array<[number, number]>;
  weekdays?: Array<[number, number]>;
  daysOfMonth?: Array<[number, number]>;
  months?: Array<[number, number]>;
  years?: Array<[number, number]>;
  location: string;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function fail(what: string): never {
  throw new Error(`time interval: ${what}`);
}

function minutes(hhmm: string, field: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) {
    fail(`${field} ${JSON.stringify(hhmm)} is not HH:MM`);
  }
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min !== 0)) {
    fail(`${field} ${JSON.stringify(hhmm)} is out of range 00:00–24:00`);
  }
  return h * 60 + min;
}

function ranges(
  items: string[] | undefined,
  field: string,
  value: (s: string) => number,
  check?: (b: number, e: number, text: string) => void
): Array<[number, number]> | undefined {
  if (!items) {
    return undefined;
  }
  return items.map((text) => {
    const parts = text.split(':');
    if (parts.length > 2 || parts.some((p) => p.trim() === '')) {
      fail(`${field} ${JSON.stringify(text)} is not a value or a begin:end range`);
    }
    const b = value(parts[0].trim());
    const e = parts.length === 2 ? value(parts[1].trim()) : b;
    if (check) {
      check(b, e, text);
    } else if (b > e) {
      fail(`${field} ${JSON.stringify(text)}: end is before start`);
    }
    return [b, e];
  });
}

function named(names: string[], field: string, offset: number, min: number, max: number): (s: string) => number {
  return (s) => {
    const i = names.indexOf(s.toLowerCase());
    if (i >= 0) {
      return i + offset;
    }
    const n = /^-?\d+$/.test(s) ? Number(s) : NaN;
    if (!(n >= min && n <= max)) {
      fail(`${field} ${JSON.stringify(s)} is not a name or a number in ${min}..${max}`);
    }
    return n;
  };
}

/** Parses and checks one interval. Throws an Error that names the bad field. */
export function parseTimeInterval(cfg: TimeIntervalConfig): TimeInterval {
  const location = cfg.location ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: location });
  } catch {
    fail(`unknown location ${JSON.stringify(location)}`);
  }
  const times = cfg.times?.map(({ startTime, endTime }): [number, number] => {
    const b = minutes(startTime, 'start_time');
    const e = minutes(endTime, 'end_time');
    if (b >= e) {
      fail(`start_time ${startTime} must be before end_time ${endTime}`);
    }
    return [b, e];
  });
  // Weeks start on Sunday and ranges do not wrap, as in Alertmanager: `saturday:sunday` is an error.
  const weekdays = ranges(
    cfg.weekdays,
    'weekday',
    (s) => {
      const i = WEEKDAYS.indexOf(s.toLowerCase());
      return i >= 0 ? i : fail(`unknown weekday ${JSON.stringify(s)}`);
    },
    (b, e, text) => {
      if (b > e) {
        fail(`weekday ${JSON.stringify(text)}: start day cannot be before end day (weeks start on Sunday)`);
      }
    }
  );
  const daysOfMonth = ranges(cfg.daysOfMonth, 'day of month', named([], 'day of month', 0, -31, 31), (b, e, text) => {
    if (b === 0 || e === 0) {
      fail(`day of month ${JSON.stringify(text)}: 0 is not a day`);
    }
    if (b < 0 && e > 0) {
      fail(`day of month ${JSON.stringify(text)}: end day must be negative if start day is negative`);
    }
    // As Alertmanager: compare on a 28-day month, the only order that holds in every month.
    if ((b < 0 ? 28 + b : b) > (e < 0 ? 28 + e : e)) {
      fail(`day of month ${JSON.stringify(text)}: end is before start`);
    }
  });
  const months = ranges(cfg.months, 'month', named(MONTHS, 'month', 1, 1, 12));
  const years = ranges(cfg.years, 'year', named([], 'year', 0, 0, 9999));
  return { times, weekdays, daysOfMonth, months, years, location };
}

/** Wall-clock fields of an instant in a zone. */
export interface LocalFields {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The local date and time of `at` (epoch ms) in the IANA zone `timeZone`. */
export function localFields(at: number, timeZone: string): LocalFields {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour12: false,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(at))) {
    p[part.type] = part.value;
  }
  // Some engines print midnight as 24 with hour12: false.
  const hour = Number(p.hour) % 24;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    weekday: SHORT_DAYS.indexOf(p.weekday),
    minuteOfDay: hour * 60 + Number(p.minute),
  };
}

function inRanges(v: number, rs: Array<[number, number]> | undefined): boolean {
  return !rs || rs.some(([b, e]) => v >= b && v <= e);
}

/** True when `at` (epoch ms) falls inside the interval. */
export function inTimeInterval(interval: TimeInterval, at: number): boolean {
  const t = localFields(at, interval.location);
  if (interval.times && !interval.times.some(([b, e]) => t.minuteOfDay >= b && t.minuteOfDay < e)) {
    return false;
  }
  if (interval.daysOfMonth) {
    const days = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
    const hit = interval.daysOfMonth.some(([b0, e0]) => {
      const b = b0 < 0 ? days + b0 + 1 : b0;
      const e = e0 < 0 ? days + e0 + 1 : e0;
      // A range that starts after this month's last day does not apply to this month.
      return b <= days && t.day >= b && t.day <= Math.min(e, days);
    });
    if (!hit) {
      return false;
    }
  }
  return inRanges(t.month, interval.months) && inRanges(t.weekday, interval.weekdays) && inRanges(t.year, interval.years);
}

/** True when `at` falls inside any of the intervals (a named `time_intervals` entry is such a list). */
export function inAnyTimeInterval(intervals: readonly TimeInterval[], at: number): boolean {
  return intervals.some((i) => inTimeInterval(i, at));
}

/**
 * Whether a route sends nothing at `at` (Alertmanager's TimeMuteStage and TimeActiveStage): it is
 * inside one of its mute intervals, or it has active intervals and is inside none of them. `named`
 * holds the configured `time_intervals` by name; an unknown name is a configuration error.
 */
export function isRouteMuted(
  route: { muteTimeIntervals: readonly string[]; activeTimeIntervals: readonly string[] },
  named: Readonly<Record<string, readonly TimeInterval[]>>,
  at: number
): boolean {
  const lookup = (name: string): readonly TimeInterval[] => {
    if (!Object.prototype.hasOwnProperty.call(named, name)) {
      throw new Error(`time interval ${JSON.stringify(name)} is not defined`);
    }
    return named[name];
  };
  if (route.muteTimeIntervals.some((n) => inAnyTimeInterval(lookup(n), at))) {
    return true;
  }
  return route.activeTimeIntervals.length > 0 && !route.activeTimeIntervals.some((n) => inAnyTimeInterval(lookup(n), at));
}
