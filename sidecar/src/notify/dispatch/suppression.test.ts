// What keeps a notification from going out, on a real SQLite store with a fake clock: silences,
// inhibition rules, mute time intervals; and a rule's `actions`, which replace the tree's receivers.
import { parseMatcher, parseTimeInterval } from '@vigil/core';
import type { NotifyConfig } from '../../config/notifySchema';
import { openSqliteStore } from '../../store/sqlite';
import type { SilenceRecord } from '../../store/notifyStore';
import type { Store } from '../../store/store';
import {
  DispatchRig,
  FakeClock,
  HOUR,
  inbound,
  MINUTE,
  payloadAlerts,
  resolvedOf,
  SECOND,
  T0,
  testNotifyConfig,
} from '../../testing/dispatch';
import { groupView } from './views';

describe('Dispatcher suppression', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore({ path: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });
  const rig = (config: NotifyConfig = testNotifyConfig()) => new DispatchRig(store, config, new FakeClock());

  const silence = (id: string, matchers: string[], endsAt = T0 + HOUR): SilenceRecord => ({
    id,
    matchers: matchers.map(parseMatcher),
    startsAt: T0,
    endsAt,
    createdBy: 'alice',
    comment: 'maintenance',
    updatedAt: T0,
  });

  it('leaves silenced alerts out, and reports them once the silence expires', async () => {
    const r = rig();
    await store.putSilence(silence('s1', ['instance="b"']), 'alice', 'create');
    await r.push(inbound('a'), inbound('b'));
    await r.passAt(0);
    await r.passAt(30 * SECOND);
    let rows = await r.outbox();
    expect(rows).toHaveLength(1);
    expect(payloadAlerts(rows[0].payload)).toEqual([{ fingerprint: 'a', status: 'firing' }]);

    r.clock.at(10 * MINUTE);
    await store.putSilence(
      { ...silence('s1', ['instance="b"'], r.clock.now()), updatedAt: r.clock.now() },
      'alice',
      'expire'
    );
    await r.passAt(10 * MINUTE + 30 * SECOND);
    rows = await r.outbox();
    expect(rows).toHaveLength(2);
    expect(payloadAlerts(rows[1].payload).map((a) => a.fingerprint)).toEqual(['a', 'b']);
  });

  it('sends nothing and logs nothing while every alert of a group is silenced', async () => {
    const r = rig();
    await store.putSilence(silence('all', ['alertname="HighLatency"']), 'alice', 'create');
    await r.push(inbound('a'));
    await r.passAt(0);
    expect((await r.passAt(30 * SECOND)).outcomes).toEqual({ suppressed: 1 });
    expect(await r.outbox()).toHaveLength(0);
    const [g] = await store.listGroups();
    expect(g.state.lastNotified).toBeNull();
    expect(g.nextFlushAt).toBe(T0 + 30 * SECOND + 5 * MINUTE);
  });

  it('inhibits a warning while a critical alert with the same alertname fires', async () => {
    const config = testNotifyConfig({
      route: { receiver: 'hook', groupBy: ['alertname', 'severity'], groupWaitMs: 30 * SECOND },
      inhibitRules: [
        {
          sourceMatchers: [parseMatcher('severity="critical"')],
          targetMatchers: [parseMatcher('severity="warning"')],
          equal: ['alertname'],
        },
      ],
    });
    const r = rig(config);
    const crit = inbound('x-crit', { labels: { alertname: 'X', severity: 'critical' } });
    await r.push(
      crit,
      inbound('x-warn', { labels: { alertname: 'X', severity: 'warning' } }),
      inbound('y-warn', { labels: { alertname: 'Y', severity: 'warning' } })
    );
    await r.passAt(0);
    await r.passAt(30 * SECOND);
    let sent = (await r.outbox()).flatMap((row) => payloadAlerts(row.payload).map((a) => a.fingerprint));
    expect(sent.sort()).toEqual(['x-crit', 'y-warn']);

    const xWarn = (await store.listGroups()).find(
      (g) => g.groupLabels.severity === 'warning' && g.groupLabels.alertname === 'X'
    );
    expect(xWarn).toBeDefined();
    const view = groupView(
      xWarn!,
      await store.getNotifyAlerts(['x-warn']),
      [],
      await store.firingAlertLabels(),
      config.inhibitRules,
      r.clock.now()
    );
    expect(view.alerts).toEqual([expect.objectContaining({ fingerprint: 'x-warn', inhibited: true })]);

    // The critical one resolves: its group reports it and the warning is news at its next flush.
    r.clock.at(MINUTE);
    await r.push(resolvedOf(crit, r.clock.now()));
    await r.passAt(MINUTE);
    await r.passAt(30 * SECOND + 5 * MINUTE);
    const rows = await r.outbox();
    sent = rows.slice(2).flatMap((row) => payloadAlerts(row.payload).map((a) => `${a.fingerprint}:${a.status}`));
    expect(sent.sort()).toEqual(['x-crit:resolved', 'x-warn:firing']);
  });

  it('sends nothing during a mute time interval and notifies at the first flush after it', async () => {
    // 03:30–05:00 in Berlin is 02:30–04:00 UTC; T0 is 03:00 UTC.
    const maintenance = parseTimeInterval({
      times: [{ startTime: '03:30', endTime: '05:00' }],
      location: 'Europe/Berlin',
    });
    const r = rig(
      testNotifyConfig({
        route: {
          receiver: 'hook',
          groupBy: ['alertname'],
          groupWaitMs: 30 * SECOND,
          muteTimeIntervals: ['maintenance'],
        },
        timeIntervals: { maintenance: [maintenance] },
      })
    );
    const gone = inbound('gone');
    await r.push(inbound('a'), gone);
    await r.passAt(0);
    expect((await r.passAt(30 * SECOND)).outcomes).toEqual({ muted: 1 });
    r.clock.at(2 * MINUTE);
    await r.push(resolvedOf(gone, r.clock.now()));
    for (let m = 5; m < 60; m += 5) {
      await r.passAt(m * MINUTE + 30 * SECOND);
    }
    expect(await r.outbox()).toHaveLength(0);

    const after = await r.passAt(HOUR + 30 * SECOND);
    expect(after.outcomes).toEqual({ notified: 1 });
    const rows = await r.outbox();
    // The alert that fired and resolved inside the window was never news.
    expect(payloadAlerts(rows[0].payload)).toEqual([{ fingerprint: 'a', status: 'firing' }]);
  });

  it("routes an alert with actions to those channels instead of the tree's receivers", async () => {
    const r = rig(
      testNotifyConfig({
        route: {
          receiver: 'mail',
          groupBy: ['alertname'],
          groupWaitMs: 0,
          routes: [{ matchers: [parseMatcher('severity="critical"')], receiver: 'pd' }],
        },
      })
    );
    await r.push(inbound('a', { actions: ['hook', 'slack'] }), inbound('b', { labels: { alertname: 'Other' } }));
    await r.passAt(0);
    const rows = await r.outbox();
    expect(rows.map((row) => `${row.channel}:${row.groupKey.includes('Other') ? 'b' : 'a'}`).sort()).toEqual([
      'hook:a',
      'pd:b',
      'slack:a',
    ]);
    // After a restart the groups of `actions` routes still find their route (id `<base>@<channel>`).
    const groups = await store.listGroups();
    expect(groups.map((g) => g.routeId).sort()).toEqual([
      '{}/{severity="critical"}/0',
      '{}/{severity="critical"}/0@hook',
      '{}/{severity="critical"}/0@slack',
    ]);
  });
});
