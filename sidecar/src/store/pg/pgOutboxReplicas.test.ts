// Two replicas (two stores, two pools) on one real PostgreSQL database, racing: claims of the same due
// notifications (fresh ones, expired leases of a crashed worker, per-group chains that open one at a
// time) are each won by exactly one claimer; inbound alerts pushed by both replicas while both run a
// dispatcher's read-and-commit loop are each routed exactly once, none lost.
import { startPostgres, type PostgresHandle } from '../../../../test/harness';
import { isVigilError } from '../../errors';
import { sharedStoreDb, type SharedStoreDb } from '../../testing/sharedStoreDb';
import type { InboundAlert, NotifyAlertRecord } from '../notifyStore';
import { outboxDedupKey } from '../sqliteOutbox';
import type { NewOutboxNotification, Store } from '../store';

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);

let pg: PostgresHandle;
let shared: SharedStoreDb;
let replicas: Store[];

beforeAll(async () => {
  pg = await startPostgres();
}, 60000);
afterAll(async () => {
  await pg?.stop();
});
beforeEach(async () => {
  shared = await sharedStoreDb({ backend: 'postgres', postgres: () => pg });
  replicas = [await shared.open({ applicationName: 'replica-a' }), await shared.open({ applicationName: 'replica-b' })];
});
afterEach(async () => {
  await shared.close();
});

const note = (round: number, group: string, i: number, createdAt: number): NewOutboxNotification => ({
  id: `r${round}-${group}-${i}`,
  channel: 'hook',
  groupKey: `r${round}-${group}`,
  dedupKey: outboxDedupKey('hook', `r${round}-${group}`, `${i}`),
  payload: { round, group, i },
  createdAt,
});

test('every due notification is claimed by exactly one of two replicas, round after round', async () => {
  const claims = new Map<string, string[]>(); // id → claimers
  const sendStarted = new Set<string>();
  const outOfOrder: string[] = [];
  for (let round = 0; round < 15; round++) {
    const now = T0 + round * 60_000;
    const expected: string[] = [];
    // 40 single notifications, 5 chains of 4 (one group each: each opens once the previous is sent).
    for (let i = 0; i < 40; i++) {
      const n = note(round, `single${i}`, 0, now);
      await replicas[i % 2].enqueue(n);
      expected.push(n.id!);
    }
    for (let c = 0; c < 5; c++) {
      for (let i = 0; i < 4; i++) {
        const n = note(round, `chain${c}`, i, now - 1000 + i);
        await replicas[c % 2].enqueue(n);
        expected.push(n.id!);
      }
    }
    // A crashed worker held ten (the chains' heads, five singles); its lease ended at `now`: due again.
    const crashed = await replicas[0].claimDue(now, 10, 'crashed', 0);
    expect(crashed).toHaveLength(10);

    // Four claimers per replica, small batches, sending (markSent) what they claim.
    const done = () => expected.every((id) => (claims.get(id) ?? []).some((w) => w !== 'crashed'));
    const claimer = async (store: Store, worker: string) => {
      for (let spins = 0; !done() && spins < 2000; spins++) {
        const got = await store.claimDue(now, 3, worker, 60_000);
        for (const r of got) {
          claims.set(r.id, [...(claims.get(r.id) ?? []), worker]);
          const [, group, i] = /^r\d+-(chain\d+)-(\d+)$/.exec(r.id) ?? [];
          if (group && i !== '0' && !sendStarted.has(`r${round}-${group}-${Number(i) - 1}`)) {
            outOfOrder.push(r.id);
          }
        }
        for (const r of got) {
          sendStarted.add(r.id);
        }
        await Promise.all(got.map((r) => store.markSent(r.id, now)));
        if (got.length === 0) {
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    };
    await Promise.all(replicas.flatMap((store, s) => [0, 1, 2, 3].map((k) => claimer(store, `replica${s}-w${k}`))));
    for (const c of crashed) {
      claims.set(
        c.id,
        (claims.get(c.id) ?? []).filter((w) => w !== 'crashed')
      );
    }
    for (const id of expected) {
      expect([id, claims.get(id)?.length]).toEqual([id, 1]);
    }
    expect(await replicas[1].claimDue(now + 120_000, 100, 'late', 1000)).toEqual([]);
    expect(await replicas[1].listNotifications({ status: 'sent', limit: 1000 })).toHaveLength(60 * (round + 1));
  }
  expect(outOfOrder).toEqual([]);
  // Both replicas took part (with eight claimers on two pools, one replica alone taking all is a bug).
  const byReplica = new Set([...claims.values()].flat().map((w) => w.split('-')[0]));
  expect(byReplica).toEqual(new Set(['replica0', 'replica1']));
}, 120000);

const inbound = (fp: string, at: number): InboundAlert => ({
  fingerprint: fp,
  source: 'alertmanager',
  status: 'firing',
  labels: { alertname: fp },
  annotations: {},
  startsAt: at,
  endsAt: null,
  value: null,
  threshold: null,
  actions: [],
  at,
});

test('alerts pushed by two replicas while both dispatch are routed exactly once, none lost', async () => {
  const pushed: string[] = [];
  let pushing = true;
  const pusher = async (store: Store, name: string) => {
    for (let b = 0; b < 40; b++) {
      const batch = Array.from({ length: 1 + (b % 7) }, (_, i) => inbound(`${name}-${b}-${i}`, T0 + b));
      pushed.push(...batch.map((a) => a.fingerprint));
      await store.pushInbound(batch, T0 + b);
    }
  };
  const routed = new Map<string, number>();
  const dispatcher = async (store: Store) => {
    for (let idle = 0; pushing || idle < 3;) {
      const entries = await store.readInbox(16);
      if (entries.length === 0) {
        idle++;
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      idle = 0;
      const alerts: NotifyAlertRecord[] = entries.map(({ alert: { at, ...a } }) => ({ ...a, updatedAt: at }));
      try {
        await store.commitIngest({ inboxIds: entries.map((e) => e.id), alerts, groups: [], memberships: [] });
      } catch (err) {
        // The other dispatcher routed some of these first: nothing of this batch was written. (How
        // often depends on timing: about 20 of some 60 commits on a 2-core machine.)
        expect(isVigilError(err) && err.code === 'conflict' && err.retryable).toBe(true);
        continue;
      }
      for (const e of entries) {
        routed.set(e.alert.fingerprint, (routed.get(e.alert.fingerprint) ?? 0) + 1);
      }
    }
  };
  const dispatchers = Promise.all(replicas.map((s) => dispatcher(s)));
  await Promise.all([pusher(replicas[0], 'a'), pusher(replicas[1], 'b')]);
  pushing = false;
  await dispatchers;

  expect(new Set(pushed).size).toBe(pushed.length);
  expect([...routed.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  expect([...routed.keys()].sort()).toEqual([...pushed].sort());
  expect(await replicas[0].readInbox(10)).toEqual([]);
  expect((await replicas[1].getNotifyAlerts(pushed)).map((a) => a.fingerprint).sort()).toEqual([...pushed].sort());
}, 120000);
