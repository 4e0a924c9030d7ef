// resolveNotify's routing part: the tree (matchers, durations, names, Alertmanager's root rules, the
// default tree), inhibition rules, time intervals and delivery settings.
import { buildRouteTree, matchRoutes } from '@vigil/core';
import { ConfigError } from './configError';
import { notifySchema } from './notifySchema';
import { resolveNotify } from './notifyResolve';

type Obj = Record<string, unknown>;
const pd = (extra: Obj = {}): Obj => ({ name: 'pd', type: 'pagerduty', routingKey: 'R0UTINGKEY0123456789', ...extra });
const slack = (extra: Obj = {}): Obj => ({
  name: 'slack',
  type: 'slack',
  webhookURL: 'https://hooks.slack.com/services/T/B/X',
  ...extra,
});
const email = (extra: Obj = {}): Obj => ({
  name: 'mail',
  type: 'email',
  from: 'vigil@example.com',
  to: ['ops@example.com'],
  smtp: { host: 'smtp.example.com' },
  ...extra,
});

/** Parses the section with the schema (as loadConfig does), then resolves it. */
function resolve(section: Obj) {
  return resolveNotify(notifySchema.parse(section), {});
}

/** The ConfigError message for this section (fails the test if it resolves). */
function error(section: Obj): string {
  try {
    resolve(section);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected resolveNotify to throw');
}

describe('resolveNotify: route', () => {
  const channels = [pd(), slack(), email()];
  const timeIntervals = [{ name: 'weekends', timeIntervals: [{ weekdays: ['saturday', 'sunday'] }] }];

  it('converts matchers and durations to core types', () => {
    const c = resolve({
      channels,
      timeIntervals,
      route: {
        receiver: 'mail',
        groupBy: ['alertname', 'service'],
        groupWait: '0s',
        groupInterval: '1m',
        repeatInterval: '2h',
        routes: [
          {
            receiver: 'pd',
            matchers: ['severity=~"critical|error"', 'team = db'],
            continue: true,
            muteTimeIntervals: ['weekends'],
          },
          { receiver: 'slack', matchers: ['severity="warning"'], activeTimeIntervals: ['weekends'], groupBy: ['...'] },
        ],
      },
    });
    expect(c.route).toEqual({
      receiver: 'mail',
      groupBy: ['alertname', 'service'],
      groupWaitMs: 0,
      groupIntervalMs: 60_000,
      repeatIntervalMs: 7_200_000,
      routes: [
        {
          receiver: 'pd',
          matchers: [
            { name: 'severity', op: '=~', value: 'critical|error' },
            { name: 'team', op: '=', value: 'db' },
          ],
          continue: true,
          muteTimeIntervals: ['weekends'],
        },
        {
          receiver: 'slack',
          matchers: [{ name: 'severity', op: '=', value: 'warning' }],
          activeTimeIntervals: ['weekends'],
          groupBy: ['...'],
        },
      ],
    });
    const tree = buildRouteTree(c.route);
    expect(matchRoutes(tree, { severity: 'critical', team: 'db' }).map((r) => r.receiver)).toEqual(['pd']);
    expect(matchRoutes(tree, { severity: 'warning' }).map((r) => r.receiver)).toEqual(['slack']);
    expect(matchRoutes(tree, { severity: 'info' }).map((r) => r.receiver)).toEqual(['mail']);
  });

  it('builds the default tree over the first channel of each type', () => {
    const c = resolve({ channels: [...channels, pd({ name: 'pd2' }), slack({ name: 'slack2' })] });
    const tree = buildRouteTree(c.route);
    expect(matchRoutes(tree, { severity: 'critical' }).map((r) => r.receiver)).toEqual(['pd', 'slack', 'mail']);
    expect(matchRoutes(tree, { severity: 'error' }).map((r) => r.receiver)).toEqual(['pd', 'slack']);
    expect(matchRoutes(tree, { severity: 'warning' }).map((r) => r.receiver)).toEqual(['slack', 'mail']);
    expect(matchRoutes(tree, { severity: 'info' }).map((r) => r.receiver)).toEqual(['mail']);
    expect(matchRoutes(tree, {}).map((r) => r.receiver)).toEqual(['mail']);
  });

  it('sends everything to a lone webhook by default, and nowhere without channels', () => {
    const hook = resolve({ channels: [{ name: 'w', type: 'webhook', url: 'http://127.0.0.1:9/' }] });
    expect(matchRoutes(buildRouteTree(hook.route), { severity: 'critical' }).map((r) => r.receiver)).toEqual(['w']);
    const none = resolve({});
    expect(none.channels).toEqual([]);
    expect(buildRouteTree(none.route).receiver).toBeNull();
  });

  it('names a bad matcher and a zero interval by path', () => {
    expect(
      error({ channels, route: { receiver: 'pd', routes: [{}, { matchers: ['severity="a"', 'bad matcher'] }] } })
    ).toMatch(/^config: notify\.route\.routes\.1\.matchers\.1: /);
    expect(error({ channels, route: { receiver: 'pd', routes: [{ routes: [{ matchers: ['a=~"("'] }] }] } })).toMatch(
      /^config: notify\.route\.routes\.0\.routes\.0\.matchers\.0: /
    );
    expect(error({ channels, route: { receiver: 'pd', groupInterval: '0s' } })).toBe(
      'config: notify.route.groupInterval: must be greater than 0'
    );
    expect(error({ channels, route: { receiver: 'pd', routes: [{ repeatInterval: '0' }] } })).toBe(
      'config: notify.route.routes.0.repeatInterval: must be greater than 0'
    );
  });

  it('checks receivers and time interval names exist', () => {
    expect(error({ channels, route: { receiver: 'pd', routes: [{ receiver: 'teams' }] } })).toBe(
      'config: notify.route.routes.0.receiver: unknown channel "teams" (channels: pd, slack, mail)'
    );
    expect(error({ route: { receiver: 'pd' } })).toBe(
      'config: notify.route.receiver: unknown channel "pd" (no channels are configured)'
    );
    expect(
      error({
        channels,
        timeIntervals,
        route: { receiver: 'pd', routes: [{ muteTimeIntervals: ['weekends', 'holidays'] }] },
      })
    ).toBe('config: notify.route.routes.0.muteTimeIntervals.1: unknown time interval "holidays" (known: weekends)');
    expect(error({ channels, route: { receiver: 'pd', routes: [{ activeTimeIntervals: ['office'] }] } })).toBe(
      'config: notify.route.routes.0.activeTimeIntervals.0: unknown time interval "office"'
    );
  });

  it('applies Alertmanager root route rules and group_by "..."', () => {
    expect(error({ channels, route: { routes: [{ receiver: 'pd' }] } })).toMatch(
      /^config: notify\.route\.receiver: required/
    );
    expect(error({ channels, route: { receiver: 'pd', matchers: ['a=b'] } })).toMatch(
      /^config: notify\.route\.matchers: /
    );
    expect(error({ channels, timeIntervals, route: { receiver: 'pd', muteTimeIntervals: ['weekends'] } })).toBe(
      'config: notify.route.muteTimeIntervals: not allowed on the root route'
    );
    expect(error({ channels, route: { receiver: 'pd', routes: [{ groupBy: ['...', 'a'] }] } })).toBe(
      'config: notify.route.routes.0.groupBy: "..." (group by all labels) must be the only entry'
    );
  });
});

describe('resolveNotify: inhibition, time intervals, delivery', () => {
  it('parses inhibit rules and names a bad matcher', () => {
    const c = resolve({
      inhibitRules: [
        { sourceMatchers: ['severity="critical"'], targetMatchers: ['severity=~"warning|info"'], equal: ['service'] },
      ],
    });
    expect(c.inhibitRules).toEqual([
      {
        sourceMatchers: [{ name: 'severity', op: '=', value: 'critical' }],
        targetMatchers: [{ name: 'severity', op: '=~', value: 'warning|info' }],
        equal: ['service'],
      },
    ]);
    expect(error({ inhibitRules: [{ sourceMatchers: ['a=b'], targetMatchers: ['a=b', '=x'] }] })).toMatch(
      /^config: notify\.inhibitRules\.0\.targetMatchers\.1: /
    );
  });

  it('parses time intervals by name and names a bad one', () => {
    const c = resolve({
      timeIntervals: [
        {
          name: 'night',
          timeIntervals: [{ times: [{ startTime: '22:00', endTime: '24:00' }], location: 'Europe/Berlin' }],
        },
      ],
    });
    expect(c.timeIntervals.night).toEqual([
      {
        times: [[1320, 1440]],
        location: 'Europe/Berlin',
        weekdays: undefined,
        daysOfMonth: undefined,
        months: undefined,
        years: undefined,
      },
    ]);
    expect(error({ timeIntervals: [{ name: 'x', timeIntervals: [{}, { weekdays: ['funday'] }] }] })).toBe(
      'config: notify.timeIntervals.0.timeIntervals.1: time interval: unknown weekday "funday"'
    );
    expect(
      error({
        timeIntervals: [
          { name: 'x', timeIntervals: [{}] },
          { name: 'x', timeIntervals: [{}] },
        ],
      })
    ).toBe('config: notify.timeIntervals.1.name: duplicate time interval name "x"');
  });

  it('converts delivery durations and requires them above zero', () => {
    expect(resolve({}).delivery).toEqual({ maxAgeMs: 3_600_000, timeoutMs: 10_000 });
    expect(resolve({ delivery: { maxAge: '30m', timeout: '2s' } }).delivery).toEqual({
      maxAgeMs: 1_800_000,
      timeoutMs: 2000,
    });
    expect(error({ delivery: { timeout: '0s' } })).toBe('config: notify.delivery.timeout: must be greater than 0');
    expect(error({ delivery: { maxAge: '0' } })).toBe('config: notify.delivery.maxAge: must be greater than 0');
  });
});
