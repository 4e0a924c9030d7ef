import golden from './testdata/grouping.json';
import {
  addAlert,
  closeGroup,
  flushEarly,
  GroupAlert,
  GroupState,
  nextFlushAt,
  notificationContentKey,
  recordFlush,
  recordNotification,
  shouldNotify,
} from './grouping';
import { buildRouteTree, groupKey, Route } from './routing';

const S = 1000;

interface TimelineAlert {
  id: string;
  startsAt?: number;
  endsAt?: number;
  labels?: Record<string, string>;
}
interface Timeline {
  name: string;
  route: { groupBy: string[]; groupWait: number; groupInterval: number; repeatInterval?: number };
  channels?: Record<string, boolean>;
  resolveTimeout: number;
  until: number;
  pushes: Array<{ at: number; alerts: TimelineAlert[] }>;
  want: Array<{ at: number; channel: string; firing: string[]; resolved: string[] }>;
}

/** A group as the dispatcher holds it: its alerts and one timing/log state per channel. */
interface SimGroup {
  alerts: Map<string, { startsAt: number; endsAt: number }>;
  states: Map<string, GroupState>;
}

/**
 * A tiny dispatcher over the pure functions: pushes alerts at their times, flushes each group when
 * nextFlushAt says, and records what each channel would have been sent. Resolved alerts leave the
 * group after a flush; an empty group closes (Alertmanager's dispatcher does the same).
 */
function simulate(t: Timeline): Timeline['want'] {
  const route: Route = buildRouteTree({
    receiver: 'default',
    groupBy: t.route.groupBy,
    groupWaitMs: t.route.groupWait * S,
    groupIntervalMs: t.route.groupInterval * S,
    repeatIntervalMs: t.route.repeatInterval !== undefined ? t.route.repeatInterval * S : undefined,
  });
  const channels = t.channels ?? { default: true };
  const groups = new Map<string, SimGroup>();
  const sent: Timeline['want'] = [];
  const pushes = [...t.pushes];
  for (;;) {
    let nextFlush = Infinity;
    for (const g of groups.values()) {
      const at = nextFlushAt(g.states.values().next().value as GroupState, route);
      nextFlush = Math.min(nextFlush, at ?? Infinity);
    }
    const nextPush = pushes.length > 0 ? pushes[0].at * S : Infinity;
    const now = Math.min(nextFlush, nextPush);
    if (now > t.until * S) {
      return sent;
    }
    if (nextPush <= nextFlush) {
      for (const a of pushes.shift()!.alerts) {
        const labels = a.labels ?? { alertname: 'test', lbl: a.id };
        const key = groupKey(route, labels);
        const g = groups.get(key) ?? { alerts: new Map(), states: new Map() };
        groups.set(key, g);
        const startsAt = (a.startsAt ?? now / S) * S;
        const old = g.alerts.get(a.id);
        // A still-active alert keeps its earliest start (Alertmanager merges updates).
        const merged = old && old.endsAt > now ? Math.min(old.startsAt, startsAt) : startsAt;
        g.alerts.set(a.id, {
          startsAt: merged,
          endsAt: a.endsAt !== undefined ? a.endsAt * S : now + t.resolveTimeout * S,
        });
        for (const ch of Object.keys(channels)) {
          g.states.set(ch, addAlert(g.states.get(ch), key, startsAt, now, route));
        }
      }
      continue;
    }
    for (const g of groups.values()) {
      const first = g.states.values().next().value as GroupState;
      if (nextFlushAt(first, route) !== now) {
        continue;
      }
      const current: GroupAlert[] = [...g.alerts].map(([id, a]) => ({ fingerprint: id, resolved: a.endsAt <= now }));
      for (const [ch, sendResolved] of Object.entries(channels)) {
        let st = g.states.get(ch)!;
        if (shouldNotify(st, current, now, route, { sendResolved })) {
          const firing = current
            .filter((a) => !a.resolved)
            .map((a) => a.fingerprint)
            .sort();
          const resolved = sendResolved
            ? current
                .filter((a) => a.resolved)
                .map((a) => a.fingerprint)
                .sort()
            : [];
          sent.push({ at: now / S, channel: ch, firing, resolved });
          st = recordNotification(st, current, now);
        }
        g.states.set(ch, recordFlush(st, now));
      }
      for (const a of current) {
        if (a.resolved) {
          g.alerts.delete(a.fingerprint);
        }
      }
      if (g.alerts.size === 0) {
        for (const [ch, st] of g.states) {
          g.states.set(ch, closeGroup(st));
        }
      }
    }
  }
}

describe('aggregation-group timelines', () => {
  for (const t of golden.timelines as Timeline[]) {
    it(t.name, () => {
      expect(simulate(t)).toEqual(t.want);
    });
  }
});

