/**
 * Detector state per series on PostgreSQL (issue 14), the contract of sqliteDetectorState.ts: a run's
 * states and events are one statement (data-modifying CTEs over `unnest` arrays, BYTEA states), so the
 * save is one round trip and atomic: a state is never saved past events that were not.
 */
import type { DetectorSeriesStateRow, DetectorStateStore, DetectorStateWrite, StoredEvent } from '../store';
import type { PgDb } from './pgDb';
import { columns, lastByKey, pgCall, retryAborted } from './pgCall';

/**
 * Parameters in order: detector, replaceAll, put keys, removed keys, detector, at, put keys, states,
 * inserted events (8), updated events (5), the setting to drop (null: none). All parts run on one
 * snapshot, so no two of them may touch the same row (PostgreSQL would apply only one): the wipe spares
 * the keys being put (their rows are replaced anyway, which is what "delete, then put" leaves), and an
 * update of an event inserted in the same write is folded into the insert ({@link eventArgs}).
 */
const SAVE_SQL = `WITH
  wipe AS (
    DELETE FROM detector_series_state WHERE detector = ?::text
      AND ((?::boolean AND series_key <> ALL(?::text[])) OR series_key = ANY(?::text[]))
  ),
  up AS (
    INSERT INTO detector_series_state (detector, series_key, state, updated_at)
    SELECT ?::text, u.series_key, u.state, ?::bigint FROM unnest(?::text[], ?::bytea[]) AS u(series_key, state)
    ON CONFLICT (detector, series_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
  ),
  ins AS (
    INSERT INTO events (id, kind, series_key, started_at, ended_at, severity, message, metadata)
    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[])
  ),
  upd AS (
    UPDATE events e SET ended_at = u.ended_at, severity = u.severity, message = u.message, metadata = u.metadata
    FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[]) AS u(id, ended_at, severity, message, metadata)
    WHERE e.id = u.id
  )
  DELETE FROM settings WHERE key = ?::text`;

const eventRow = (e: StoredEvent): unknown[] => [
  e.id,
  e.kind,
  e.seriesKey,
  e.startedAt,
  e.endedAt,
  e.severity,
  e.message,
  JSON.stringify(e.metadata),
];

/** DetectorStateStore on PostgreSQL. */
export function pgDetectorStateStore(db: PgDb): DetectorStateStore {
  return {
    loadDetectorStates: (detector) =>
      pgCall(db, `loading the state of detector "${detector}"`, async () => {
        const rows = await db.query<{ series_key: string; state: Buffer; updated_at: number }>(
          'SELECT series_key, state, updated_at FROM detector_series_state WHERE detector = ?',
          [detector]
        );
        return rows.map((r): DetectorSeriesStateRow => ({
          seriesKey: r.series_key,
          state: r.state,
          updatedAt: Number(r.updated_at),
        }));
      }),

    loadDetectorState: (detector, seriesKey) =>
      pgCall(db, `loading the state of detector "${detector}"`, async () => {
        const rows = await db.query<{ state: Buffer }>(
          'SELECT state FROM detector_series_state WHERE detector = ? AND series_key = ?',
          [detector, seriesKey]
        );
        return rows.length ? rows[0].state : null;
      }),

    saveDetectorStates: (detector, w) =>
      pgCall(db, `saving the state of detector "${detector}"`, async () => {
        await retryAborted(() => db.run(SAVE_SQL, saveArgs(detector, w)));
      }),

    pruneDetection: (detector, prefix, before) =>
      pgCall(db, `pruning the events of detector "${detector}"`, async () => {
        const rows = await db.query<{ events: number; states: number }>(
          `WITH e AS (
             DELETE FROM events WHERE kind = 'anomaly' AND substr(series_key, 1, ?) = ?
               AND started_at < ? AND ended_at IS NOT NULL AND ended_at < ? RETURNING 1
           ),
           s AS (DELETE FROM detector_series_state WHERE detector = ? AND updated_at < ? RETURNING 1)
           SELECT (SELECT COUNT(*) FROM e) AS events, (SELECT COUNT(*) FROM s) AS states`,
          [prefix.length, prefix, before, before, detector, before]
        );
        return { events: Number(rows[0].events), states: Number(rows[0].states) };
      }),
  };
}

function saveArgs(detector: string, w: DetectorStateWrite): unknown[] {
  const put = lastByKey(w.put, (p) => p.seriesKey);
  const putKeys = put.map((p) => p.seriesKey);
  const putSet = new Set(putKeys);
  return [
    detector,
    w.replaceAll === true,
    putKeys,
    (w.remove ?? []).filter((k) => !putSet.has(k)),
    detector,
    w.at,
    putKeys,
    put.map((p) => p.state),
    ...eventArgs(w.events?.insert ?? [], w.events?.update ?? []),
    w.dropSetting ?? null,
  ];
}

/**
 * The insert (8) and update (5) columns of a write's events. An event both inserted and updated is
 * inserted as updated (SQLite runs the update after the insert); inserting one id twice still fails.
 */
function eventArgs(insert: readonly StoredEvent[], update: readonly StoredEvent[]): unknown[][] {
  const inserted = new Map(insert.map((e, i) => [e.id, i]));
  const rows = insert.map(eventRow);
  const updates: StoredEvent[] = [];
  for (const e of lastByKey(update, (u) => u.id)) {
    const i = inserted.get(e.id);
    if (i === undefined) {
      updates.push(e);
    } else {
      const row = rows[i];
      row[4] = e.endedAt;
      row[5] = e.severity;
      row[6] = e.message;
      row[7] = JSON.stringify(e.metadata);
    }
  }
  return [
    ...columns(rows, 8),
    ...columns(
      updates.map((e) => [e.id, e.endedAt, e.severity, e.message, JSON.stringify(e.metadata)]),
      5
    ),
  ];
}
