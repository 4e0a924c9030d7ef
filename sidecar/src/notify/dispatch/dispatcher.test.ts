// The dispatcher's timing and notification log on both stores (real SQLite, real PostgreSQL), driven
// pass by pass with a fake clock: group_wait, group_interval, resolve (with and without send_resolved),
// repeat_interval, and the routing tree's fan-out. Each test reads what the outbox holds; nothing is sent.
import type { Store } from '../../store/store';
import { describeEachStore } from '../../testing/storeBackends';
import {
  DispatchRig,
  FakeClock,
  HOUR,
  inbound,
  MINUTE,
  payloadAlerts,
  resolvedOf,
  SECOND,
  testChannels,
  testNotifyConfig,
} from '../../testing/dispatch';
import type { NotifyConfig } from '../../config/notifySchema';

describeEachStore('Dispatcher', (suite) => {
  let store: Store;
  beforeEach(async () => {
    store = await suite.open();
  });
  const rig = (config: NotifyConfig = testNotifyConfig()) => new DispatchRig(store, config, new FakeClock());

  it('waits group_wait, then sends one notification per group with every alert of it', async () => {
    const r = rig();
    await r.push(inbound('a'), inbound('b'), inbound('c', { labels: { alertname: 'DiskFull' } }));
    expect((await r.passAt(0)).ingested).toBe(3);
    await r.passAt(29 * SECOND);
    expect(await r.outbox()).toHaveLength(0);

    const result = await r.passAt(30 * SECOND);
    expect(result.enqueued).toBe(2);
    const rows = await r.outbox('hook');
    expect(rows).toHaveLength(2);
    const byName = new Map(
      rows.map((row) => [(row.payload as { groupLabels: { alertname: string } }).groupLabels.alertname, row])
    );
    expect(payloadAlerts(byName.get('HighLatency')?.payload)).toEqual([
      { fingerprint: 'a', status: 'firing' },
      { fingerprint: 'b', status: 'firing' },
    ]);
    expect(payloadAlerts(byName.get('DiskFull')?.payload)).toEqual([{ fingerprint: 'c', status: 'firing' }]);
    expect(byName.get('HighLatency')?.payload).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'hook',
      commonLabels: { alertname: 'HighLatency', severity: 'critical' },
      externalURL: 'http://127.0.0.1:3000/a/vigil-app',
      alerts: [{ endsAt: '0001-01-01T00:00:00Z', startsAt: '2026-12-07T03:00:00.000Z' }, {}],
    });

    // Nothing new: the following flushes stay quiet.
    await r.passAt(30 * SECOND + 5 * MINUTE);
    await r.passAt(30 * SECOND + 10 * MINUTE);
    expect(await r.outbox()).toHaveLength(2);
  });

  it('flushes at once for an alert that started more than group_wait ago', async () => {
    const r = rig();
    await r.push(inbound('old', { startsAt: -10 * MINUTE + Date.UTC(2026, 11, 7, 3) }));
    await r.passAt(0);
    expect(await r.outbox()).toHaveLength(1);
  });

  it('adds an alert arriving within group_interval to the next flush, not an immediate one', async () => {
    const r = rig();
    await r.push(inbound('a'));
    await r.passAt(0);
    await r.passAt(30 * SECOND);
    expect(await r.outbox()).toHaveLength(1);

    r.clock.at(MINUTE);
    await r.push(inbound('b', { startsAt: r.clock.now(), at: r.clock.now() }));
    await r.passAt(MINUTE);
    await r.passAt(5 * MINUTE);
    expect(await r.outbox()).toHaveLength(1);

    await r.passAt(30 * SECOND + 5 * MINUTE);
    const rows = await r.outbox();
    expect(rows).toHaveLength(2);
    expect(payloadAlerts(rows[1].payload)).toEqual([
      { fingerprint: 'a', status: 'firing' },
      { fingerprint: 'b', status: 'firing' },
    ]);
  });

  it('counts group_interval from when a flush was due, not from when a late pass reached it', async () => {
    const r = rig();
    await r.push(inbound('a'));
    await r.passAt(0);
    await r.passAt(30 * SECOND + 900); // due at 30 s, reached 0.9 s late
    r.clock.at(MINUTE);
    await r.push(inbound('b', { startsAt: r.clock.now(), at: r.clock.now() }));
    await r.passAt(MINUTE);
    await r.passAt(30 * SECOND + 5 * MINUTE); // due again at 30 s + 5 min, not 0.9 s after
    expect(await r.outbox()).toHaveLength(2);
  });

  it('times a new group from when its first alert was received, not from when a late pass routed it', async () => {
    const r = rig();
    await r.push(inbound('a')); // received at 0, routed 10 s later (a busy dispatcher)
    await r.passAt(10 * SECOND);
    expect((await store.listGroups()).map((g) => g.nextFlushAt)).toEqual([r.clock.t - 10 * SECOND + 30 * SECOND]);
    await r.passAt(30 * SECOND);
    expect(await r.outbox()).toHaveLength(1);
  });

  it('after a stall longer than group_interval, restarts the cadence at the late flush instead of catching up', async () => {
    const r = rig();
    await r.push(inbound('a'));
    await r.passAt(0);
    await r.passAt(30 * SECOND + 12 * MINUTE); // due at 30 s; the dispatcher was stopped for 12 minutes
    r.clock.at(13 * MINUTE);
    await r.push(inbound('b', { startsAt: r.clock.now(), at: r.clock.now() }));
    await r.passAt(13 * MINUTE);
    await r.passAt(30 * SECOND + 16 * MINUTE); // 7 min + 5 min would be due; 12 min + 5 is not yet
    expect(await r.outbox()).toHaveLength(1);
    await r.passAt(30 * SECOND + 17 * MINUTE);
    expect(await r.outbox()).toHaveLength(2);
  });

  it('reports a resolve (PagerDuty action resolve, same dedup_key) and closes the empty group', async () => {
    const r = rig(testNotifyConfig({ route: { receiver: 'pd', groupBy: ['alertname'], groupWaitMs: 30 * SECOND } }));
    const a = inbound('a');
    await r.push(a);
    await r.passAt(0);
    await r.passAt(30 * SECOND);
    r.clock.at(2 * MINUTE);
    await r.push(resolvedOf(a, r.clock.now()));
    await r.passAt(2 * MINUTE);
    expect(await r.outbox()).toHaveLength(1);

    await r.passAt(30 * SECOND + 5 * MINUTE);
    const rows = await r.outbox('pd');
    expect(rows).toHaveLength(2);
    const [trigger, resolve] = rows.map((row) => row.payload as Record<string, unknown>);
    expect(trigger).toMatchObject({ event_action: 'trigger' });
    expect(resolve).toMatchObject({ event_action: 'resolve', dedup_key: trigger.dedup_key });
    expect(trigger).not.toHaveProperty('routing_key');

    const [g] = await store.listGroups();
    expect(g.nextFlushAt).toBeNull();
    expect(await store.getNotifyAlerts(['a'])).toEqual([]);
    // A later firing of the same alert reopens the group and waits group_wait again.
    r.clock.at(HOUR);
    await r.push(inbound('a', { startsAt: r.clock.now(), at: r.clock.now() }));
    await r.passAt(HOUR);
    expect(await r.outbox()).toHaveLength(2);
    await r.passAt(HOUR + 30 * SECOND);
    expect(await r.outbox()).toHaveLength(3);
  });

  it('with sendResolved false sends no resolve but logs it, and leaves resolved alerts out of a firing message', async () => {
    const config = testNotifyConfig({ channels: testChannels({ hook: { sendResolved: false } }) });
    const r = rig(config);
    const [a, b] = [inbound('a'), inbound('b')];
    await r.push(a, b);
    await r.passAt(0);
    await r.passAt(30 * SECOND);
    // b resolves and c joins: the next message reports a and c, never b.
    r.clock.at(MINUTE);
    await r.push(resolvedOf(b, r.clock.now()), inbound('c', { at: r.clock.now() }));
    await r.passAt(MINUTE);
    await r.passAt(30 * SECOND + 5 * MINUTE);
    let rows = await r.outbox();
    expect(rows).toHaveLength(2);
    expect(payloadAlerts(rows[1].payload)).toEqual([
      { fingerprint: 'a', status: 'firing' },
      { fingerprint: 'c', status: 'firing' },
    ]);

    r.clock.at(6 * MINUTE);
    await r.push(resolvedOf(a, r.clock.now()), resolvedOf(inbound('c'), r.clock.now()));
    const flushed = await r.passAt(30 * SECOND + 10 * MINUTE);
    expect(flushed.outcomes).toEqual({ logged: 1 });
    rows = await r.outbox();
    expect(rows).toHaveLength(2);
    const [g] = await store.listGroups();
    expect(g.state.lastNotified).toMatchObject({ firing: [], resolved: ['a', 'c'] });
    expect(g.nextFlushAt).toBeNull();
  });

  it('repeats an unchanged notification after repeat_interval, as a new outbox row', async () => {
    const r = rig(
      testNotifyConfig({
        route: {
          receiver: 'hook',
          groupBy: ['alertname'],
          groupWaitMs: 0,
          groupIntervalMs: 5 * MINUTE,
          repeatIntervalMs: HOUR,
        },
      })
    );
    await r.push(inbound('a'));
    await r.passAt(0);
    for (let m = 5; m <= 60; m += 5) {
      await r.passAt(m * MINUTE);
    }
    expect(await r.outbox()).toHaveLength(1);
    await r.passAt(65 * MINUTE);
    const rows = await r.outbox();
    expect(rows).toHaveLength(2);
    expect(rows[1].dedupKey).not.toBe(rows[0].dedupKey);
    expect(payloadAlerts(rows[1].payload)).toEqual(payloadAlerts(rows[0].payload));
  });

  it('fans out along the tree: critical to PagerDuty and Slack, warning to Slack only', async () => {
    const r = rig(
      testNotifyConfig({
        route: {
          receiver: 'hook',
          groupBy: ['alertname'],
          groupWaitMs: 0,
          routes: [
            { matchers: [{ name: 'severity', op: '=', value: 'critical' }], receiver: 'pd', continue: true },
            { matchers: [{ name: 'severity', op: '=~', value: 'critical|warning' }], receiver: 'slack' },
          ],
        },
      })
    );
    await r.push(inbound('crit'), inbound('warn', { labels: { alertname: 'Disk', severity: 'warning' } }));
    await r.passAt(0);
    const rows = await r.outbox();
    expect(rows.map((row) => row.channel).sort()).toEqual(['pd', 'slack', 'slack']);
    expect(await r.outbox('hook')).toHaveLength(0);
  });

  it('ignores an update older than the stored one, and a resolve of an alert it never saw firing', async () => {
    const r = rig();
    await r.push(inbound('ghost', { status: 'resolved', endsAt: 0 }));
    await r.passAt(0);
    expect(await store.listGroups()).toEqual([]);
    expect(await store.readInbox(10)).toEqual([]);

    r.clock.at(MINUTE);
    await r.push(inbound('a', { at: r.clock.now(), value: 2 }), inbound('a', { at: 0, value: 1, status: 'resolved' }));
    await r.passAt(MINUTE);
    const [a] = await store.getNotifyAlerts(['a']);
    expect(a).toMatchObject({ status: 'firing', value: 2 });
  });

  it('drops routes to unknown channels and keeps alerts without any route out of the store', async () => {
    const r = rig(testNotifyConfig({ route: { receiver: 'nowhere', groupWaitMs: 0 } }));
    await r.push(inbound('a'));
    await r.passAt(0);
    expect(await store.listGroups()).toEqual([]);
    expect(await store.getNotifyAlerts(['a'])).toEqual([]);
    expect(await store.readInbox(10)).toEqual([]);
  });
});
