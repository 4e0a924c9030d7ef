/**
 * Shared by the PostgreSQL outbox and dispatcher modules (issue 14): the batch shapes their multi-row
 * statements take (`unnest` of one array per column: one parameter per column whatever the row count, so
 * no batch nears PostgreSQL's 65,535-parameter limit; JSON columns as one JSON array, see `jsonTexts`).
 */
import type { NotifyAlertRecord, NotifyGroupRecord } from '../notifyStore';
import { finite } from '../sqliteNotifyRows';
import { jsonTexts } from './pgOutboxBatch';

/** Each key once, the last record of a key kept (a batch naming a row twice: the later write wins). */
export function lastByKeySorted<T>(items: readonly T[], keyOf: (t: T) => string): T[] {
  const out = new Map<string, T>();
  for (const item of items) {
    out.set(keyOf(item), item);
  }
  // Sorted by key: two transactions upserting overlapping rows lock them in one order (no deadlock).
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/**
 * Groups inserted or replaced, in one statement. A batch holding one key twice keeps the last (as the
 * SQLite store's statement per group does): PostgreSQL refuses to update one row twice in one command.
 */
export const GROUP_UPSERT = `INSERT INTO notify_groups (group_key, route_id, receiver, group_labels, state, next_flush_at)
  SELECT * FROM ROWS FROM (unnest(?::text[]), unnest(?::text[]), unnest(?::text[]), json_array_elements_text(?::json),
    json_array_elements_text(?::json), unnest(?::bigint[]))
  ON CONFLICT (group_key) DO UPDATE SET route_id = excluded.route_id, receiver = excluded.receiver,
    group_labels = excluded.group_labels, state = excluded.state, next_flush_at = excluded.next_flush_at`;

/** The column arrays of {@link GROUP_UPSERT}. */
export function groupUpsertArgs(groups: readonly NotifyGroupRecord[]): unknown[] {
  const rows = lastByKeySorted(groups, (g) => g.key);
  return [
    rows.map((g) => g.key),
    rows.map((g) => g.routeId),
    rows.map((g) => g.receiver),
    jsonTexts(rows.map((g) => JSON.stringify(g.groupLabels))),
    jsonTexts(rows.map((g) => JSON.stringify(g.state))),
    rows.map((g) => g.nextFlushAt),
  ];
}

/** Alerts inserted or replaced in one statement; an older update never replaces a newer one. */
export const ALERT_UPSERT = `INSERT INTO notify_alerts (fingerprint, source, status, labels, annotations, starts_at,
    ends_at, value, threshold, generator_url, actions, updated_at)
  SELECT * FROM ROWS FROM (unnest(?::text[]), unnest(?::text[]), unnest(?::text[]), json_array_elements_text(?::json),
    json_array_elements_text(?::json), unnest(?::bigint[]), unnest(?::bigint[]), unnest(?::float8[]),
    unnest(?::float8[]), unnest(?::text[]), json_array_elements_text(?::json), unnest(?::bigint[]))
  ON CONFLICT (fingerprint) DO UPDATE SET source = excluded.source, status = excluded.status,
    labels = excluded.labels, annotations = excluded.annotations, starts_at = excluded.starts_at,
    ends_at = excluded.ends_at, value = excluded.value, threshold = excluded.threshold,
    generator_url = excluded.generator_url, actions = excluded.actions, updated_at = excluded.updated_at
  WHERE notify_alerts.updated_at <= excluded.updated_at`;

/**
 * The column arrays of {@link ALERT_UPSERT}. Of several updates of one alert in the batch, the newest
 * (the later one on a tie) is written: what the SQLite store's statement per update leaves, since each
 * applies only when not older than the row it meets.
 */
export function alertUpsertArgs(alerts: readonly NotifyAlertRecord[]): unknown[] {
  const newest = new Map<string, NotifyAlertRecord>();
  for (const a of alerts) {
    const cur = newest.get(a.fingerprint);
    if (cur === undefined || a.updatedAt >= cur.updatedAt) {
      newest.set(a.fingerprint, a);
    }
  }
  const rows = lastByKeySorted([...newest.values()], (a) => a.fingerprint);
  return [
    rows.map((a) => a.fingerprint),
    rows.map((a) => a.source),
    rows.map((a) => a.status),
    jsonTexts(rows.map((a) => JSON.stringify(a.labels))),
    jsonTexts(rows.map((a) => JSON.stringify(a.annotations))),
    rows.map((a) => a.startsAt),
    rows.map((a) => a.endsAt),
    rows.map((a) => finite(a.value)),
    rows.map((a) => finite(a.threshold)),
    rows.map((a) => a.generatorURL ?? null),
    jsonTexts(rows.map((a) => JSON.stringify(a.actions))),
    rows.map((a) => a.updatedAt),
  ];
}
