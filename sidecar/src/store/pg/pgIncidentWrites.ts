/**
 * The incident writes on PostgreSQL (issue 14), and correlation's version across processes.
 *
 * Writes: one statement for all the tables (data-modifying CTEs, each table's rows as `unnest` arrays:
 * one parameter per column whatever the row count, so a 10k-alert storm's batch is one round trip and
 * never meets the 65,535-parameter limit), after the version bump.
 *
 * Version: SQLite notices another connection's commit with `PRAGMA data_version`; PostgreSQL has no
 * such counter, and replicas are other processes. So every incident write bumps one row
 * (`incident_version`, migration 12) in its own transaction: it commits or rolls back with the writes,
 * and a dispatcher on replica A reads an acknowledge committed on replica B at its next batch. Not
 * `pg_current_xact_id`/`xmin`: finding the newest writer of three tables costs a scan per read, and a
 * counter row is one primary-key read. Not LISTEN/NOTIFY: delivered after the commit, asynchronously,
 * and lost with the connection — a dispatcher could correlate on state older than an acknowledge.
 *
 * The row holds `seq` (bumped by every write), the writer (a store instance) and token of the last
 * write, and `base`: the seq before the first of an unbroken chain of token writes by one writer. A
 * reader whose own token write is the last sees `{ others: base, token }` — unchanged across its own
 * batches, as the dispatcher expects — and anyone else (or after a tokenless write) `{ others: seq,
 * token: null }`. Any other write breaks the chain: its seq becomes the next chain's base.
 *
 * Bumping the row first also orders concurrent incident writers (its row lock is held to the commit),
 * so two replicas' writes to the same incidents queue instead of deadlocking.
 */
import { randomUUID } from 'node:crypto';
import type { CorrelationVersion, IncidentAlertRecord, IncidentWrites } from '../incidentStore';
import { incidentAlertArgs, incidentArgs, timelineArgs } from '../sqliteIncidentRows';
import { changeInsertArgs } from '../ruleRows';
// The conflict rule is SQLite's: a user's acknowledgement or resolution survives a write that did not
// know of it, updated_at never goes back.
import { INCIDENT_CONFLICT } from '../sqliteIncidents';
import { columns, lastByKey } from './pgCall';
import type { PgDb, PgQueryable } from './pgDb';

const INCIDENTS = `INSERT INTO incidents (id, title, severity, state, root_cause, opened_at, updated_at,
      acknowledged_at, acknowledged_by, resolved_at, resolved_by)
    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[],
      ?::bigint[], ?::text[], ?::bigint[], ?::text[])
    ${INCIDENT_CONFLICT}`;

const ALERTS = `INSERT INTO incident_alerts (incident_id, fingerprint, role, labels, annotations, severity, status,
      starts_at, ends_at, generator_url, correlation, suppression, joined_at)
    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
      ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[])
    ON CONFLICT (incident_id, fingerprint) DO UPDATE SET role = excluded.role, labels = excluded.labels,
      annotations = excluded.annotations, severity = excluded.severity, status = excluded.status,
      starts_at = excluded.starts_at, ends_at = excluded.ends_at, generator_url = excluded.generator_url,
      correlation = excluded.correlation, suppression = excluded.suppression, joined_at = excluded.joined_at`;

const STATUSES = `UPDATE incident_alerts SET status = v.status, ends_at = v.ends_at
    FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[]) AS v (incident_id, fingerprint, status, ends_at)
    WHERE incident_alerts.incident_id = v.incident_id AND incident_alerts.fingerprint = v.fingerprint`;

const TIMELINE = `INSERT INTO incident_timeline (id, incident_id, at, kind, message, user_name)
    SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[])
    ON CONFLICT (id) DO NOTHING`;

const CHANGES = `INSERT INTO changes (id, at, user_name, action, object_type, object_id, detail)
    SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])`;

