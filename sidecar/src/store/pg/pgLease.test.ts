// The leader lease on a real PostgreSQL 15: one holder at a time, a takeover only once the row has
// expired (and with term + 1), a cut connection reported at once, an idle session closed by the server.
import { sleep, startPostgres, waitFor, type PostgresHandle } from '../../../../test/harness';
import { leaseFenceContext } from '../../ha/fenceContext';
import type { LeaseBackend } from '../../ha/lease';
import { MIGRATIONS } from '../migrations';
import { openPgDb } from './pgDb';
import { checkLeaseFence, pgLease } from './pgLease';
import { migratePg } from './pgMigrate';

let pg: PostgresHandle;
const opened: LeaseBackend[] = [];
beforeAll(async () => {
  pg = await startPostgres();
}, 60000);
afterAll(async () => {
  await Promise.all(opened.map((l) => l.close()));
  await pg?.stop();
});

let n = 0;
async function freshDb(): Promise<string> {
  const url = await pg.createDatabase(`lease_${process.pid}_${++n}`);
  const db = openPgDb({ url });
  await migratePg(db, MIGRATIONS);
  await db.close();
  return url;
}

function lease(url: string, app: string, ttlMs: number): LeaseBackend {
  const l = pgLease({ url, applicationName: app, ttlMs });
  opened.push(l);
  return l;
}

/** Cuts every connection of `app` as an operator (or a partition) would. */
async function cut(app: string): Promise<number> {
  const rows = await pg.sql<{ ok: boolean }>(
    'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
    [app]
  );
  return rows.length;
}

test('one holder; the other sees it; a renewal keeps the term', async () => {
  const url = await freshDb();
  const a = lease(url, 'lease-a1', 60_000);
  const b = lease(url, 'lease-b1', 60_000);
  const first = await a.claim('evaluation', 'a', 60_000, null);
  expect(first.held).toBe(true);
  expect(first.record).toMatchObject({ holder: 'a', term: 1 });
  expect(first.record!.expiresAt - first.record!.renewedAt).toBe(60_000);
  const other = await b.claim('evaluation', 'b', 60_000, null);
  expect(other).toMatchObject({ held: false, record: { holder: 'a', term: 1 } });
  const renewed = await a.claim('evaluation', 'a', 60_000, 1);
  expect(renewed).toMatchObject({ held: true, record: { holder: 'a', term: 1 } });
  expect(renewed.record!.renewedAt).toBeGreaterThanOrEqual(first.record!.renewedAt);
});

test('a cut connection is reported at once; the row still blocks a takeover until it expires', async () => {
  const url = await freshDb();
  const ttl = 1500;
  const a = lease(url, 'lease-a2', ttl);
  const b = lease(url, 'lease-b2', ttl);
  const held = await a.claim('evaluation', 'a', ttl, null);
  expect(held.held).toBe(true);
  const lost = new Promise<void>((resolve) => a.onLost(resolve));
  expect(await cut('lease-a2')).toBe(1);
  await lost;
  // The lock went with the connection, the row did not: B waits for expires_at, then takes term 2.
  const taken = await waitFor(
    'B to take the lease',
    async () => {
      const c = await b.claim('evaluation', 'b', ttl, null);
      return c.held ? c : undefined;
    },
    20_000,
    100
  );
  expect(taken.record).toMatchObject({ holder: 'b', term: 2 });
  expect(taken.record!.acquiredAt).toBeGreaterThanOrEqual(held.record!.expiresAt);
  // A comes back (a new connection) with its old term: refused, B holds the lock and the row.
  const back = await a.claim('evaluation', 'a', ttl, 1);
  expect(back).toMatchObject({ held: false, record: { holder: 'b', term: 2 } });
});

test('release hands the lease over at once, with a new term', async () => {
  const url = await freshDb();
  const a = lease(url, 'lease-a3', 60_000);
  const b = lease(url, 'lease-b3', 60_000);
  expect((await a.claim('evaluation', 'a', 60_000, null)).held).toBe(true);
  expect((await b.claim('evaluation', 'b', 60_000, null)).held).toBe(false);
  await a.release('evaluation', 'a', 1);
  expect(await b.claim('evaluation', 'b', 60_000, null)).toMatchObject({
    held: true,
    record: { holder: 'b', term: 2 },
  });
});

test('the same replica id after a restart waits for its old lease (a new term, not a silent renewal)', async () => {
  const url = await freshDb();
  const ttl = 1000;
  const old = lease(url, 'lease-a4', ttl);
  expect((await old.claim('evaluation', 'a', ttl, null)).held).toBe(true);
  await old.close(); // kill -9: the lock goes, the row stays
  const restarted = lease(url, 'lease-a4b', ttl);
  const first = await restarted.claim('evaluation', 'a', ttl, null);
  const taken = first.held
    ? first
    : await waitFor('the restarted replica to take its lease', async () => {
        const c = await restarted.claim('evaluation', 'a', ttl, null);
        return c.held ? c : undefined;
      });
  expect(taken.record).toMatchObject({ holder: 'a', term: 2 });
});

