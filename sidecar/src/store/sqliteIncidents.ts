import type Database from 'better-sqlite3';
import { sqliteStoreError } from './sqliteErrors';
import type { IncidentAlertRecord, IncidentRecord, IncidentStore, IncidentWrites } from './incidentStore';
import {
  incidentAlertArgs,
  incidentArgs,
  type IncidentAlertRow,
  type IncidentRow,
  type TimelineRow,
  timelineArgs,
  toIncident,
  toIncidentAlert,
  toTimeline,
} from './sqliteIncidentRows';
import { CandidateRows } from './sqliteIncidentCandidates';
import { MultiRowInsert, WriteToken } from './sqliteIncidentWrites';
import { ChunkedLookup } from './sqliteLookup';
import { CHANGE_INSERT_SQL, changeInsertArgs } from './ruleRows';
import { actionWrites } from './incidentActions';

// A user's acknowledgement or resolution is never undone by a write that did not know of it: the
// dispatcher reads an incident, correlates, and commits later; a user who acknowledged in between must
// not see the incident open again. So on conflict, an incoming record without an acknowledgement keeps
// the stored one (and `open` stays `acknowledged`), and one without `resolved_by` leaves an incident a
// user resolved as it is (new alerts open a new incident). Everything else is the incoming record's;
// updated_at never goes back. CASE rather than max()/GREATEST(): both databases accept it.
const KEEP_USER_RESOLUTION = `incidents.state = 'resolved' AND incidents.resolved_by IS NOT NULL
  AND excluded.resolved_by IS NULL`;

// Multi-row upserts (sqliteIncidentWrites.ts): the column list, then the conflict clause.
const INCIDENT_INSERT = `INSERT INTO incidents (id, title, severity, state, root_cause, opened_at, updated_at,
      acknowledged_at, acknowledged_by, resolved_at, resolved_by)`;
/** The incidents' conflict rule, shared with pg/pgIncidentWrites.ts: one merge in both stores. */
export const INCIDENT_CONFLICT = `ON CONFLICT (id) DO UPDATE SET title = excluded.title, severity = excluded.severity,
      root_cause = excluded.root_cause, opened_at = excluded.opened_at,
      updated_at = CASE WHEN excluded.updated_at > incidents.updated_at THEN excluded.updated_at
        ELSE incidents.updated_at END,
      state = CASE WHEN ${KEEP_USER_RESOLUTION} THEN incidents.state
        WHEN excluded.state = 'open' AND excluded.acknowledged_at IS NULL AND incidents.acknowledged_at IS NOT NULL
          THEN 'acknowledged'
        ELSE excluded.state END,
      acknowledged_at = CASE WHEN excluded.acknowledged_at IS NULL THEN incidents.acknowledged_at
        ELSE excluded.acknowledged_at END,
      acknowledged_by = CASE WHEN excluded.acknowledged_at IS NULL THEN incidents.acknowledged_by
        ELSE excluded.acknowledged_by END,
      resolved_at = CASE WHEN ${KEEP_USER_RESOLUTION} THEN incidents.resolved_at ELSE excluded.resolved_at END,
      resolved_by = CASE WHEN ${KEEP_USER_RESOLUTION} THEN incidents.resolved_by ELSE excluded.resolved_by END`;
const ALERT_INSERT = `INSERT INTO incident_alerts (incident_id, fingerprint, role, labels, annotations, severity, status,
      starts_at, ends_at, generator_url, correlation, suppression, joined_at)`;
const ALERT_CONFLICT = `ON CONFLICT (incident_id, fingerprint) DO UPDATE SET role = excluded.role, labels = excluded.labels,
      annotations = excluded.annotations, severity = excluded.severity, status = excluded.status,
      starts_at = excluded.starts_at, ends_at = excluded.ends_at, generator_url = excluded.generator_url,
      correlation = excluded.correlation, suppression = excluded.suppression, joined_at = excluded.joined_at`;
