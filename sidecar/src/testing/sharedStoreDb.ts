/**
 * One database that several stores open (issue 14): a restart (close, open again) or two replicas at
 * once, on either backend of {@link describeEachStore} — a temporary SQLite file, or a fresh PostgreSQL
 * database of the suite's server. `count` reads a number straight from the tables (what the contract
 * does not show, e.g. rows a prune removed).
 *
 *   const shared = await sharedStoreDb(suite); // in a test
 *   const a = await shared.open(); const b = await shared.open();
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../store/sqlite';
import { openPgDb } from '../store/pg/pgDb';
import { openPgStore, type PgStoreOptions } from '../store/pg/pgStore';
import type { Store } from '../store/store';
import type { StoreSuite } from './storeBackends';

/** A database shared by the stores it opens; `close` closes them all and removes it. */
export interface SharedStoreDb {
  /** Another store on the database (PostgreSQL: its own pool, i.e. another replica). */
  open(opts?: Pick<PgStoreOptions, 'poolSize' | 'applicationName'>): Promise<Store>;
  /** Runs `SELECT … AS n` (portable SQL, no parameters) on the database and returns n. */
  count(sql: string): Promise<number>;
  close(): Promise<void>;
}

let databases = 0;

/** A new shared database on the suite's backend. */
export async function sharedStoreDb(suite: Pick<StoreSuite, 'backend' | 'postgres'>): Promise<SharedStoreDb> {
  const stores: Store[] = [];
  const keep = (s: Store) => {
    stores.push(s);
    return s;
  };
  const closeAll = () => Promise.all(stores.splice(0).map((s) => s.close()));
  if (suite.backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-shared-'));
    const path = join(dir, 'vigil.db');
    return {
      open: async () => keep(openSqliteStore({ path })),
      count: async (sql) => {
        const db = new Database(path, { readonly: true });
        try {
          return Number((db.prepare(sql).get() as { n: number }).n);
        } finally {
          db.close();
        }
      },
      close: async () => {
        await closeAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = await suite.postgres().createDatabase(`shared_${process.pid}_${++databases}`);
  return {
    open: async (opts = {}) => keep(await openPgStore({ url, ...opts })),
    count: async (sql) => {
      const db = openPgDb({ url, poolSize: 1 });
      try {
        return Number((await db.query<{ n: number }>(sql))[0].n);
      } finally {
        await db.close();
      }
    },
    close: async () => {
      await closeAll();
    },
  };
}
