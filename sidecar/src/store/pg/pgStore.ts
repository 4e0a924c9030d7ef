/**
 * The PostgreSQL store: the same {@link Store} as SQLite's, for several sidecars sharing one database
 * (issue 14). Each area lives in its own module taking the shared pool; this file opens the pool,
 * migrates, and composes the areas.
 */
import { MIGRATIONS, type Migration } from '../migrations';
import type { Store } from '../store';
import { openPgDb, type PgDb } from './pgDb';
import { migratePg } from './pgMigrate';
import { pgCoreStore } from './pgCore';
import { pgRuleStore } from './pgRules';
import { pgAlertStore } from './pgAlerts';
import { pgOutboxStore } from './pgOutbox';
import { pgNotifyStore } from './pgNotify';
import { pgIncidentStore } from './pgIncidents';
import { pgDetectorStateStore } from './pgDetectorState';
import { pgSloStore } from './pgSlos';

/** Options of {@link openPgStore}. */
export interface PgStoreOptions {
  /** `postgres://user@host:port/db` (a password in the URL is used unless `password` is given). */
  url: string;
  password?: string;
  poolSize?: number;
  /** Shown by PostgreSQL for this replica's connections (`pg_stat_activity.application_name`). */
  applicationName?: string;
  /** Migrations to apply; defaults to {@link MIGRATIONS} (tests pass their own). */
  migrations?: readonly Migration[];
}

/** Connects, migrates (several replicas may do so at once) and returns the store. */
export async function openPgStore(opts: PgStoreOptions): Promise<Store> {
  const db = openPgDb({
    url: opts.url,
    password: opts.password,
    poolSize: opts.poolSize,
    applicationName: opts.applicationName,
  });
  try {
    await migratePg(db, opts.migrations ?? MIGRATIONS);
  } catch (err) {
    await db.close();
    throw err;
  }
  return composePgStore(db);
}

/** The store over an open, migrated pool. */
export function composePgStore(db: PgDb): Store {
  return {
    ...pgRuleStore(db),
    ...pgAlertStore(db),
    ...pgOutboxStore(db),
    ...pgNotifyStore(db),
    ...pgIncidentStore(db),
    ...pgDetectorStateStore(db),
    ...pgSloStore(db),
    // Last: type, health, events, settings and close.
    ...pgCoreStore(db),
  };
}
