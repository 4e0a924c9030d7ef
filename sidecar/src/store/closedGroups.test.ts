// The memberships a closing flush leaves, on both stores (real SQLite, real PostgreSQL): released with
// the resolved alerts no group holds (by key, or every closed group after a restart), never those of a
// group that reopened, and dropped by the ingest that reopens a group before it adds its new members.
import { describeEachStore } from '../testing/storeBackends';
import type { NotifyAlertRecord, NotifyGroupRecord } from './notifyStore';
import type { Store } from './store';
import { notifyAlert } from '../testing/notifyRecords';

const T0 = Date.UTC(2026, 11, 7, 3, 0, 0);

const alert = (fp: string, over: Partial<NotifyAlertRecord> = {}) => notifyAlert(fp, T0, over);
const resolved = (fp: string) => alert(fp, { status: 'resolved', endsAt: T0 + 1, updatedAt: T0 + 1 });

const open = (key: string): NotifyGroupRecord => ({
  key,
  routeId: 'root/0',
  receiver: 'hook',
  groupLabels: { alertname: key },
  state: { key, firstAlertAt: T0, lastFlushAt: T0, lastNotified: null },
  nextFlushAt: T0 + 1000,
});
const closed = (key: string): NotifyGroupRecord => ({
  ...open(key),
  state: { key, firstAlertAt: T0, lastFlushAt: T0 + 1000, lastNotified: null, closed: true },
  nextFlushAt: null,
});

const members = async (store: Store, key: string) =>
  ((await store.groupAlerts([key])).get(key) ?? []).map((a) => a.fingerprint);
const known = async (store: Store, fps: string[]) =>
  (await store.getNotifyAlerts(fps)).map((a) => `${a.fingerprint}:${a.status}`);

describeEachStore('closed groups', (suite) => {
  let store: Store;
  beforeEach(async () => {
    store = await suite.open();
    // g1 and g2 each hold two alerts; b is in both.
    await store.commitIngest({
      inboxIds: [],
      alerts: [alert('a'), alert('b'), alert('c')],
      groups: [open('g1'), open('g2')],
      memberships: [
        { groupKey: 'g1', fingerprint: 'a' },
        { groupKey: 'g1', fingerprint: 'b' },
        { groupKey: 'g2', fingerprint: 'b' },
        { groupKey: 'g2', fingerprint: 'c' },
      ],
    });
    // Everything resolves; g1's flush closes it and keeps its memberships.
    await store.commitIngest({
      inboxIds: [],
      alerts: [resolved('a'), resolved('b'), resolved('c')],
      groups: [],
      memberships: [],
    });
    await store.commitFlush([{ group: closed('g1'), notifications: [], removeFingerprints: [] }]);
  });
  afterEach(async () => {
    await store?.close();
  });

  it('keeps a closing flush’s memberships until released, then forgets the alerts no group holds', async () => {
    expect(await members(store, 'g1')).toEqual(['a', 'b']);
    // g2 is open: asking for it releases nothing.
    expect(await store.releaseClosedGroups(['g2'])).toBe(0);
    expect(await members(store, 'g2')).toEqual(['b', 'c']);
    expect(await store.releaseClosedGroups(['g1'])).toBe(2);
    expect(await members(store, 'g1')).toEqual([]);
    // a was only g1's: gone; b is still g2's; c never was g1's.
    expect(await known(store, ['a', 'b', 'c'])).toEqual(['b:resolved', 'c:resolved']);
    expect(await store.releaseClosedGroups(['g1'])).toBe(0);
    // g1 is empty and closed: the prune may delete it now.
    expect((await store.pruneNotify(T0 + 10 * 86_400_000)).groups).toBe(1);
  });

  it('releases every closed group without keys (a restart), and none that is open', async () => {
    await store.commitFlush([{ group: closed('g2'), notifications: [], removeFingerprints: [] }]);
    await store.commitIngest({
      inboxIds: [],
      alerts: [alert('d')],
      groups: [open('g3')],
      memberships: [{ groupKey: 'g3', fingerprint: 'd' }],
    });
    expect(await store.releaseClosedGroups()).toBe(4);
    expect(await members(store, 'g1')).toEqual([]);
    expect(await members(store, 'g2')).toEqual([]);
    expect(await members(store, 'g3')).toEqual(['d']);
    expect(await known(store, ['a', 'b', 'c', 'd'])).toEqual(['d:firing']);
  });

  it('drops a reopened group’s leftover memberships before adding the new ones', async () => {
    // a fires again and e is new: both join g1, which reopens.
    await store.commitIngest({
      inboxIds: [],
      alerts: [alert('a', { updatedAt: T0 + 5 }), alert('e', { updatedAt: T0 + 5 })],
      groups: [open('g1')],
      memberships: [
        { groupKey: 'g1', fingerprint: 'a' },
        { groupKey: 'g1', fingerprint: 'e' },
      ],
      reopened: ['g1'],
    });
    expect(await members(store, 'g1')).toEqual(['a', 'e']);
    // b (resolved) left g1 and stays for g2; a fires again and is kept.
    expect(await known(store, ['a', 'b', 'e'])).toEqual(['a:firing', 'b:resolved', 'e:firing']);
    // g1 is open again: a release of it drops nothing.
    expect(await store.releaseClosedGroups(['g1'])).toBe(0);
    expect(await members(store, 'g1')).toEqual(['a', 'e']);
  });
});
