// The live stream across two replicas on a real PostgreSQL 15 (LISTEN/NOTIFY on their lease
// connections): a change published on one replica reaches the other's stream clients, in order and in
// batches under NOTIFY's payload limit, never echoed back; nothing is built or sent while no replica
// has stream clients.
import type { StreamEvent } from '@vigil/core';
import { startPostgres, waitFor, type PostgresHandle } from '../../../test/harness';
import { createLiveBus, type SequencedEvent, type Subscription } from '../live/bus';
import { MIGRATIONS } from '../store/migrations';
import { openPgDb } from '../store/pg/pgDb';
import { pgLease } from '../store/pg/pgLease';
import { migratePg } from '../store/pg/pgMigrate';
import type { LeaseBackend } from './lease';
import { relayLive, type LiveRelay } from './liveRelay';

let pg: PostgresHandle;
const closers: Array<() => Promise<void> | void> = [];
beforeAll(async () => {
  pg = await startPostgres();
}, 60000);
afterAll(async () => {
  for (const close of closers) {
    await close();
  }
  await pg?.stop();
});

/** A replica's lease connection (connected by a claim, as the leadership loop does) and its relayed bus. */
async function replica(url: string, id: string): Promise<{ lease: LeaseBackend; relay: LiveRelay }> {
  const lease = pgLease({ url, applicationName: id, ttlMs: 60_000 });
  const relay = relayLive(createLiveBus(), { subscribe: lease.subscribe!, signal: lease.signal! }, id);
  closers.push(
    () => relay.bus.close(),
    () => lease.close()
  );
  await lease.claim('evaluation', id, 60_000, null);
  return { lease, relay };
}

const anomaly = (i: number, message = 'spike'): StreamEvent => ({
  type: 'anomaly',
  at: new Date(1_800_000_000_000 + i).toISOString(),
  id: `e${i}`,
  seriesKey: 'api_p95_latency{service="api"}',
  severity: 'warning',
  message,
});

/** Reads `n` events of a subscription. */
async function take(sub: Subscription, n: number): Promise<SequencedEvent[]> {
  const out: SequencedEvent[] = [];
  while (out.length < n) {
    const e = await sub.next();
    if (!e) {
      throw new Error(`subscription ended (${sub.ended}) after ${out.length} events`);
    }
    out.push(e);
  }
  return out;
}

test("a replica's changes reach the other replica's stream clients, batched, in order, not echoed", async () => {
  const url = await pg.createDatabase(`relay_${process.pid}`);
  const db = openPgDb({ url });
  await migratePg(db, MIGRATIONS);
  await db.close();
  const a = await replica(url, 'relay-a');
  const b = await replica(url, 'relay-b');

  // No stream client anywhere: a publisher builds nothing (subscribers 0 on both).
  expect(a.relay.bus.subscribers).toBe(0);
  expect(b.relay.bus.subscribers).toBe(0);

  // A client on b: b says so at once, and a counts it as a listener.
  const onB = b.relay.bus.subscribe();
  await waitFor('a to hear of b’s client', async () => a.relay.bus.subscribers > 0);
  const onA = a.relay.bus.subscribe();

  // 60 events of ~300 bytes: more than one NOTIFY payload (7,500 bytes) holds.
  const events = Array.from({ length: 60 }, (_, i) => anomaly(i, 'x'.repeat(250)));
  for (const e of events) {
    a.relay.bus.publish(e);
  }
  const got = await take(onB, 60);
  expect(got.map((e) => (e.event.type === 'anomaly' ? e.event.id : e.event.type))).toEqual(
    events.map((_, i) => `e${i}`)
  );
  // a's own client sees each once (published locally, not echoed back by the relay).
  expect((await take(onA, 60)).length).toBe(60);
  const echo = await Promise.race([onA.next(), new Promise((r) => setTimeout(() => r('none'), 500))]);
  expect(echo).toBe('none');

  // And the other way: an acknowledgement made through b reaches a's client.
  b.relay.bus.publish(anomaly(99));
  expect((await take(onA, 1))[0].event).toMatchObject({ type: 'anomaly', id: 'e99' });
  onA.close();
  onB.close();
});

test('an event larger than one NOTIFY goes in parts, and batches count UTF-8 bytes', async () => {
  const url = await pg.createDatabase(`relay_parts_${process.pid}`);
  const db = openPgDb({ url });
  await migratePg(db, MIGRATIONS);
  await db.close();
  const a = await replica(url, 'relay-c');
  const b = await replica(url, 'relay-d');
  const onB = b.relay.bus.subscribe();
  await waitFor('c to hear of d’s client', async () => a.relay.bus.subscribers > 0);

  // ~40 KB with multi-byte characters (eight parts), between two small events: all three, in order.
  const large = anomaly(1, 'größer ✓ 🚨 '.repeat(2500));
  // 30 events of 300 characters but ~900 bytes each: batched by characters they would overflow NOTIFY.
  const wide = Array.from({ length: 30 }, (_, i) => anomaly(10 + i, '✓'.repeat(300)));
  const sent = [anomaly(0), large, anomaly(2), ...wide];
  for (const e of sent) {
    a.relay.bus.publish(e);
  }
  const got = await take(onB, sent.length);
  expect(got.map((e) => e.event)).toEqual(sent);
  onB.close();
});
