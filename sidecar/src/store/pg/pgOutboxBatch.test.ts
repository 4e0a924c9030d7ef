// A flush's batch enqueue on a real PostgreSQL: JSON documents (payloads, labels, group states) passed
// as one JSON array come back byte for byte, whatever they hold (quotes, backslashes, non-ASCII,
// escaped control characters); a commit that leaves notifications pending wakes the replicas' workers
// (NOTIFY vigil_outbox) and one that hands every notification over to its worker does not.
import { Client } from 'pg';
import { startPostgres, type PostgresHandle } from '../../../../test/harness';
import type { NotifyGroupRecord } from '../notifyStore';
import { outboxDedupKey } from '../sqliteOutbox';
import type { NewOutboxNotification, Store } from '../store';
import { OUTBOX_CHANNEL } from './pgOutboxBatch';
import { openPgStore } from './pgStore';

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const NASTY = 'quote " backslash \\ \\" tab \t newline \n nul-ish \u0001 é 日本 🚨 {"json":"inside"} \\u0041';

let pg: PostgresHandle;
let url: string;
let store: Store;
let listener: Client;
let wakes = 0;

beforeAll(async () => {
  pg = await startPostgres();
}, 60000);
afterAll(async () => {
  await pg?.stop();
});
let n = 0;
beforeEach(async () => {
  url = await pg.createDatabase(`outbox_batch_${n++}`);
  store = await openPgStore({ url });
  listener = new Client({ connectionString: url });
  await listener.connect();
  listener.on('notification', (msg) => {
    if (msg.channel === OUTBOX_CHANNEL) {
      wakes++;
    }
  });
  await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
  wakes = 0;
});
afterEach(async () => {
  await listener.end();
  await store.close();
});

const group = (key: string): NotifyGroupRecord => ({
  key,
  routeId: 'root/0',
  receiver: 'hook',
  groupLabels: { alertname: key, odd: NASTY },
  state: { key, firstAlertAt: T0, lastFlushAt: T0, lastNotified: null },
  nextFlushAt: T0 + 60_000,
});

const note = (groupKey: string, i: number): NewOutboxNotification => ({
  id: `${groupKey}-${i}`,
  channel: 'hook',
  groupKey,
  dedupKey: outboxDedupKey('hook', groupKey, `${i}`),
  payload: { text: NASTY, i, nested: { list: [NASTY, null, 1.5] } },
  createdAt: T0,
});

/**
 * Lets the listener's session deliver what the commits sent (at its next idle moment), waiting a few
 * round trips for `expected` wakes; a wake that should not come has had the same chance to come.
 */
async function settle(expected: number): Promise<void> {
  for (let i = 0; i < 50 && wakes < expected; i++) {
    await listener.query('SELECT pg_sleep(0.01)');
  }
  await listener.query('SELECT 1');
}

test('payloads and group documents come back exactly as written', async () => {
  const notes = [note('g1', 0), note('g2', 0)];
  await store.commitFlush(notes.map((x) => ({ group: group(x.groupKey), notifications: [x], removeFingerprints: [] })));
  const rows = await store.listNotifications();
  expect(rows.map((r) => r.payload).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
    notes.map((x) => x.payload)
  );
  expect(await store.getGroups(['g1'])).toEqual([group('g1')]);
  // The stored text is the JSON.stringify of the payload, byte for byte (senders post it as it is).
  const check = new Client({ connectionString: url });
  await check.connect();
  try {
    const { rows: texts } = await check.query<{ payload: string }>(
      "SELECT payload FROM notification_payloads WHERE id = 'g1-0'"
    );
    expect(texts[0].payload).toBe(JSON.stringify(notes[0].payload));
  } finally {
    await check.end();
  }
});

test('a flush that leaves notifications pending wakes the workers; one that hands all over does not', async () => {
  await store.commitFlush([{ group: group('g1'), notifications: [note('g1', 0)], removeFingerprints: [] }]);
  await settle(1);
  expect(wakes).toBe(1);

  const claimed = await store.commitFlush(
    [{ group: group('g2'), notifications: [note('g2', 0)], removeFingerprints: [] }],
    { worker: 'w1', claimedUntil: T0 + 60_000, limit: 10 }
  );
  await settle(2);
  expect(claimed.map((r) => r.id)).toEqual(['g2-0']);
  expect(wakes).toBe(1);

  // g1's notification is still undelivered: g1's next one cannot be handed over, so it waits pending.
  const later = await store.commitFlush(
    [{ group: group('g1'), notifications: [note('g1', 1)], removeFingerprints: [] }],
    { worker: 'w1', claimedUntil: T0 + 60_000, limit: 10 }
  );
  await settle(2);
  expect(later).toEqual([]);
  expect(wakes).toBe(2);
});
