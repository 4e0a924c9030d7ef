import type { Config } from '../config/schema';
import { openSqliteStore } from './sqlite';
import type { Store } from './store';

export type { Store, StoreHealth, StoredEvent, NewEvent, EventPatch, EventQuery, EventSeverity } from './store';
export type { DetectorSeriesStateRow, DetectorStateStore, DetectorStateWrite } from './store';

/** Opens the store the configuration names (only SQLite for now; the union grows with PostgreSQL). */
export function openStore(config: Config['store']): Store {
  switch (config.type) {
    case 'sqlite':
      return openSqliteStore({ path: config.path, busyTimeoutMs: config.busyTimeoutMs });
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
  IncidentAlertRecord,
  IncidentQuery,
  IncidentRecord,
  IncidentStore,
  IncidentTimelineRecord,
  IncidentWrites,
} from './incidentStore';