const BUMP = `INSERT INTO incident_version AS v (id, seq, base, writer, token) VALUES (1, 1, 0, ?, ?)
    ON CONFLICT (id) DO UPDATE SET seq = v.seq + 1,
      base = CASE WHEN v.token IS NOT NULL AND v.writer = excluded.writer THEN v.base ELSE v.seq END,
      writer = excluded.writer, token = excluded.token`;

const VERSION = 'SELECT seq, base, writer, token FROM incident_version WHERE id = 1';

/** Each store instance (pool) is one writer: its own token writes keep its version. */
const writers = new WeakMap<PgDb, string>();

/** The writer id of the store on `db` (made on first use). */
export function writerOf(db: PgDb): string {
  let id = writers.get(db);
  if (id === undefined) {
    id = randomUUID();
    writers.set(db, id);
  }
  return id;
}

/** Records an incident write by `writer` (token: the dispatcher's, or null) in the caller's transaction. */
export async function bumpIncidentVersion(q: PgQueryable, writer: string, token: string | null): Promise<void> {
  await q.run(BUMP, [writer, token]);
}

/** {@link IncidentStore.correlationVersion} for the store whose writer id is `writer` (see the module comment). */
export async function readCorrelationVersion(q: PgQueryable, writer: string): Promise<CorrelationVersion> {
  const rows = await q.query<{ seq: number; base: number; writer: string | null; token: string | null }>(VERSION);
  const row = rows[0];
  if (!row) {
    return { others: '0', token: null };
  }
  if (row.token !== null && row.writer === writer) {
    return { others: String(row.base), token: row.token };
  }
  return { others: String(row.seq), token: null };
}

const alertKey = (a: Pick<IncidentAlertRecord, 'incidentId' | 'fingerprint'>) =>
  `${a.incidentId}\u0000${a.fingerprint}`;

/**
 * Applies incident writes on `q`, which must be a transaction the caller owns (commitIngest, so an
 * alert's routing and its incident commit together; or commitIncidents): the version bump (by the
 * store on `db`), then one statement for every table. Semantics as SQLite's applyIncidentWrites; a key
 * given twice keeps its last record (PostgreSQL refuses to upsert one row twice in a statement), and
 * a status for an alert also written in full is applied to that record (SQLite applies it after).
 */
export async function applyPgIncidentWrites(db: PgDb, q: PgQueryable, writes: IncidentWrites): Promise<void> {
  await bumpIncidentVersion(q, writerOf(db), writes.token ?? null);
  await writeIncidentRows(q, writes);
}

/** The rows of incident writes, in one statement (no version bump: the caller's transaction did it first). */
export async function writeIncidentRows(q: PgQueryable, writes: IncidentWrites): Promise<void> {
  const alerts = new Map(writes.alerts.map((a) => [alertKey(a), a]));
  const statuses = lastByKey(writes.statuses ?? [], alertKey).filter((s) => {
    const full = alerts.get(alertKey(s));
    if (full) {
      alerts.set(alertKey(s), { ...full, status: s.status, endsAt: s.endsAt });
    }
    return !full;
  });
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, rows: unknown[][], width: number) => {
    if (rows.length > 0) {
      parts.push(`w${parts.length} AS (${sql})`);
      params.push(...columns(rows, width));
    }
  };
  add(INCIDENTS, lastByKey(writes.incidents, (i) => i.id).map(incidentArgs), 11);
  add(ALERTS, [...alerts.values()].map(incidentAlertArgs), 13);
  add(
    STATUSES,
    statuses.map((s) => [s.incidentId, s.fingerprint, s.status, s.endsAt]),
    4
  );
  add(TIMELINE, writes.timeline.map(timelineArgs), 6);
  add(CHANGES, (writes.changes ?? []).map(changeInsertArgs), 7);
  if (parts.length > 0) {
    // Data-modifying CTEs all run to completion whether or not the query reads them.
    await q.run(`WITH ${parts.join(',\n')} SELECT 1`, params);
  }
}