test('a holder that stops claiming loses its session (idle_session_timeout), so its lock', async () => {
  const url = await freshDb();
  const ttl = 1000;
  const a = lease(url, 'lease-a5', ttl);
  const lost = new Promise<void>((resolve) => a.onLost(resolve));
  expect((await a.claim('evaluation', 'a', ttl, null)).held).toBe(true);
  await lost; // the server closed the idle session
  const b = lease(url, 'lease-b5', ttl);
  const taken = await waitFor('B to take the lease', async () => {
    const c = await b.claim('evaluation', 'b', ttl, null);
    return c.held ? c : undefined;
  });
  expect(taken.record).toMatchObject({ holder: 'b', term: 2 });
});

test('the password may come apart from the URL (config passwordFile / VIGIL_STORE_PASSWORD)', async () => {
  const url = new URL(await freshDb());
  const password = decodeURIComponent(url.password);
  url.password = '';
  const l = pgLease({ url: url.toString(), password, applicationName: 'lease-a6', ttlMs: 60_000 });
  opened.push(l);
  expect(await l.claim('evaluation', 'a', 60_000, null)).toMatchObject({ held: true, record: { term: 1 } });
});

test('a signal reaches the subscribed replicas, also after a reconnection', async () => {
  const url = await freshDb();
  const a = lease(url, 'lease-a7', 60_000);
  const b = lease(url, 'lease-b7', 60_000);
  let woken = 0;
  let wake: () => void = () => undefined;
  a.subscribe!('vigil_inbox', () => {
    woken++;
    wake();
  });
  const next = () => new Promise<void>((resolve) => (wake = resolve));
  await a.claim('evaluation', 'a', 60_000, null); // connects, and listens
  let got = next();
  await b.signal!('vigil_inbox');
  await got;
  expect(woken).toBe(1);
  const lost = new Promise<void>((resolve) => a.onLost(resolve));
  await cut('lease-a7');
  await lost;
  await a.claim('evaluation', 'a', 60_000, null); // a new connection listens again
  got = next();
  await b.signal!('vigil_inbox');
  await got;
  expect(woken).toBe(2);
});

test("the fence in a write's transaction: the holder's term passes, any other is refused", async () => {
  const url = await freshDb();
  const a = lease(url, 'lease-a8', 60_000);
  await a.claim('evaluation', 'a', 60_000, null);
  const db = openPgDb({ url });
  try {
    const fenced = (holder: string, term: number) =>
      leaseFenceContext.run({ name: 'evaluation', holder, term }, () => db.tx((q) => checkLeaseFence(q)));
    await expect(fenced('a', 1)).resolves.toBeUndefined();
    await expect(fenced('a', 2)).rejects.toMatchObject({ code: 'not_leader', status: 503, retryable: true });
    await expect(fenced('b', 1)).rejects.toMatchObject({ code: 'not_leader' });
    await expect(db.tx((q) => checkLeaseFence(q))).resolves.toBeUndefined(); // not a fenced write
  } finally {
    await db.close();
  }
});

test('a takeover waits for a fenced write in flight; a write after the lease ended is refused', async () => {
  const url = await freshDb();
  const ttl = 1000;
  const a = lease(url, 'lease-a9', ttl);
  const b = lease(url, 'lease-b9', ttl);
  await a.claim('evaluation', 'a', ttl, null);
  const db = openPgDb({ url });
  const events: string[] = [];
  try {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let checked: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => (checked = resolve));
    // A's write: fenced while the lease is valid, then slow (a stalled commit) while the lease runs out.
    const write = leaseFenceContext
      .run({ name: 'evaluation', holder: 'a', term: 1 }, () =>
        db.tx(async (q) => {
          await checkLeaseFence(q);
          checked();
          await held;
        })
      )
      .then(() => events.push('write committed'));
    await inside;
    await a.close(); // A dies: its lock goes, its row stays
    await sleep(ttl + 200); // past expires_at
    const takeover = waitFor('B to take the lease', async () => {
      const c = await b.claim('evaluation', 'b', ttl, null);
      return c.held ? c : undefined;
    }).then((c) => {
      events.push('taken');
      return c;
    });
    await sleep(500);
    // B has been trying for 500 ms: its takeover must still be waiting for A's write to end.
    events.push('write released');
    release();
    await write;
    const taken = await takeover;
    expect(events[0]).toBe('write released');
    expect(events.sort()).toEqual(['taken', 'write committed', 'write released']);
    expect(taken.record).toMatchObject({ holder: 'b', term: 2 });
    // A late write of A's term finds B's lease: refused in the database.
    await expect(
      leaseFenceContext.run({ name: 'evaluation', holder: 'a', term: 1 }, () => db.tx((q) => checkLeaseFence(q)))
    ).rejects.toMatchObject({ code: 'not_leader' });
  } finally {
    await db.close();
  }
});
