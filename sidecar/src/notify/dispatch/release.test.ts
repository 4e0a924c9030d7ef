// A flush that closes a group leaves its memberships to be released when no group is due soon (the
// deletes stay out of a storm's flush burst), on both stores (real SQLite, real PostgreSQL), driven
// pass by pass with a fake clock; a group reopened before the release reports only its new alerts.
import type { Store } from '../../store/store';
import { describeEachStore } from '../../testing/storeBackends';
import {
  DispatchRig,
  FakeClock,
  inbound,
  MINUTE,
  payloadAlerts,
  resolvedOf,
  SECOND,
  testNotifyConfig,
} from '../../testing/dispatch';

describeEachStore('Dispatcher releasing closed groups', (suite) => {
  let store: Store;
  beforeEach(async () => {
    store = await suite.open();
  });
  const members = async (key: string) => ((await store.groupAlerts([key])).get(key) ?? []).map((a) => a.fingerprint);

  /** G1 (a, b) and G2 (c), G2 formed 50 ms after G1: their flushes stay 50 ms apart. */
  async function twoGroups(): Promise<{ r: DispatchRig; g1: string }> {
    const r = new DispatchRig(store, testNotifyConfig(), new FakeClock());
    await r.push(inbound('a'), inbound('b'));
    await r.passAt(0);
    r.clock.at(50);
    await r.push(inbound('c', { labels: { alertname: 'DiskFull' } }));
    await r.passAt(50);
    await r.passAt(30 * SECOND);
    await r.passAt(30 * SECOND + 50);
    expect(await r.outbox()).toHaveLength(2);
    // a and b resolve; G1's next tick reports it and closes G1, while G2 is due 50 ms later.
    r.clock.at(MINUTE);
    await r.push(resolvedOf(inbound('a'), r.clock.now()), resolvedOf(inbound('b'), r.clock.now()));
    await r.passAt(MINUTE);
    await r.passAt(30 * SECOND + 5 * MINUTE);
    expect(await r.outbox()).toHaveLength(3);
    const g1 = (await store.listGroups()).find((g) => g.groupLabels.alertname === 'HighLatency')!;
    expect(g1.nextFlushAt).toBeNull();
    return { r, g1: g1.key };
  }

  it('keeps a closed group’s alerts while a group is due within 100 ms, and releases them after', async () => {
    const { r, g1 } = await twoGroups();
    expect(await members(g1)).toEqual(['a', 'b']);
    // G2's tick (nothing new); then nothing is due for minutes: G1's memberships and alerts go.
    await r.passAt(30 * SECOND + 5 * MINUTE + 50);
    expect(await members(g1)).toEqual([]);
    expect(await store.getNotifyAlerts(['a', 'b'])).toEqual([]);
    expect(await r.outbox()).toHaveLength(3);
  });

  it('reports only the new alert of a group reopened before its release', async () => {
    const { r, g1 } = await twoGroups();
    r.clock.at(30 * SECOND + 5 * MINUTE + 10);
    await r.push(inbound('e', { startsAt: r.clock.now(), at: r.clock.now() }));
    await r.passAt(30 * SECOND + 5 * MINUTE + 10);
    expect(await members(g1)).toEqual(['e']);
    await r.passAt(30 * SECOND + 5 * MINUTE + 50);
    await r.passAt(60 * SECOND + 5 * MINUTE + 10);
    const rows = await r.outbox();
    expect(rows).toHaveLength(4);
    expect(payloadAlerts(rows[3].payload)).toEqual([{ fingerprint: 'e', status: 'firing' }]);
  });

  it('releases what a previous dispatcher left, at a new dispatcher’s first pass', async () => {
    const { g1 } = await twoGroups();
    // A new process (a restart, another leader): its first pass releases every closed group.
    const next = new DispatchRig(store, testNotifyConfig(), new FakeClock());
    await next.passAt(30 * SECOND + 5 * MINUTE + 20);
    expect(await members(g1)).toEqual([]);
    expect(await store.getNotifyAlerts(['a', 'b'])).toEqual([]);
  });
});
