/**
 * The PostgreSQL store's incidents (issue 14): the SQLite store's contract (sqliteIncidents.ts) for
 * several replicas on one database. Nothing is kept in memory: SQLite keeps correlation's candidate
 * rows per connection because only its own dispatcher writes them, but here another replica's
 * dispatcher (after a failover) or API may have written any of them — and the dispatcher keeps its own
 * state between batches anyway, reading candidates only to reload it. Each read is one statement (one
 * snapshot); each write one transaction (pgIncidentWrites.ts). Ids sort with the "C" collation, as
 * SQLite sorts them, whatever the database's locale.
 */
import type { IncidentAlertRecord, IncidentStore } from '../incidentStore';
import {
  type IncidentAlertRow,
  type IncidentRow,
  type TimelineRow,
  toIncident,
  toIncidentAlert,
  toTimeline,
} from '../sqliteIncidentRows';
import { pgCall } from './pgCall';
import type { PgDb } from './pgDb';
import { applyPgIncidentWrites, readCorrelationVersion, writerOf } from './pgIncidentWrites';
import { actOnPgIncident } from './pgIncidentActions';

const SQL = {
  list: `SELECT * FROM incidents ORDER BY updated_at DESC, id COLLATE "C" DESC LIMIT ?`,
  listByState: `SELECT * FROM incidents WHERE state = ANY (?::text[])
    ORDER BY updated_at DESC, id COLLATE "C" DESC LIMIT ?`,
  get: 'SELECT * FROM incidents WHERE id = ?',
  alertsOf: 'SELECT * FROM incident_alerts WHERE incident_id = ANY (?::text[])',
  timeline: 'SELECT * FROM incident_timeline WHERE incident_id = ? ORDER BY at, id COLLATE "C"',
  // The newest unresolved incident holding the alert (a race may leave two).
  activeIncidentOf: `SELECT i.id AS incident_id FROM incidents i
    JOIN incident_alerts a ON a.incident_id = i.id AND a.fingerprint = ?
    WHERE i.state IN ('open', 'acknowledged') ORDER BY i.opened_at DESC, i.id COLLATE "C" DESC LIMIT 1`,
  // Both lists from one statement, so from one snapshot (a replica may be writing): the unresolved
  // incidents, and the alerts of those plus the other alerts started at or after the window's start,
  // each list as one JSON array (the rows keep their column names: the SQLite row mappers read them).
  candidates: `WITH active AS MATERIALIZED (SELECT * FROM incidents WHERE state IN ('open', 'acknowledged'))
    SELECT
      (SELECT COALESCE(json_agg(i ORDER BY i.opened_at, i.id COLLATE "C"), '[]'::json) FROM active i) AS incidents,
      (SELECT COALESCE(json_agg(x), '[]'::json) FROM (
        SELECT a.* FROM incident_alerts a JOIN active i ON i.id = a.incident_id
        UNION ALL
        SELECT * FROM incident_alerts WHERE starts_at >= ?
          AND NOT EXISTS (SELECT 1 FROM active i WHERE i.id = incident_alerts.incident_id)
      ) x) AS alerts`,
} as const;

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** IncidentStore on PostgreSQL. */
export function pgIncidentStore(db: PgDb): IncidentStore {
  const writer = writerOf(db);
  return {
    listIncidents: (query = {}) =>
      pgCall(db, 'listing incidents', async () => {
        if (query.states !== undefined && query.states.length === 0) {
          return [];
        }
        const limit = Math.max(0, Math.floor(query.limit ?? 100));
        const rows =
          query.states === undefined
            ? await db.query<IncidentRow>(SQL.list, [limit])
            : await db.query<IncidentRow>(SQL.listByState, [[...new Set(query.states)], limit]);
        return rows.map(toIncident);
      }),

    getIncident: (id) =>
      pgCall(db, `reading incident ${id}`, async () => {
        const rows = await db.query<IncidentRow>(SQL.get, [id]);
        return rows[0] ? toIncident(rows[0]) : null;
      }),

    incidentAlerts: (ids) =>
      pgCall(db, `reading the alerts of ${ids.length} incident(s)`, async () => {
        const out = new Map(ids.map((id) => [id, [] as IncidentAlertRecord[]]));
        if (ids.length === 0) {
          return out;
        }
        for (const row of await db.query<IncidentAlertRow>(SQL.alertsOf, [[...new Set(ids)]])) {
          out.get(row.incident_id)?.push(toIncidentAlert(row));
        }
        // Each incident's list by start, then fingerprint (as SQLite's: sorted per incident, in JS).
        for (const list of out.values()) {
          list.sort((x, y) => x.startsAt - y.startsAt || cmp(x.fingerprint, y.fingerprint));
        }
        return out;
      }),

    incidentTimeline: (id) =>
      pgCall(db, `reading the timeline of incident ${id}`, async () =>
        (await db.query<TimelineRow>(SQL.timeline, [id])).map(toTimeline)
      ),

    correlationCandidates: (since) =>
      pgCall(db, 'reading correlation candidates', async () => {
        const [row] = await db.query<{ incidents: IncidentRow[]; alerts: IncidentAlertRow[] }>(SQL.candidates, [since]);
        const alerts = row.alerts.map(toIncidentAlert);
        // By start, fingerprint, incident: a deterministic order (SQLite's, in JS).
        alerts.sort(
          (x, y) => x.startsAt - y.startsAt || cmp(x.fingerprint, y.fingerprint) || cmp(x.incidentId, y.incidentId)
        );
        return { incidents: row.incidents.map(toIncident), alerts };
      }),

    correlationVersion: () => pgCall(db, 'reading the correlation version', () => readCorrelationVersion(db, writer)),

    activeIncidentOf: (fingerprint) =>
      pgCall(db, 'finding the incident of an alert', async () => {
        const rows = await db.query<{ incident_id: string }>(SQL.activeIncidentOf, [fingerprint]);
        return rows[0]?.incident_id ?? null;
      }),

    commitIncidents: (writes) => {
      const alerts = writes.alerts.length + (writes.statuses?.length ?? 0);
      const what = `saving ${writes.incidents.length} incident(s), ${alerts} incident alert(s), ${writes.timeline.length} timeline entr(ies)`;
      return pgCall(db, what, () => db.tx((q) => applyPgIncidentWrites(db, q, writes)));
    },

    actOnIncident: (action) =>
      pgCall(
        db,
        `${action.action === 'acknowledge' ? 'acknowledging' : 'resolving'} incident ${action.incidentId}`,
        () => actOnPgIncident(db, action)
      ),
  };
}
