// A crash-like restart, on both stores (real SQLite, real PostgreSQL): a dispatcher dies between two
// commits of a pass (its next commit throws, the store is closed without any shutdown step), and a new
// dispatcher opens the same database (SQLite file, PostgreSQL database) and continues. Every group must end with exactly one firing and one resolved notification in the outbox:
// nothing lost, nothing twice. Also two dispatchers flushing the same groups at once (a future HA race)
// enqueue each notification once.
import type { Store } from '../../store/store';
import type { InboundAlert } from '../../store/notifyStore';
import { sharedStoreDb, type SharedStoreDb } from '../../testing/sharedStoreDb';
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

const GROUPS = 10;
const PER_GROUP = 4;

/** `store` whose `method` throws on its `nth` call (the process "dies" there: the commit never happens). */
function dyingAt(store: Store, method: 'commitIngest' | 'commitFlush', nth: number): Store {
  let calls = 0;
  return new Proxy(store, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') {
        return v;
      }
      if (prop === method) {
        return async (...args: unknown[]) => {
          calls++;
          if (calls === nth) {
            throw new Error(`simulated crash before ${method} #${nth}`);
          }
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (v as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

describeEachStore('Dispatcher across a crash-like restart', (suite) => {
  let shared: SharedStoreDb;
  const open: Store[] = [];
  const config = testNotifyConfig();
  const clock = new FakeClock();

  beforeEach(async () => {
    shared = await sharedStoreDb(suite);
  });
  afterEach(async () => {
    open.splice(0);
    await shared.close();
  });

  /** A fresh process: a new connection to the database and a new dispatcher, dying where told. */
  async function boot(die?: { method: 'commitIngest' | 'commitFlush'; nth: number }): Promise<DispatchRig> {
    const store = await shared.open();
    open.push(store);
    const s = die ? dyingAt(store, die.method, die.nth) : store;
    return new DispatchRig(s, config, clock, { ingestBatch: 7, flushBatch: 3 });
  }

  /** Crashes a rig: the pass fails where told, and its connection is dropped. */
  async function crash(rig: DispatchRig, atMs: number): Promise<void> {
    await expect(rig.passAt(atMs)).rejects.toThrow('simulated crash');
    const real = open.pop();
    await real?.close();
  }

  function alerts(): InboundAlert[] {
    const out: InboundAlert[] = [];
    for (let g = 0; g < GROUPS; g++) {
      for (let i = 0; i < PER_GROUP; i++) {
        out.push(inbound(`g${g}-${i}`, { labels: { alertname: `G${g}` } }));
      }
    }
    return out;
  }

  it('neither loses nor duplicates a notification when a dispatcher dies mid-ingest or mid-flush', async () => {
    const all = alerts();
    // Process 1 queues everything and dies on its third ingest commit (two batches of 7 applied).
    let rig = await boot({ method: 'commitIngest', nth: 3 });
    await rig.push(...all);
    await crash(rig, 0);
    // Process 2 routes the rest, then dies on its second flush commit (one batch of 3 groups flushed).
    rig = await boot({ method: 'commitFlush', nth: 2 });
    await rig.passAt(SECOND);
    expect(await rig.store.readInbox(100)).toEqual([]);
    await crash(rig, 30 * SECOND);
    expect(await (await boot()).outbox()).toHaveLength(3);
    // Process 3 flushes the other groups at its first pass (they are overdue).
    rig = await boot();
    await rig.passAt(31 * SECOND);
    let rows = await rig.outbox();
    expect(rows).toHaveLength(GROUPS);
    for (const row of rows) {
      expect(payloadAlerts(row.payload)).toHaveLength(PER_GROUP);
    }

    // Everything resolves; process 3 dies mid-ingest of the resolves, process 4 mid-flush.
    clock.at(2 * MINUTE);
    await rig.push(...all.map((a) => resolvedOf(a, clock.now())));
    rig = await boot({ method: 'commitIngest', nth: 2 });
    await crash(rig, 2 * MINUTE);
    rig = await boot({ method: 'commitFlush', nth: 3 });
    await rig.passAt(2 * MINUTE);
    await crash(rig, 6 * MINUTE);
    expect(await (await boot()).outbox()).toHaveLength(GROUPS + 6);
    rig = await boot();
    await rig.passAt(6 * MINUTE + SECOND);
    // And a pass much later changes nothing.
    await rig.passAt(30 * MINUTE);

    rows = await rig.outbox();
    const perGroup = new Map<string, string[]>();
    for (const row of rows) {
      const p = row.payload as { status: string; groupLabels: { alertname: string } };
      perGroup.set(p.groupLabels.alertname, [...(perGroup.get(p.groupLabels.alertname) ?? []), p.status]);
      expect(payloadAlerts(row.payload)).toHaveLength(PER_GROUP);
    }
    expect(perGroup.size).toBe(GROUPS);
    for (const statuses of perGroup.values()) {
      expect(statuses).toEqual(['firing', 'resolved']);
    }
    expect(await rig.store.getNotifyAlerts(all.map((a) => a.fingerprint))).toEqual([]);
    expect((await rig.store.listGroups()).every((g) => g.nextFlushAt === null)).toBe(true);
  });

  it('enqueues a notification once when two dispatchers flush the same group at the same time', async () => {
    const a = await boot();
    const b = await boot();
    await a.push(...alerts());
    await a.passAt(0);
    clock.at(30 * SECOND);
    const [ra, rb] = await Promise.all([a.dispatcher.runPass(), b.dispatcher.runPass()]);
    // Both planned some of the same notifications (the passes interleave at each store call, so both
    // read the first groups before either committed; between flush steps each lets the event loop run,
    // so later steps may see the other's commits); the outbox's dedup key kept one of each.
    expect(ra.enqueued + rb.enqueued).toBeGreaterThan(GROUPS);
    expect(await a.outbox()).toHaveLength(GROUPS);
  });
});
