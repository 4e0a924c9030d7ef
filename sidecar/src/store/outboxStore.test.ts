// The outbox tables on both stores (real SQLite, real PostgreSQL): dedup on enqueue, claims with leases,
// per-group order, outcomes, and the state surviving a reopen (a restart).
import { describeEachStore } from '../testing/storeBackends';
import { sharedStoreDb } from '../testing/sharedStoreDb';
import { outboxDedupKey, outboxPayloadText } from './sqliteOutbox';
import type { NewOutboxNotification, Store } from './store';

const T0 = Date.UTC(2026, 11, 7, 2, 0, 0);

function note(id: string, over: Partial<NewOutboxNotification> = {}): NewOutboxNotification {
  const groupKey = over.groupKey ?? `group-${id}`;
  return {
    id,
    channel: 'pd',
    groupKey,
    dedupKey: outboxDedupKey(over.channel ?? 'pd', groupKey, { id }),
    payload: { dedup_key: id, event_action: 'trigger' },
    createdAt: T0,
    ...over,
  };
}

describeEachStore('outbox', (suite) => {
  let store: Store;
  beforeEach(async () => {
    store = await suite.open();
  });

  it('enqueues the same dedup key once', async () => {
    const n = note('a');
    expect(await store.enqueue(n)).toBe(true);
    expect(await store.enqueue({ ...n, id: 'a-again', payload: { other: true } })).toBe(false);
    const rows = await store.listNotifications();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 'a', status: 'pending', attempts: 0, nextAttemptAt: T0, payload: n.payload });
  });

  it('derives the dedup key from channel, group key and content', () => {
    const k = outboxDedupKey('pd', 'g', { status: 'firing' });
    expect(outboxDedupKey('pd', 'g', { status: 'firing' })).toBe(k);
    expect(outboxDedupKey('slack', 'g', { status: 'firing' })).not.toBe(k);
    expect(outboxDedupKey('pd', 'h', { status: 'firing' })).not.toBe(k);
    expect(outboxDedupKey('pd', 'g', { status: 'resolved' })).not.toBe(k);
  });

  it('claims due rows once, with a lease another worker can take over only after it runs out', async () => {
    await store.enqueue(note('due'));
    await store.enqueue(note('later', { nextAttemptAt: T0 + 5000 }));
    const first = await store.claimDue(T0, 10, 'w1', 1000);
    expect(first.map((r) => r.id)).toEqual(['due']);
    expect(first[0]).toMatchObject({ status: 'sending', attempts: 1, claimedBy: 'w1', claimedUntil: T0 + 1000 });
    // Inside the lease nobody else gets it; after it (w1 crashed) w2 does, counting a second attempt.
    expect(await store.claimDue(T0 + 999, 10, 'w2', 1000)).toEqual([]);
    const taken = await store.claimDue(T0 + 1000, 10, 'w2', 10_000);
    expect(taken.map((r) => [r.id, r.claimedBy, r.attempts])).toEqual([['due', 'w2', 2]]);
    expect((await store.claimDue(T0 + 5000, 10, 'w2', 1000)).map((r) => r.id)).toEqual(['later']);
  });

  it("releases a worker's own claims at once (a restart with the same id), not another's", async () => {
    await store.enqueue(note('mine'));
    await store.enqueue(note('theirs'));
    await store.claimDue(T0, 1, 'node-a', 60_000);
    await store.claimDue(T0, 1, 'node-b', 60_000);
    expect(await store.releaseClaims('node-a', T0 + 10)).toBe(1);
    // Due again now, long before the lease would have run out; node-b's claim still holds.
    const again = await store.claimDue(T0 + 10, 10, 'node-a', 60_000);
    expect(again.map((r) => [r.id, r.attempts])).toEqual([['mine', 2]]);
    expect(await store.releaseClaims('node-c', T0 + 10)).toBe(0);
  });

  it('respects the limit, oldest due first', async () => {
    await store.enqueue(note('b', { nextAttemptAt: T0 + 2 }));
    await store.enqueue(note('a', { nextAttemptAt: T0 + 1 }));
    await store.enqueue(note('c', { nextAttemptAt: T0 + 3 }));
    expect((await store.claimDue(T0 + 10, 2, 'w', 1000)).map((r) => r.id)).toEqual(['a', 'b']);
    expect(await store.claimDue(T0 + 10, 0, 'w', 1000)).toEqual([]);
  });

  it('keeps a group in order: a newer notification waits until the older one is sent or failed', async () => {
    await store.enqueue(note('trigger', { groupKey: 'g', createdAt: T0 }));
    await store.enqueue(note('resolve', { groupKey: 'g', createdAt: T0 + 10 }));
    await store.enqueue(note('other', { groupKey: 'h', createdAt: T0 + 10 }));
    expect((await store.claimDue(T0 + 20, 10, 'w', 1000)).map((r) => r.id).sort()).toEqual(['other', 'trigger']);
    await store.markRetry('trigger', T0 + 30, 'pagerduty: HTTP 500');
    // Pending again but not due: the resolve still waits behind it.
    expect(await store.claimDue(T0 + 25, 10, 'w', 1000)).toEqual([]);
    expect((await store.claimDue(T0 + 30, 10, 'w', 1000)).map((r) => r.id)).toEqual(['trigger']);
    await store.markFailed('trigger', 'pagerduty: HTTP 400');
    expect((await store.claimDue(T0 + 31, 10, 'w', 1000)).map((r) => r.id)).toEqual(['resolve']);
  });

  it('records outcomes and lists by status; a failed one can be retried by hand', async () => {
    for (const id of ['ok', 'retry', 'bad']) {
      await store.enqueue(note(id));
    }
    await store.claimDue(T0, 10, 'w', 1000);
    await store.markSent('ok', T0 + 5);
    await store.markRetry('retry', T0 + 2000, 'slack: HTTP 429');
    await store.markFailed('bad', 'x'.repeat(5000));
    // Outcomes only apply to a row being sent: a late retry cannot undo a delivery.
    await store.markRetry('ok', T0 + 9000, 'late');
    expect(await store.listNotifications({ status: 'sent' })).toEqual([
      expect.objectContaining({ id: 'ok', sentAt: T0 + 5, lastError: null, claimedBy: null, claimedUntil: null }),
    ]);
    expect(await store.listNotifications({ status: 'pending' })).toEqual([
      expect.objectContaining({ id: 'retry', nextAttemptAt: T0 + 2000, lastError: 'slack: HTTP 429', attempts: 1 }),
    ]);
    const [failed] = await store.listNotifications({ status: 'failed' });
    expect(failed.id).toBe('bad');
    expect(failed.lastError?.length).toBe(2000);
    expect(await store.listNotifications({ status: 'failed', channel: 'slack' })).toEqual([]);
    expect(await store.listNotifications({ limit: 2 })).toHaveLength(2);

    expect(await store.retryNow('ok', T0 + 10)).toBe(false);
    expect(await store.retryNow('bad', T0 + 10)).toBe(true);
    expect((await store.claimDue(T0 + 10, 10, 'w', 1000)).map((r) => r.id)).toEqual(['bad']);
  });

  it('claims expired and due rows together in (next attempt, enqueue time, id) order, up to the limit', async () => {
    // Rows of one flush share their enqueue instant: the id orders them.
    for (const id of ['c', 'a', 'b']) {
      await store.enqueue(note(id, { createdAt: T0 + 10 }));
    }
    await store.enqueue(note('early', { createdAt: T0 }));
    await store.enqueue(note('retry', { createdAt: T0 - 50, nextAttemptAt: T0 + 20 }));
    // 'early' is claimed and its lease runs out: it comes back in its place (next attempt T0).
    expect((await store.claimDue(T0, 1, 'crashed', 5)).map((r) => r.id)).toEqual(['early']);
    const claimed = await store.claimDue(T0 + 20, 4, 'w', 1000);
    expect(claimed.map((r) => [r.id, r.status, r.attempts, r.claimedBy, r.claimedUntil])).toEqual([
      ['early', 'sending', 2, 'w', T0 + 1020],
      ['a', 'sending', 1, 'w', T0 + 1020],
      ['b', 'sending', 1, 'w', T0 + 1020],
      ['c', 'sending', 1, 'w', T0 + 1020],
    ]);
    expect((await store.listNotifications({ id: 'a' }))[0]).toMatchObject(claimed[1]);
    expect((await store.claimDue(T0 + 20, 10, 'w', 1000)).map((r) => r.id)).toEqual(['retry']);
  });

  it('records many deliveries that finish together, each durable when its markSent resolves', async () => {
    const shared = await sharedStoreDb(suite);
    try {
      await manyDeliveries(await shared.open(), () => shared.open());
    } finally {
      await shared.close();
    }
  });

  async function manyDeliveries(store: Store, other: () => Promise<Store>): Promise<void> {
    const ids = Array.from({ length: 40 }, (_, i) => `n${String(i).padStart(2, '0')}`);
    for (const id of ids) {
      await store.enqueue(note(id));
    }
    expect(await store.claimDue(T0, 100, 'w', 1000)).toHaveLength(40);
    await Promise.all(ids.map((id, i) => store.markSent(id, T0 + i)));
    // A second connection (another process) sees every one of them.
    const sent = await (await other()).listNotifications({ status: 'sent', limit: 100 });
    expect(sent.map((r) => [r.id, r.sentAt]).sort()).toEqual(ids.map((id, i) => [id, T0 + i]));
  }

  it('gives a claimed record its stored payload text, the JSON of its payload, until the payload is replaced', async () => {
    const payload = { dedup_key: 'a', text: 'café ☕', n: 1.5, nested: { list: [1, null, 'x'] }, dropped: undefined };
    await store.enqueue(note('a', { payload }));
    const [claimed] = await store.claimDue(T0, 10, 'w', 1000);
    expect(outboxPayloadText(claimed)).toBe(JSON.stringify(payload));
    expect(claimed.payload).toEqual(JSON.parse(JSON.stringify(payload)));
    expect(outboxPayloadText((await store.listNotifications({ id: 'a' }))[0])).toBeUndefined();
    claimed.payload = { other: true };
    expect(claimed.payload).toEqual({ other: true });
    expect(outboxPayloadText(claimed)).toBeUndefined();
  });

  it('keeps the outbox across a reopen', async () => {
    const shared = await sharedStoreDb(suite);
    try {
      let store = await shared.open();
      await store.enqueue(note('a'));
      await store.claimDue(T0, 10, 'crashed', 1000);
      await store.close();
      store = await shared.open();
      expect(await store.enqueue(note('a'))).toBe(false);
      expect((await store.claimDue(T0 + 1000, 10, 'restarted', 1000)).map((r) => [r.id, r.attempts])).toEqual([
        ['a', 2],
      ]);
    } finally {
      await shared.close();
    }
  });
});
