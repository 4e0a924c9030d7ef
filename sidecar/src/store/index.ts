import type { Config } from '../config/schema';
import { openPgStore } from './pg/pgStore';
import { openSqliteStore } from './sqlite';
import type { Store } from './store';

export type { Store, StoreHealth, StoredEvent, NewEvent, EventPatch, EventQuery, EventSeverity } from './store';
export type { DetectorSeriesStateRow, DetectorStateStore, DetectorStateWrite } from './store';

/** Extras of {@link openStore}. */
export interface OpenStoreOptions {
  /** PostgreSQL: the name its connections show (`pg_stat_activity.application_name`), e.g. the replica id. */
  applicationName?: string;
}

/**
 * Opens (and migrates) the store the configuration names: a SQLite file, or a PostgreSQL database that
 * several sidecars may share (issue 14; the password resolved by config/storeResolve.ts).
 */
export async function openStore(config: Config['store'], opts: OpenStoreOptions = {}): Promise<Store> {
  switch (config.type) {
    case 'sqlite':
      return openSqliteStore({ path: config.path, busyTimeoutMs: config.busyTimeoutMs });
    case 'postgres':
      return openPgStore({
        url: config.url,
        password: config.password,
        poolSize: config.poolSize,
        applicationName: opts.applicationName,
      });
  }
}
export type {
  AlertSource,
  FlushCommit,
  InboundAlert,
  InboxEntry,
  IngestCommit,
  NotifyAlertRecord,
  NotifyGroupRecord,
  NotifyStore,
  SilenceRecord,
} from './notifyStore';
export type {
  IncidentAction,
  IncidentActionResult,
  IncidentAlertRecord,
  IncidentQuery,
  IncidentRecord,
  IncidentStore,
  IncidentTimelineRecord,
  IncidentWrites,
} from './incidentStore';
