// Leadership between two replicas on a real PostgreSQL 15: one leads, a cut leader steps down at once,
// the other takes over with the next term, and their leading spans never overlap.
import { startPostgres, waitFor, type PostgresHandle } from '../../../test/harness';
import { MIGRATIONS } from '../store/migrations';
import { openPgDb } from '../store/pg/pgDb';
import { pgLease } from '../store/pg/pgLease';
import { migratePg } from '../store/pg/pgMigrate';
import { inProcessLease } from './lease';
import { Leadership } from './leadership';

let pg: PostgresHandle;
const running: Leadership[] = [];
beforeAll(async () => {
  pg = await startPostgres();
}, 60000);
afterAll(async () => {
  await Promise.all(running.map((l) => l.stop()));
  await pg?.stop();
});

interface Span {
  replica: string;
  term: number;
  from: number;
  to: number;
}

/** Two replicas on a fresh database; every change is logged as a leading span. */
async function pair(leaseMs: number) {
  const url = await pg.createDatabase(`leadership_${process.pid}_${running.length}`);
  const db = openPgDb({ url });
  await migratePg(db, MIGRATIONS);
  await db.close();
  const spans: Span[] = [];
  const open = new Map<string, Span>();
  const make = (id: string) => {
    const l = new Leadership({
      backend: pgLease({ url, applicationName: `${id}-${running.length}`, ttlMs: leaseMs }),
      replicaId: id,
      leaseMs,
    });
    l.onChange((leading, term) => {
      if (leading) {
        open.set(id, { replica: id, term, from: performance.now(), to: Infinity });
      } else {
        const s = open.get(id)!;
        open.delete(id);
        spans.push({ ...s, to: performance.now() });
      }
    });
    running.push(l);
    return l;
  };
  const a = make('a');
  await a.start();
  const b = make('b');
  await b.start();
  const closeSpans = () => [...spans, ...[...open.values()]];
  return { url, a, b, spans: closeSpans, app: (id: string) => `${id}-${running.length - (id === 'a' ? 2 : 1)}` };
}

test('a cut leader steps down at once; the standby takes over with the next term; no overlap', async () => {
  const leaseMs = 900;
  const { url, a, b, spans, app } = await pair(leaseMs);
  const db = openPgDb({ url });
  expect(a.isLeader()).toBe(true);
  expect(b.isLeader()).toBe(false);
  expect(b.status()).toMatchObject({ replicaId: 'b', leader: false, leaderId: 'a', term: 1 });
  for (let round = 0; round < 3; round++) {
    const [leader, standby] = a.isLeader() ? [a, b] : [b, a];
    const term = leader.currentTerm()!;
    await pg.sql('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
      app(leader.status().replicaId),
    ]);
    await waitFor('the cut leader to step down', async () => !leader.isLeader(), 5000, 10);
    // It stopped on the cut, while its lease row was still valid (nobody could have taken over yet).
    const [row] = await db.query<{ valid: boolean }>(
      `SELECT expires_at > (extract(epoch from clock_timestamp()) * 1000)::bigint AS valid FROM leader_lease`
    );
    expect(row.valid).toBe(true);
    await waitFor('the standby to lead', async () => standby.isLeader(), 10_000, 20);
    expect(standby.currentTerm()).toBe(term + 1);
    expect(standby.status()).toMatchObject({ leader: true, leaderId: standby.status().replicaId, term: term + 1 });
  }
  await db.close();
  await a.settled();
  await b.settled();
  const all = spans().sort((x, y) => x.from - y.from);
  expect(all.length).toBeGreaterThanOrEqual(4);
  for (let i = 1; i < all.length; i++) {
    expect(all[i].from).toBeGreaterThanOrEqual(all[i - 1].to);
    expect(all[i].term).toBeGreaterThan(all[i - 1].term);
  }
});

test('stop hands the lease over: the standby leads at its next claim', async () => {
  const { a, b } = await pair(6000);
  expect(a.isLeader()).toBe(true);
  await a.stop();
  expect(a.isLeader()).toBe(false);
  await waitFor('b to lead', async () => b.isLeader(), 30_000, 50);
  expect(b.currentTerm()).toBe(2);
});

test('in process (SQLite): always the leader, term 1, no deadline', async () => {
  const l = new Leadership({ backend: inProcessLease(), replicaId: 'solo', leaseMs: 300, exclusive: true });
  running.push(l);
  await l.start();
  expect(l.isLeader()).toBe(true);
  expect(l.status()).toMatchObject({ replicaId: 'solo', leader: true, leaderId: 'solo', term: 1, changes: 1 });
});