// Portable: both databases name the columns of a VALUES list column1, column2, … and take UPDATE … FROM
// (the CAST because PostgreSQL types an untyped VALUES parameter as text).
const STATUS_UPDATE = 'UPDATE incident_alerts SET status = v.column3, ends_at = CAST(v.column4 AS BIGINT) FROM (';
const STATUS_MATCH = ') AS v WHERE incident_alerts.incident_id = v.column1 AND incident_alerts.fingerprint = v.column2';
const TIMELINE_INSERT = 'INSERT INTO incident_timeline (id, incident_id, at, kind, message, user_name)';
const TIMELINE_CONFLICT = 'ON CONFLICT (id) DO NOTHING';

const SQL = {
  insertChange: CHANGE_INSERT_SQL,
  getIncident: 'SELECT * FROM incidents WHERE id = ?',
  timeline: 'SELECT * FROM incident_timeline WHERE incident_id = ? ORDER BY at, id',
  // The newest unresolved incident holding the alert (there should be one; a race may leave two): the
  // unresolved incidents (state index), each looked up by primary key — no index by fingerprint
  // (migration 9: it cost every incident alert written more than this rare question saves).
  activeIncidentOf: `SELECT i.id AS incident_id FROM incidents i
    JOIN incident_alerts a ON a.incident_id = i.id AND a.fingerprint = ?
    WHERE i.state IN ('open', 'acknowledged') ORDER BY i.opened_at DESC, i.id DESC LIMIT 1`,
} as const;

type Statements = { [K in keyof typeof SQL]: Database.Statement };

interface Prepared {
  s: Statements;
  incidents: MultiRowInsert;
  alerts: MultiRowInsert;
  statuses: MultiRowInsert;
  timeline: MultiRowInsert;
  token: WriteToken;
  alertsOf: ChunkedLookup<IncidentAlertRow>;
  /** Correlation's candidates, kept current across inbox batches. */
  candidates: CandidateRows;
  /** List statements by state filter (at most the 8 subsets of the three states). */
  lists: Map<string, Database.Statement>;
}

// Per connection, shared by the store and applyIncidentWrites (which runs inside another store's
// transaction on the same connection); a closed connection's entry goes with it.
const cache = new WeakMap<Database.Database, Prepared>();

function prepared(conn: Database.Database): Prepared {
  let p = cache.get(conn);
  if (!p) {
    p = {
      s: Object.fromEntries(Object.entries(SQL).map(([k, sql]) => [k, conn.prepare(sql)])) as Statements,
      incidents: new MultiRowInsert(conn, INCIDENT_INSERT, 11, INCIDENT_CONFLICT),
      alerts: new MultiRowInsert(conn, ALERT_INSERT, 13, ALERT_CONFLICT),
      statuses: new MultiRowInsert(conn, STATUS_UPDATE, 4, STATUS_MATCH),
      timeline: new MultiRowInsert(conn, TIMELINE_INSERT, 6, TIMELINE_CONFLICT),
      token: new WriteToken(conn),
      alertsOf: new ChunkedLookup(conn, (ph) => `SELECT * FROM incident_alerts WHERE incident_id IN (${ph})`),
      lists: new Map(),
      candidates: new CandidateRows(conn),
    };
    cache.set(conn, p);
  }
  return p;
}

/**
 * Applies incident writes on `conn`, which must be inside a transaction the caller owns (the
 * dispatcher's `commitIngest`, so an alert's routing and its incident commit together). Incidents and
 * their alerts are inserted or replaced (a user's acknowledgement or resolution survives a replace
 * that did not know of it), timeline entries appended (a replayed id is ignored), changes recorded;
 * one statement per table and chunk of rows. The writes' token is recorded with them
 * (`correlationVersion`). Each list must not hold one key twice.
 */
export function applyIncidentWrites(conn: Database.Database, writes: IncidentWrites): void {
  const p = prepared(conn);
  const { s, candidates } = p;
  const statuses = writes.statuses ?? [];
  candidates.written(writes.alerts);
  candidates.written(statuses);
  p.token.written(writes.token ?? null);
  p.incidents.run(writes.incidents.map(incidentArgs));
  p.alerts.run(writes.alerts.map(incidentAlertArgs));
  p.statuses.run(statuses.map((a) => [a.incidentId, a.fingerprint, a.status, a.endsAt]));
  p.timeline.run(writes.timeline.map(timelineArgs));
  for (const c of writes.changes ?? []) {
    s.insertChange.run(...changeInsertArgs(c));
  }
}

