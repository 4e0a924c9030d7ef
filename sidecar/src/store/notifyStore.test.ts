// The dispatcher's tables on both stores (real SQLite, real PostgreSQL): inbox order, ingest and flush
// round trips, the atomicity of a flush (outbox rows and group state together or not at all), dedup,
// the cleanup of resolved alerts, silences with their audit record, and the state surviving a reopen.
import { isVigilError } from '../errors';
import { sharedStoreDb } from '../testing/sharedStoreDb';
import { describeEachStore } from '../testing/storeBackends';
import type { FlushCommit, InboundAlert, NotifyAlertRecord, NotifyGroupRecord, SilenceRecord } from './notifyStore';
import { outboxDedupKey } from './sqliteOutbox';
import type { NewOutboxNotification, Store } from './store';

const T0 = Date.UTC(2026, 11, 7, 3, 0, 0);

const inbound = (fp: string, over: Partial<InboundAlert> = {}): InboundAlert => ({
  fingerprint: fp,
  source: 'rule',
  status: 'firing',
  labels: { alertname: `A-${fp}`, severity: 'critical' },
  annotations: { summary: `summary ${fp}` },
  startsAt: T0,
  endsAt: null,
  value: 95,
  threshold: 80,
  actions: [],
  at: T0,
  ...over,
});

const alert = (fp: string, over: Partial<NotifyAlertRecord> = {}): NotifyAlertRecord => {
  const { at, ...rest } = inbound(fp);
  return { ...rest, updatedAt: at, ...over };
};

const group = (key: string, over: Partial<NotifyGroupRecord> = {}): NotifyGroupRecord => ({
  key,
  routeId: 'root/0',
  receiver: 'pd',
  groupLabels: { alertname: key },
  state: { key, firstAlertAt: T0, lastFlushAt: null, lastNotified: null },
  nextFlushAt: T0 + 30_000,
  ...over,
});

const note = (groupKey: string, content: string, over: Partial<NewOutboxNotification> = {}): NewOutboxNotification => ({
  channel: 'pd',
  groupKey,
  dedupKey: outboxDedupKey('pd', groupKey, content),
  payload: { content },
  createdAt: T0 + 30_000,
  ...over,
});

const silence = (id: string, over: Partial<SilenceRecord> = {}): SilenceRecord => ({
  id,
  matchers: [{ name: 'service', op: '=', value: 'api' }],
  startsAt: T0,
  endsAt: T0 + 3_600_000,
  createdBy: 'alice',
  comment: 'deploy',
  updatedAt: T0,
  ...over,
});

async function rejection(p: Promise<unknown>): Promise<{ code: string; retryable: boolean; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isVigilError(err)) {
      return { code: err.code, retryable: err.retryable, message: err.message };
    }
    throw err;
  }
  throw new Error('expected a rejection');
}