describe('nextFlushAt', () => {
  const route = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 4 * 3_600_000 };

  it('waits group_wait, then group_interval after each flush', () => {
    let s = addAlert(undefined, 'k', 1000, 1000, route);
    expect(nextFlushAt(s, route)).toBe(31_000);
    s = recordFlush(s, 31_000);
    expect(nextFlushAt(s, route)).toBe(331_000);
  });

  it('flushes a new group at once for an alert older than group_wait, only before the first flush', () => {
    let s = addAlert(undefined, 'k', 0, 40_000, route);
    expect(nextFlushAt(s, route)).toBe(40_000);
    s = recordFlush(s, 40_000);
    s = addAlert(s, 'k', 0, 50_000, route);
    expect(nextFlushAt(s, route)).toBe(340_000);
  });

  it('flushes early when asked after the first flush (a root cause joined), then keeps the cadence from there', () => {
    let s = recordFlush(addAlert(undefined, 'k', 1000, 1000, route), 31_000);
    expect(flushEarly(s, 90_000)).not.toBe(s);
    s = flushEarly(s, 90_000);
    expect(nextFlushAt(s, route)).toBe(90_000);
    expect(nextFlushAt(flushEarly(s, 120_000), route)).toBe(90_000); // an earlier request stands
    s = recordFlush(s, 90_000);
    expect(nextFlushAt(s, route)).toBe(390_000);
    // Before the first flush group_wait still applies; a closed group stays closed.
    const fresh = addAlert(undefined, 'k', 1000, 1000, route);
    expect(flushEarly(fresh, 2000)).toBe(fresh);
    const closed = closeGroup(s);
    expect(nextFlushAt(flushEarly(closed, 400_000), route)).toBeNull();
  });

  it('is null for a closed group, which a new alert reopens with its log kept', () => {
    let s = recordNotification(addAlert(undefined, 'k', 0, 0, route), [{ fingerprint: 'a', resolved: false }], 30_000);
    s = closeGroup(recordFlush(s, 30_000));
    expect(nextFlushAt(s, route)).toBeNull();
    s = addAlert(s, 'k', 500_000, 500_000, route);
    expect(nextFlushAt(s, route)).toBe(530_000);
    expect(s.lastNotified?.firing).toEqual(['a']);
  });
});

describe('shouldNotify', () => {
  const route = { groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 1000 };
  const state = (firing: string[], resolved: string[], at: number): GroupState => ({
    key: 'k',
    firstAlertAt: 0,
    lastFlushAt: 0,
    lastNotified: { firing, resolved, at },
  });
  const alerts = (firing: string[], resolved: string[] = []): GroupAlert[] => [
    ...firing.map((fingerprint) => ({ fingerprint, resolved: false })),
    ...resolved.map((fingerprint) => ({ fingerprint, resolved: true })),
  ];

  it('follows the notification log rules', () => {
    const never: GroupState = { key: 'k', firstAlertAt: 0, lastFlushAt: null, lastNotified: null };
    expect(shouldNotify(never, alerts(['a']), 0, route)).toBe(true);
    expect(shouldNotify(never, alerts([], ['a']), 0, route)).toBe(false);
    expect(shouldNotify(state(['a'], [], 0), alerts(['a', 'b']), 10, route)).toBe(true);
    expect(shouldNotify(state(['a', 'b'], [], 0), alerts(['a']), 10, route, { sendResolved: false })).toBe(false);
    expect(shouldNotify(state(['a', 'b'], [], 0), alerts(['a'], ['b']), 10, route)).toBe(true);
    expect(shouldNotify(state(['a', 'b'], [], 0), alerts(['a'], ['b']), 10, route, { sendResolved: false })).toBe(
      false
    );
    expect(shouldNotify(state(['a'], [], 0), alerts([], ['a']), 10, route, { sendResolved: false })).toBe(true);
    expect(shouldNotify(state([], ['a'], 0), alerts([], ['a', 'b']), 10, route)).toBe(false);
  });

  it('repeats strictly after repeat_interval', () => {
    expect(shouldNotify(state(['a'], [], 0), alerts(['a']), 1000, route)).toBe(false);
    expect(shouldNotify(state(['a'], [], 0), alerts(['a']), 1001, route)).toBe(true);
  });
});

describe('notificationContentKey', () => {
  it('is independent of order', () => {
    const a: GroupAlert[] = [
      { fingerprint: 'b', resolved: false },
      { fingerprint: 'a', resolved: false },
      { fingerprint: 'c', resolved: true },
    ];
    expect(notificationContentKey(a)).toBe('firing:a,b;resolved:c');
    expect(notificationContentKey([...a].reverse())).toBe(notificationContentKey(a));
  });
});
