/**
 * The outbox at the store level (issue 14), in one run: the same notifications (N, each its own group,
 * a 2 KB body) enqueued by flushes of FLUSH rows (`commitFlush`, no handoff), then drained by claimers
 * (`claimDue` of CLAIM rows, then `markSent` of each) until none is left:
 *  1. one SQLite store (a temp file; 4 claimers): the single-process store;
 *  2. one PostgreSQL store (4 claimers; baseline): one replica;
 *  3. two PostgreSQL stores on one database (two pools = two replicas, 4 claimers each; ours).
 * Each side checks every notification was claimed exactly once. speedup = one replica's drain time /
 * two replicas' drain time (at or above 1: a second replica costs the outbox no throughput). The sides
 * run one after the other, on a fresh database each.
 *
 *   npx esbuild bench/outboxStore.ts --bundle --platform=node --external:better-sqlite3 \
 *     --external:pg-native --outfile=bench/.out/outboxStore.js && node bench/.out/outboxStore.js
 *
 * Env: N (10000), FLUSH (500), CLAIM (256). The last line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../test/harness';
import type { FlushCommit } from '../sidecar/src/store/notifyStore';
import { openPgStore } from '../sidecar/src/store/pg/pgStore';
import { openSqliteStore } from '../sidecar/src/store/sqlite';
import { outboxDedupKey } from '../sidecar/src/store/sqliteOutbox';
import type { Store } from '../sidecar/src/store/store';

const N = Number(process.env.N ?? 10_000);
const FLUSH = Number(process.env.FLUSH ?? 500);
const CLAIM = Number(process.env.CLAIM ?? 256);
const CLAIMERS = 4;
const T = Date.UTC(2026, 11, 7, 12, 0, 0);
const BODY = 'x'.repeat(2000);

function flush(from: number, to: number): FlushCommit[] {
  const out: FlushCommit[] = [];
  for (let i = from; i < to; i++) {
    const key = `{}:{alertname="A${i}"}`;
    out.push({
      group: {
        key,
        routeId: 'root',
        receiver: 'hook',
        groupLabels: { alertname: `A${i}` },
        state: { key, firstAlertAt: T, lastFlushAt: T, lastNotified: null },
        nextFlushAt: null,
      },
      notifications: [
        {
          channel: 'hook',
          groupKey: key,
          dedupKey: outboxDedupKey('hook', key, 'x'),
          payload: { i, BODY },
          createdAt: T,
        },
      ],
      removeFingerprints: [],
    });
  }
  return out;
}

interface Side {
  enqueueSeconds: number;
  drainSeconds: number;
  perSecond: number;
}

/** Enqueues through the stores in turn, then drains with CLAIMERS claimers per store. */
async function run(stores: Store[]): Promise<Side> {
  let t = performance.now();
  for (let from = 0, k = 0; from < N; from += FLUSH, k++) {
    await stores[k % stores.length].commitFlush(flush(from, Math.min(N, from + FLUSH)));
  }
  const enqueueSeconds = (performance.now() - t) / 1000;
  const claims = new Map<string, number>();
  t = performance.now();
  const claimer = async (store: Store, worker: string) => {
    for (;;) {
      const rows = await store.claimDue(T + 1000, CLAIM, worker, 60_000);
      if (rows.length === 0) {
        return;
      }
      rows.forEach((r) => claims.set(r.id, (claims.get(r.id) ?? 0) + 1));
      await Promise.all(rows.map((r) => store.markSent(r.id, T + 2000)));
    }
  };
  await Promise.all(stores.flatMap((s, i) => Array.from({ length: CLAIMERS }, (_, k) => claimer(s, `s${i}w${k}`))));
  const drainSeconds = (performance.now() - t) / 1000;
  const twice = [...claims.values()].filter((n) => n !== 1).length;
  if (claims.size !== N || twice > 0) {
    throw new Error(`outbox bench: ${claims.size} of ${N} claimed, ${twice} more than once`);
  }
  return { enqueueSeconds, drainSeconds, perSecond: N / drainSeconds };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-outbox-'));
  const pg = await startPostgres();
  const opened: Store[] = [];
  const open = async (url: string) => {
    const s = await openPgStore({ url });
    opened.push(s);
    return s;
  };
  try {
    const sqliteStore = openSqliteStore({ path: join(dir, 'vigil.db') });
    opened.push(sqliteStore);
    const sqlite = await run([sqliteStore]);
    const one = await run([await open(await pg.createDatabase('bench_one'))]);
    const url = await pg.createDatabase('bench_two');
    const two = await run([await open(url), await open(url)]);
    for (const [name, s] of Object.entries({ sqlite, one, two })) {
      process.stdout.write(
        `${name}: enqueue ${r3(s.enqueueSeconds)} s, drain ${r3(s.drainSeconds)} s (${Math.round(s.perSecond)}/s)\n`
      );
    }
    process.stdout.write(
      JSON.stringify({
        bench: 'outboxStore',
        speedup: r3(one.drainSeconds / two.drainSeconds),
        ours: r3(two.drainSeconds),
        baseline: r3(one.drainSeconds),
        unit: 's',
        baseline_is: 'one PostgreSQL replica draining the outbox (two replicas are ours)',
        notifications: N,
        sqlite_drain_s: r3(sqlite.drainSeconds),
        postgres_vs_sqlite_drain: r3(sqlite.drainSeconds / one.drainSeconds),
        enqueue_s: { sqlite: r3(sqlite.enqueueSeconds), one: r3(one.enqueueSeconds), two: r3(two.enqueueSeconds) },
        duplicates: 0,
      }) + '\n'
    );
  } finally {
    await Promise.all(opened.map((s) => s.close()));
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