describeEachStore('notify store', (suite) => {
  let store: Store;
  beforeEach(async () => {
    store = await suite.open();
  });

  it('reads the inbox back in push order, also within one millisecond and across pushes', async () => {
    await store.pushInbound([inbound('c'), inbound('a'), inbound('b')], T0);
    await store.pushInbound([inbound('z'), inbound('y')], T0);
    await store.pushInbound([inbound('early')], T0 - 1);
    await store.pushInbound([], T0);
    const inbox = await store.readInbox(10);
    expect(inbox.map((e) => e.alert.fingerprint)).toEqual(['early', 'c', 'a', 'b', 'z', 'y']);
    expect(inbox[1]).toEqual({ id: expect.any(String), receivedAt: T0, alert: inbound('c') });
    expect((await store.readInbox(2)).map((e) => e.alert.fingerprint)).toEqual(['early', 'c']);
  });

  it('tells when the oldest inbox row was received, null once the inbox is empty', async () => {
    expect(await store.oldestInbox()).toBeNull();
    await store.pushInbound([inbound('a')], T0);
    await store.pushInbound([inbound('b')], T0 - 5);
    expect(await store.oldestInbox()).toBe(T0 - 5);
    const ids = (await store.readInbox(10)).map((e) => e.id);
    await store.commitIngest({ inboxIds: [ids[0]], alerts: [], groups: [], memberships: [] });
    expect(await store.oldestInbox()).toBe(T0);
    await store.commitIngest({ inboxIds: [ids[1]], alerts: [], groups: [], memberships: [] });
    expect(await store.oldestInbox()).toBeNull();
  });

  it('applies an ingest in one go: alerts, groups, memberships, consumed inbox rows', async () => {
    await store.pushInbound([inbound('a'), inbound('b', { generatorURL: 'http://127.0.0.1/r' })], T0);
    const inbox = await store.readInbox(10);
    const b = alert('b', { generatorURL: 'http://127.0.0.1/r', actions: ['pd', 'slack'] });
    await store.commitIngest({
      inboxIds: [inbox[0].id],
      alerts: [alert('a'), b],
      groups: [group('g1'), group('g2', { nextFlushAt: T0 + 10_000 })],
      memberships: [
        { groupKey: 'g1', fingerprint: 'a' },
        { groupKey: 'g1', fingerprint: 'b' },
        { groupKey: 'g2', fingerprint: 'b' },
      ],
    });
    // Memberships already there are kept, not an error.
    await store.commitIngest({
      inboxIds: [],
      alerts: [],
      groups: [],
      memberships: [{ groupKey: 'g1', fingerprint: 'a' }],
    });

    expect((await store.readInbox(10)).map((e) => e.alert.fingerprint)).toEqual(['b']);
    expect(await store.getNotifyAlerts(['b', 'a', 'missing', 'b'])).toEqual([b, alert('a')]);
    expect(await store.getGroups(['g2', 'nope'])).toEqual([group('g2', { nextFlushAt: T0 + 10_000 })]);
    expect((await store.listGroups()).map((g) => g.key)).toEqual(['g1', 'g2']);
    const members = await store.groupAlerts(['g1', 'g2', 'empty']);
    expect([...members.keys()]).toEqual(['g1', 'g2', 'empty']);
    expect(members.get('g1')!.map((a) => a.fingerprint)).toEqual(['a', 'b']);
    expect(members.get('g2')).toEqual([b]);
    expect(members.get('empty')).toEqual([]);
    expect(await store.firingAlertLabels()).toEqual(expect.arrayContaining([alert('a').labels, b.labels]));
  });

  it('never replaces a newer alert update with an older one', async () => {
    const resolved = alert('a', { status: 'resolved', endsAt: T0 + 5000, updatedAt: T0 + 5000 });
    await store.commitIngest({ inboxIds: [], alerts: [resolved], groups: [], memberships: [] });
    await store.commitIngest({ inboxIds: [], alerts: [alert('a')], groups: [], memberships: [] });
    expect(await store.getNotifyAlerts(['a'])).toEqual([resolved]);
    expect(await store.firingAlertLabels()).toEqual([]);
  });

  it('counts the groups scheduled to flush, not the closed ones', async () => {
    await store.commitIngest({
      inboxIds: [],
      alerts: [],
      groups: [group('a'), group('b'), group('closed', { nextFlushAt: null })],
      memberships: [],
    });
    expect(await store.countOpenGroups()).toBe(2);
  });

  it('lists due groups soonest first and the next flush time', async () => {
    expect(await store.nextGroupFlush()).toBeNull();
    await store.commitIngest({
      inboxIds: [],
      alerts: [],
      groups: [
        group('late', { nextFlushAt: T0 + 50 }),
        group('early', { nextFlushAt: T0 + 10 }),
        group('closed', { nextFlushAt: null }),
        group('future', { nextFlushAt: T0 + 1000 }),
      ],
      memberships: [],
    });
    expect(await store.nextGroupFlush()).toBe(T0 + 10);
    expect((await store.dueGroups(T0 + 50, 10)).map((g) => g.key)).toEqual(['early', 'late']);
    expect((await store.dueGroups(T0 + 50, 1)).map((g) => g.key)).toEqual(['early']);
    expect(await store.dueGroups(T0, 10)).toEqual([]);
  });

  it('flushes: enqueues, stores the group state, drops memberships, forgets resolved alerts in no group', async () => {
    await store.commitIngest({
      inboxIds: [],
      alerts: [alert('a', { status: 'resolved', endsAt: T0 + 1 }), alert('b'), alert('c', { status: 'resolved' })],
      groups: [group('g1'), group('g2')],
      memberships: [
        { groupKey: 'g1', fingerprint: 'a' },
        { groupKey: 'g1', fingerprint: 'b' },
        { groupKey: 'g1', fingerprint: 'c' },
        { groupKey: 'g2', fingerprint: 'c' },
      ],
    });
    const flushed = group('g1', {
      state: {
        key: 'g1',
        firstAlertAt: T0,
        lastFlushAt: T0 + 30_000,
        lastNotified: { firing: ['b'], resolved: ['a', 'c'], at: T0 + 30_000 },
      },
      nextFlushAt: T0 + 330_000,
    });
    await store.commitFlush([{ group: flushed, notifications: [note('g1', 'x')], removeFingerprints: ['a', 'c'] }]);

    expect(await store.getGroups(['g1'])).toEqual([flushed]);
    expect((await store.groupAlerts(['g1'])).get('g1')!.map((a) => a.fingerprint)).toEqual(['b']);
    // a: resolved, in no group → gone; c: resolved but g2 still holds it → kept; b: firing → kept.
    expect((await store.getNotifyAlerts(['a', 'b', 'c'])).map((a) => a.fingerprint)).toEqual(['b', 'c']);
    const rows = await store.listNotifications();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'pd', groupKey: 'g1', status: 'pending', payload: { content: 'x' } });
  });

  it('prunes closed empty groups and sent notifications older than the retention, nothing else', async () => {
    const closed = (key: string, at: number) =>
      group(key, {
        nextFlushAt: null,
        state: {
          key,
          firstAlertAt: T0,
          lastFlushAt: at,
          lastNotified: { firing: [], resolved: ['x'], at },
          closed: true,
        },
      });
    await store.commitIngest({
      inboxIds: [],
      alerts: [alert('m')],
      // old: closed long ago → pruned; recent: closed after the cut → kept; open: still scheduled → kept;
      // member: closed but holding an alert → kept.
      groups: [closed('old', T0), closed('recent', T0 + 10_000), group('open'), closed('member', T0)],
      memberships: [{ groupKey: 'member', fingerprint: 'm' }],
    });
    // Three groups: rows of one group are claimed one at a time, in order.
    await store.enqueue(note('n1', 'sent-early'));
    await store.enqueue(note('n2', 'sent-late'));
    await store.enqueue(note('n3', 'failed'));
    const claimed = await store.claimDue(T0 + 40_000, 10, 'w', 60_000);
    const byContent = (c: string) => claimed.find((r) => (r.payload as { content: string }).content === c)!.id;
    await store.markSent(byContent('sent-early'), T0 + 1_000);
    await store.markSent(byContent('sent-late'), T0 + 20_000);
    await store.markFailed(byContent('failed'), 'refused');

    expect(await store.pruneNotify(T0 + 5_000)).toEqual({ groups: 1, notifications: 1 });
    expect((await store.listGroups()).map((g) => g.key)).toEqual(['member', 'open', 'recent']);
    const left = (await store.listNotifications()).map((r) => (r.payload as { content: string }).content).sort();
    expect(left).toEqual(['failed', 'sent-late']);
  });

  it('reads and writes hundreds of alerts and groups at once (lookups go by chunks of keys)', async () => {
    const fps = Array.from({ length: 150 }, (_, i) => `fp${String(i).padStart(3, '0')}`);
    const keys = Array.from({ length: 70 }, (_, i) => `g${String(i).padStart(2, '0')}`);
    const alerts = fps.map((fp, i) => alert(fp, { startsAt: T0 - (i % 3) * 1000 }));
    await store.commitIngest({
      inboxIds: [],
      alerts,
      groups: keys.map((k) => group(k)),
      memberships: fps.map((fp, i) => ({ groupKey: keys[i % keys.length], fingerprint: fp })),
    });
    // In the order asked, each once, missing ones left out.
    const asked = [...fps].reverse().concat(['missing', fps[0]]);
    expect((await store.getNotifyAlerts(asked)).map((a) => a.fingerprint)).toEqual([...fps].reverse());
    expect((await store.getGroups(['nope', ...keys])).map((g) => g.key)).toEqual(keys);
    const members = await store.groupAlerts([...keys, 'empty']);
    expect(members.get('empty')).toEqual([]);
    for (const [i, k] of keys.entries()) {
      const expected = alerts
        .filter((_, j) => j % keys.length === i)
        .sort((a, b) => a.startsAt - b.startsAt || (a.fingerprint < b.fingerprint ? -1 : 1));
      expect(members.get(k)).toEqual(expected);
    }

    // A flush removing resolved alerts forgets those no other group holds, across chunks too.
    const resolved = fps.map((fp) => alert(fp, { status: 'resolved', endsAt: T0 + 1, updatedAt: T0 + 1 }));
    await store.commitIngest({
      inboxIds: [],
      alerts: resolved,
      groups: [group('other')],
      memberships: [{ groupKey: 'other', fingerprint: fps[0] }],
    });
    await store.commitFlush(
      keys.map((k) => ({
        group: group(k),
        notifications: [],
        removeFingerprints: fps.filter((_, j) => keys[j % keys.length] === k),
      }))
    );
    expect((await store.groupAlerts(keys)).get(keys[0])).toEqual([]);
    expect((await store.getNotifyAlerts(fps)).map((a) => a.fingerprint)).toEqual([fps[0]]);
  });

  it('forgets at the prune a resolved alert no group holds and no flush removed', async () => {
    // Fired on no route (stored, in no group), then resolved.
    await store.commitIngest({
      inboxIds: [],
      alerts: [alert('lonely', { status: 'resolved' })],
      groups: [],
      memberships: [],
    });
    await store.commitIngest({
      inboxIds: [],
      alerts: [alert('held', { status: 'resolved' }), alert('firing')],
      groups: [group('g')],
      memberships: [{ groupKey: 'g', fingerprint: 'held' }],
    });
    await store.pruneNotify(T0 - 1);
    expect((await store.getNotifyAlerts(['lonely', 'held', 'firing'])).map((a) => a.fingerprint)).toEqual([
      'held',
      'firing',
    ]);
  });

  it('enqueues the same notification once, whether in one flush or two', async () => {
    await store.commitIngest({ inboxIds: [], alerts: [], groups: [group('g')], memberships: [] });
    const f: FlushCommit = {
      group: group('g'),
      notifications: [note('g', 'x'), note('g', 'x')],
      removeFingerprints: [],
    };
    await store.commitFlush([f]);
    await store.commitFlush([f, { ...f, notifications: [note('g', 'y')] }]);
    expect((await store.listNotifications()).map((n) => n.payload)).toEqual(
      expect.arrayContaining([{ content: 'x' }, { content: 'y' }])
    );
    expect(await store.listNotifications()).toHaveLength(2);
  });

  it('writes nothing of a flush when one of its notifications fails a constraint', async () => {
    await store.commitIngest({
      inboxIds: [],
      alerts: [alert('a', { status: 'resolved' })],
      groups: [group('g1'), group('g2')],
      memberships: [{ groupKey: 'g1', fingerprint: 'a' }],
    });
    await store.enqueue(note('other', 'taken', { id: 'taken-id' }));
    // The second group's notification reuses an existing row's id (a primary key violation): the
    // first group's outbox row, state and membership change must roll back with it.
    const err = await rejection(
      store.commitFlush([
        { group: group('g1', { nextFlushAt: null }), notifications: [note('g1', 'x')], removeFingerprints: ['a'] },
        {
          group: group('g2', { nextFlushAt: null }),
          notifications: [note('g2', 'y', { id: 'taken-id' })],
          removeFingerprints: [],
        },
      ])
    );
    expect(err).toMatchObject({ code: 'store_error', retryable: false });
    expect(err.message).toContain('flushing 2 notification group(s)');
    expect((await store.listNotifications()).map((n) => n.id)).toEqual(['taken-id']);
    expect((await store.getGroups(['g1', 'g2'])).map((g) => g.nextFlushAt)).toEqual([T0 + 30_000, T0 + 30_000]);
    expect((await store.groupAlerts(['g1'])).get('g1')!.map((a) => a.fingerprint)).toEqual(['a']);
    expect(await store.getNotifyAlerts(['a'])).toHaveLength(1);
  });

  it('rolls an ingest back entirely when a row cannot be stored', async () => {
    await store.pushInbound([inbound('a')], T0);
    const [entry] = await store.readInbox(1);
    // A NOT NULL column left empty (a caller bug): nothing of the batch may stick, the inbox row stays.
    const broken = { ...alert('b'), source: null } as unknown as NotifyAlertRecord;
    const err = await rejection(
      store.commitIngest({ inboxIds: [entry.id], alerts: [alert('a'), broken], groups: [group('g')], memberships: [] })
    );
    expect(err.code).toBe('store_error');
    expect(await store.readInbox(10)).toHaveLength(1);
    expect(await store.getNotifyAlerts(['a', 'b'])).toEqual([]);
    expect(await store.listGroups()).toEqual([]);
  });

  it('stores silences newest first and records each change', async () => {
    await store.putSilence(silence('s1'), 'alice', 'create');
    await store.putSilence(silence('s2', { updatedAt: T0 + 10, endsAt: T0 + 20 }), 'bob', 'create');
    const expired = silence('s1', { endsAt: T0 + 100, updatedAt: T0 + 100 });
    await store.putSilence(expired, 'carol', 'expire');

    expect(await store.getSilence('s1')).toEqual(expired);
    expect(await store.getSilence('nope')).toBeNull();
    expect((await store.listSilences()).map((s) => s.id)).toEqual(['s1', 's2']);
    expect((await store.listSilences({ expiredSince: T0 + 50 })).map((s) => s.id)).toEqual(['s1']);
    expect(await store.listChanges('silence', 's1')).toEqual([
      { at: T0 + 100, user: 'carol', action: 'expire', objectType: 'silence', objectId: 's1', detail: expired },
      { at: T0, user: 'alice', action: 'create', objectType: 'silence', objectId: 's1', detail: silence('s1') },
    ]);
  });

  it('fails with a store error once closed', async () => {
    await store.close();
    expect((await rejection(store.pushInbound([inbound('a')], T0))).code).toBe('store_closed');
    expect((await rejection(store.readInbox(1))).code).toBe('store_closed');
  });
});

