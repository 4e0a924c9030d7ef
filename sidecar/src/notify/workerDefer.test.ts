// The outbox worker deferring to its peers (HA, issue 14), on a real SQLite store: while other
// replicas' workers are awake, a flush hands nothing over and a kick does not claim (the peers take
// the rows); once they are gone, both work again. The worker's timer is out of the way (1 h interval).
import { openSqliteStore } from '../store/sqlite';
import { outboxDedupKey } from '../store/sqliteOutbox';
import type { Store } from '../store/store';
import type { ChannelSender } from './sender';
import { OutboxWorker } from './worker';

let store: Store;
let worker: OutboxWorker;
const sent: string[] = [];

beforeEach(() => {
  store = openSqliteStore({ path: ':memory:' });
  sent.length = 0;
  const hook: ChannelSender = async (_payload, _signal, meta) => {
    sent.push(meta?.id ?? '?');
    return { ok: true, retryable: false };
  };
  worker = new OutboxWorker({ store, senders: { hook }, intervalMs: 3_600_000, workerId: 'w1' });
});
afterEach(async () => {
  await worker.stop();
  await store.close();
});

test('a worker deferring to awake peers takes no hand-over and claims nothing when kicked', async () => {
  let peersAwake = true;
  worker.deferTo(() => peersAwake);
  worker.start();
  await worker.idle(); // the start-up poll (release of a predecessor's claims, then a claim)
  const now = Date.now();
  await store.enqueue({
    id: 'n1',
    channel: 'hook',
    groupKey: 'g',
    dedupKey: outboxDedupKey('hook', 'g', '1'),
    payload: { a: 1 },
    createdAt: now - 1000,
  });
  expect(worker.handoff()).toBeUndefined();
  worker.kick();
  await worker.idle();
  expect(sent).toEqual([]);
  expect((await store.listNotifications({ id: 'n1' }))[0].status).toBe('pending');

  peersAwake = false;
  expect(worker.handoff()).toMatchObject({ worker: 'w1' });
  worker.kick();
  await worker.idle();
  expect(sent).toEqual(['n1']);
  expect((await store.listNotifications({ id: 'n1' }))[0].status).toBe('sent');
});