/**
 * Incident persistence on SQLite (migration 6). `db()` returns the open connection (throws once the
 * store is closed); statements are prepared once per connection; each write is one IMMEDIATE
 * transaction (the write lock up front: no upgrade deadlock with a reader). Portable SQL.
 */
export function sqliteIncidentStore(db: () => Database.Database): IncidentStore {
  const listStatement = (conn: Database.Database, states: readonly string[] | undefined) => {
    const { lists } = prepared(conn);
    const distinct = states === undefined ? undefined : [...new Set(states)].sort();
    const key = distinct === undefined ? '*' : distinct.join(',');
    let stmt = lists.get(key);
    if (!stmt) {
      const where = distinct === undefined ? '' : `WHERE state IN (${distinct.map(() => '?').join(', ')})`;
      stmt = conn.prepare(`SELECT * FROM incidents ${where} ORDER BY updated_at DESC, id DESC LIMIT ?`);
      lists.set(key, stmt);
    }
    return { stmt, args: distinct ?? [] };
  };

  return {
    async listIncidents(query = {}) {
      if (query.states !== undefined && query.states.length === 0) {
        return [];
      }
      const conn = db();
      const { stmt, args } = listStatement(conn, query.states);
      const limit = Math.max(0, Math.floor(query.limit ?? 100));
      return (stmt.all(...args, limit) as IncidentRow[]).map(toIncident);
    },

    async getIncident(id) {
      const row = prepared(db()).s.getIncident.get(id) as IncidentRow | undefined;
      return row ? toIncident(row) : null;
    },

    async incidentAlerts(ids) {
      const p = prepared(db());
      // The incidents correlation keeps (the unresolved ones) come from memory when current (the API
      // reads open incidents' alerts).
      const kept = p.candidates.incidentAlerts(ids);
      const out = new Map(ids.map((id) => [id, kept.get(id) ?? ([] as IncidentAlertRecord[])]));
      for (const row of p.alertsOf.all(ids.filter((id) => !kept.has(id)))) {
        out.get(row.incident_id)?.push(toIncidentAlert(row));
      }
      // Each incident's list by start, then fingerprint: sorted here, per incident (small lists), not
      // by SQL over every row of the chunk.
      for (const list of out.values()) {
        list.sort(
          (x, y) =>
            x.startsAt - y.startsAt || (x.fingerprint < y.fingerprint ? -1 : x.fingerprint > y.fingerprint ? 1 : 0)
        );
      }
      return out;
    },

    async incidentTimeline(id) {
      return (prepared(db()).s.timeline.all(id) as TimelineRow[]).map(toTimeline);
    },

    async correlationCandidates(since) {
      const conn = db();
      // One read transaction: both lists from the same snapshot (another process may be writing).
      return conn.transaction(() => prepared(conn).candidates.read(since))();
    },

    async correlationVersion() {
      return prepared(db()).token.version();
    },

    async activeIncidentOf(fingerprint) {
      const row = prepared(db()).s.activeIncidentOf.get(fingerprint) as { incident_id: string } | undefined;
      return row?.incident_id ?? null;
    },

    async commitIncidents(writes) {
      const alerts = writes.alerts.length + (writes.statuses?.length ?? 0);
      const what = `saving ${writes.incidents.length} incident(s), ${alerts} incident alert(s), ${writes.timeline.length} timeline entr(ies)`;
      try {
        const conn = db();
        conn.transaction(() => applyIncidentWrites(conn, writes)).immediate();
      } catch (err) {
        throw sqliteStoreError(what, err);
      }
    },

    async actOnIncident(action) {
      const what = `${action.action === 'acknowledge' ? 'acknowledging' : 'resolving'} incident ${action.incidentId}`;
      try {
        const conn = db();
        // IMMEDIATE: the write lock before the read, so the state decided on is the state written over.
        return conn
          .transaction(() => {
            const row = prepared(conn).s.getIncident.get(action.incidentId) as IncidentRow | undefined;
            const current = row ? toIncident(row) : null;
            const decided = current && actionWrites(current, action);
            if (!current || !decided) {
              return null;
            }
            applyIncidentWrites(conn, decided.writes);
            return { from: current.state, incident: decided.next };
          })
          .immediate();
      } catch (err) {
        throw sqliteStoreError(what, err);
      }
    },
  };
}