describeEachStore('notify store across a reopen', (suite) => {
  it('keeps the inbox, groups, memberships and silences', async () => {
    const shared = await sharedStoreDb(suite);
    try {
      let store = await shared.open();
      await store.pushInbound([inbound('a'), inbound('b')], T0);
      await store.commitIngest({
        inboxIds: [],
        alerts: [alert('a')],
        groups: [group('g')],
        memberships: [{ groupKey: 'g', fingerprint: 'a' }],
      });
      await store.putSilence(silence('s'), 'alice', 'create');
      await store.close();

      store = await shared.open();
      expect((await store.readInbox(10)).map((e) => e.alert.fingerprint)).toEqual(['a', 'b']);
      expect((await store.groupAlerts(['g'])).get('g')).toEqual([alert('a')]);
      expect(await store.nextGroupFlush()).toBe(T0 + 30_000);
      expect(await store.listSilences()).toEqual([silence('s')]);
    } finally {
      await shared.close();
    }
  });

  it('reads group members as the rows hold them, also after another connection updated them', async () => {
    const shared = await sharedStoreDb(suite);
    const a = await shared.open();
    const b = await shared.open();
    try {
      const ingest = (store: Store, rec: NotifyAlertRecord) =>
        store.commitIngest({
          inboxIds: [],
          alerts: [rec],
          groups: [group('g')],
          memberships: [{ groupKey: 'g', fingerprint: 'x' }],
        });
      await ingest(a, alert('x'));
      expect((await a.groupAlerts(['g'])).get('g')).toEqual([alert('x')]);
      // Newer, written by the other connection: this one's kept record no longer matches the row.
      const newer = alert('x', {
        labels: { alertname: 'changed' },
        generatorURL: 'http://127.0.0.1/g',
        updatedAt: T0 + 1,
      });
      await ingest(b, newer);
      expect((await a.groupAlerts(['g'])).get('g')).toEqual([newer]);
      // Older, written here: not applied, so not what a read returns either.
      await ingest(a, alert('x', { status: 'resolved', updatedAt: T0 - 1 }));
      expect((await a.groupAlerts(['g'])).get('g')).toEqual([newer]);
      expect((await b.groupAlerts(['g'])).get('g')).toEqual([newer]);
    } finally {
      await shared.close();
    }
  });
});
