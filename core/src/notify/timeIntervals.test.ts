import golden from './testdata/timeIntervals.json';
import { buildRouteTree } from './routing';
import { inAnyTimeInterval, inTimeInterval, isRouteMuted, localFields, parseTimeInterval, TimeIntervalConfig } from './timeIntervals';

const MIN = 60_000;

/** Minutes between `from` and `to` (UTC ISO) that lie inside the interval. */
function minutesInside(cfg: TimeIntervalConfig, from: string, to: string): number {
  const interval = parseTimeInterval(cfg);
  let n = 0;
  for (let t = Date.parse(from); t < Date.parse(to); t += MIN) {
    n += inTimeInterval(interval, t) ? 1 : 0;
  }
  return n;
}

describe('inTimeInterval', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const interval = parseTimeInterval(c.interval as TimeIntervalConfig);
      const got = c.checks.map(([at]) => [at, inTimeInterval(interval, Date.parse(at as string))]);
      expect(got).toEqual(c.checks);
    });
  }

  it('skips the hour that does not exist on the spring change (Berlin, New York)', () => {
    const berlin = { times: [{ startTime: '02:00', endTime: '03:00' }], location: 'Europe/Berlin' };
    expect(minutesInside(berlin, '2026-03-28T23:00:00Z', '2026-03-29T04:00:00Z')).toBe(0);
    expect(minutesInside(berlin, '2026-03-27T23:00:00Z', '2026-03-28T04:00:00Z')).toBe(60);
    const ny = { times: [{ startTime: '02:00', endTime: '03:00' }], location: 'America/New_York' };
    expect(minutesInside(ny, '2026-03-08T04:00:00Z', '2026-03-08T10:00:00Z')).toBe(0);
  });

  it('counts the repeated hour twice on the autumn change (Berlin, New York)', () => {
    const berlin = { times: [{ startTime: '02:00', endTime: '03:00' }], location: 'Europe/Berlin' };
    expect(minutesInside(berlin, '2026-10-24T22:00:00Z', '2026-10-25T04:00:00Z')).toBe(120);
    const ny = { times: [{ startTime: '01:00', endTime: '02:00' }], location: 'America/New_York' };
    expect(minutesInside(ny, '2026-11-01T03:00:00Z', '2026-11-01T09:00:00Z')).toBe(120);
  });

  it('makes a local day 23 or 25 hours long across the changes', () => {
    const day = (location: string, d: string) => ({ daysOfMonth: [d], months: [d === '29' ? 'march' : 'october'], location });
    expect(minutesInside(day('Europe/Berlin', '29'), '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z')).toBe(23 * 60);
    expect(minutesInside(day('Europe/Berlin', '25'), '2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z')).toBe(25 * 60);
  });

  it('defaults to UTC', () => {
    const i = parseTimeInterval({ times: [{ startTime: '09:00', endTime: '10:00' }] });
    expect(i.location).toBe('UTC');
    expect(inTimeInterval(i, Date.parse('2026-06-01T09:30:00Z'))).toBe(true);
  });
});

describe('parseTimeInterval errors', () => {
  it.each(golden.errors)('rejects $interval', ({ interval, message }) => {
    expect(() => parseTimeInterval(interval as TimeIntervalConfig)).toThrow(message);
  });
});

describe('localFields', () => {
  it('reads midnight as hour 0', () => {
    expect(localFields(Date.parse('2026-06-01T22:00:00Z'), 'Europe/Berlin')).toEqual({
      year: 2026,
      month: 6,
      day: 2,
      weekday: 2,
      minuteOfDay: 0,
    });
  });
});

describe('inAnyTimeInterval', () => {
  it('is true when one interval holds', () => {
    const weekend = parseTimeInterval({ weekdays: ['saturday', 'sunday'] });
    const nights = parseTimeInterval({ times: [{ startTime: '00:00', endTime: '06:00' }] });
    expect(inAnyTimeInterval([weekend, nights], Date.parse('2026-06-03T03:00:00Z'))).toBe(true);
    expect(inAnyTimeInterval([weekend, nights], Date.parse('2026-06-03T12:00:00Z'))).toBe(false);
    expect(inAnyTimeInterval([], Date.parse('2026-06-03T12:00:00Z'))).toBe(false);
  });
});

describe('isRouteMuted', () => {
  const named = {
    maintenance: [parseTimeInterval({ weekdays: ['sunday'], times: [{ startTime: '02:00', endTime: '04:00' }], location: 'Europe/Berlin' })],
    office: [parseTimeInterval({ weekdays: ['monday:friday'], times: [{ startTime: '09:00', endTime: '17:00' }], location: 'Europe/Berlin' })],
  };
  const tree = buildRouteTree({
    receiver: 'r',
    routes: [{ receiver: 'ops', muteTimeIntervals: ['maintenance'] }, { receiver: 'day', activeTimeIntervals: ['office'] }],
  });
  const [ops, day] = tree.routes;

  it('mutes inside a mute interval', () => {
    expect(isRouteMuted(ops, named, Date.parse('2026-06-07T00:30:00Z'))).toBe(true);
    expect(isRouteMuted(ops, named, Date.parse('2026-06-07T02:30:00Z'))).toBe(false);
    expect(isRouteMuted(tree, named, Date.parse('2026-06-07T00:30:00Z'))).toBe(false);
  });

  it('mutes outside the active intervals', () => {
    expect(isRouteMuted(day, named, Date.parse('2026-06-08T08:00:00Z'))).toBe(false);
    expect(isRouteMuted(day, named, Date.parse('2026-06-08T16:00:00Z'))).toBe(true);
  });

  it('refuses an unknown interval name', () => {
    expect(() => isRouteMuted(ops, {}, 0)).toThrow('time interval "maintenance" is not defined');
  });
});
