// Migration 10 (payloads apart from the delivery state) and a flush's rows stored already claimed by
// the worker of its process (OutboxHandoff), on both stores (real SQLite, real PostgreSQL): what is
// claimed, what stays pending (FIFO per channel and group, the limit, duplicates), and that prune
// removes payloads with their rows. Migration 10's data move is checked on SQLite (a file it reopens).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations';
import { sharedStoreDb, type SharedStoreDb } from '../testing/sharedStoreDb';
import { describeEachStore } from '../testing/storeBackends';
import type { FlushCommit, NotifyGroupRecord } from './notifyStore';
import { openSqliteStore } from './sqlite';
import { outboxDedupKey, outboxPayloadText } from './sqliteOutbox';
import type { NewOutboxNotification, Store } from './store';

const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);

const group = (key: string): NotifyGroupRecord => ({
  key,
  routeId: 'root/0',
  receiver: 'hook',
  groupLabels: { alertname: key },
  state: { key, firstAlertAt: T0, lastFlushAt: null, lastNotified: null },
  nextFlushAt: T0 + 1000,
});

const note = (groupKey: string, content: string, createdAt = T0): NewOutboxNotification => ({
  channel: 'hook',
  groupKey,
  dedupKey: outboxDedupKey('hook', groupKey, content),
  payload: { groupKey, content, alerts: [{ labels: { alertname: groupKey } }] },
  createdAt,
});

const flush = (key: string, ...notes: NewOutboxNotification[]): FlushCommit => ({
  group: group(key),
  notifications: notes,
  removeFingerprints: [],
});

describeEachStore('outbox payloads and flush handoff', (suite) => {
  let shared: SharedStoreDb;
  let store: Store;

  beforeEach(async () => {
    shared = await sharedStoreDb(suite);
    store = await shared.open();
  });
  afterEach(async () => {
    await shared.close();
  });

  it('stores due notifications claimed, up to the limit, and the rest pending', async () => {
    const handoff = { worker: 'w1', claimedUntil: T0 + 60_000, limit: 2 };
    const claimed = await store.commitFlush(
      [flush('g1', note('g1', 'a')), flush('g2', note('g2', 'b')), flush('g3', note('g3', 'c'))],
      handoff
    );
    expect(claimed.map((r) => [r.groupKey, r.status, r.attempts, r.claimedBy, r.claimedUntil])).toEqual([
      ['g1', 'sending', 1, 'w1', T0 + 60_000],
      ['g2', 'sending', 1, 'w1', T0 + 60_000],
    ]);
    // The stored text is what a webhook sender posts as it is.
    expect(outboxPayloadText(claimed[0])).toBe(JSON.stringify(note('g1', 'a').payload));
    expect(claimed[0].payload).toEqual(note('g1', 'a').payload);
    const rows = await store.listNotifications();
    expect(rows.map((r) => [r.groupKey, r.status, r.claimedBy]).sort()).toEqual([
      ['g1', 'sending', 'w1'],
      ['g2', 'sending', 'w1'],
      ['g3', 'pending', null],
    ]);
    // Claimed rows are not claimed again; the pending one is.
    expect((await store.claimDue(T0 + 1, 10, 'w2', 60_000)).map((r) => r.groupKey)).toEqual(['g3']);
    // Without a handoff nothing is claimed.
    expect(await store.commitFlush([flush('g4', note('g4', 'd'))])).toEqual([]);
  });

  it('leaves a notification pending while an older one of its group is undelivered, and skips duplicates', async () => {
    const handoff = { worker: 'w1', claimedUntil: T0 + 60_000, limit: 10 };
    const [first] = await store.commitFlush([flush('g1', note('g1', 'a'))], handoff);
    expect(first.status).toBe('sending');
    // The group's next notification waits for the first (a resolve must not overtake its trigger).
    expect(await store.commitFlush([flush('g1', note('g1', 'b', T0 + 1000))], handoff)).toEqual([]);
    // The same notification again (a retried flush) is stored once and not handed over twice.
    expect(await store.commitFlush([flush('g1', note('g1', 'a'))], handoff)).toEqual([]);
    expect(await store.listNotifications()).toHaveLength(2);
    expect(await store.claimDue(T0 + 2000, 10, 'w1', 60_000)).toEqual([]);
    await store.markSent(first.id, T0 + 2000);
    const next = await store.claimDue(T0 + 2000, 10, 'w1', 60_000);
    expect(next.map((r) => r.payload)).toEqual([note('g1', 'b').payload]);
    // Once the group has nothing undelivered, its next notification is handed over again.
    await store.markSent(next[0].id, T0 + 3000);
    expect(await store.commitFlush([flush('g1', note('g1', 'c', T0 + 3000))], handoff)).toHaveLength(1);
  });

  it('keeps a claimed row for another worker once its lease ran out (a crash before the send)', async () => {
    const [r] = await store.commitFlush([flush('g1', note('g1', 'a'))], {
      worker: 'dead',
      claimedUntil: T0 + 60_000,
      limit: 1,
    });
    expect(await store.claimDue(T0 + 59_999, 10, 'w2', 60_000)).toEqual([]);
    const again = await store.claimDue(T0 + 60_000, 10, 'w2', 60_000);
    expect(again.map((x) => [x.id, x.attempts, x.claimedBy])).toEqual([[r.id, 2, 'w2']]);
    expect(again[0].payload).toEqual(note('g1', 'a').payload);
  });

  it('prunes a sent notification with its payload', async () => {
    const [r] = await store.commitFlush([flush('g1', note('g1', 'a'))], { worker: 'w', claimedUntil: T0, limit: 1 });
    await store.enqueue(note('g2', 'b'));
    await store.markSent(r.id, T0 + 10);
    expect(await shared.count('SELECT COUNT(*) AS n FROM notification_payloads')).toBe(2);
    await store.pruneNotify(T0 + 11);
    expect(await shared.count('SELECT COUNT(*) AS n FROM notification_payloads')).toBe(1);
    expect((await store.listNotifications()).map((n) => n.payload)).toEqual([note('g2', 'b').payload]);
  });
});

describe('migration 10 (notification_payloads) on SQLite', () => {
  it('moves the payloads of existing notifications out of their rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-outbox-m10-'));
    try {
      const path = join(dir, 'vigil.db');
      const before = MIGRATIONS.filter((m) => m.version < 10);
      await openSqliteStore({ path, migrations: before }).close();
      const db = new Database(path);
      db.prepare(
        `INSERT INTO notifications (id, channel, group_key, dedup_key, payload, status, attempts, next_attempt_at,
           created_at) VALUES ('n1', 'hook', 'g', 'd1', '{"text":"kept"}', 'pending', 0, 1, 1)`
      ).run();
      db.close();
      const store = openSqliteStore({ path });
      try {
        const [n] = await store.listNotifications();
        expect(n).toMatchObject({ id: 'n1', payload: { text: 'kept' }, status: 'pending' });
        const check = new Database(path, { readonly: true });
        const columns = (check.prepare('PRAGMA table_info(notifications)').all() as Array<{ name: string }>).map(
          (c) => c.name
        );
        check.close();
        expect(columns).not.toContain('payload');
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
