/**
 * The `events` table's rows and the filter of `listEvents`, shared by the SQLite (sqlite.ts) and the
 * PostgreSQL (pg/pgCore.ts) store: the same portable SQL, `?` placeholders.
 */
import { randomUUID } from 'node:crypto';
import type { EventQuery, EventSeverity, NewEvent, StoredEvent } from './store';

/** An `events` row. */
export interface EventRow {
  id: string;
  kind: string;
  series_key: string;
  started_at: number;
  ended_at: number | null;
  severity: string;
  message: string;
  metadata: string;
}

/** An `events` row as the store returns it. */
export const toEvent = (r: EventRow): StoredEvent => ({
  id: r.id,
  kind: r.kind,
  seriesKey: r.series_key,
  startedAt: Number(r.started_at),
  endedAt: r.ended_at === null ? null : Number(r.ended_at),
  severity: r.severity as EventSeverity,
  message: r.message,
  metadata: JSON.parse(r.metadata) as Record<string, unknown>,
});

/**
 * `listEvents`'s WHERE clause and arguments, the limit last; null when nothing can match (no severity
 * asked for). The caller adds its ORDER BY (`started_at DESC, id`, ids compared as bytes) and `LIMIT ?`.
 */
export function eventFilter(q: EventQuery): { where: string; args: unknown[] } | null {
  const where = ['started_at <= ?', '(ended_at IS NULL OR ended_at >= ?)'];
  const args: unknown[] = [q.to, q.from];
  if (q.kind !== undefined) {
    where.push('kind = ?');
    args.push(q.kind);
  }
  if (q.seriesKey !== undefined) {
    where.push('series_key = ?');
    args.push(q.seriesKey);
  }
  if (q.seriesKeyPrefix !== undefined) {
    // substr() rather than LIKE: no escaping of % and _ in the prefix, and PostgreSQL has it too
    where.push('substr(series_key, 1, ?) = ?');
    args.push(q.seriesKeyPrefix.length, q.seriesKeyPrefix);
  }
  if (q.severities !== undefined) {
    if (q.severities.length === 0) {
      return null;
    }
    where.push(`severity IN (${q.severities.map(() => '?').join(', ')})`);
    args.push(...q.severities);
  }
  args.push(q.limit ?? 1000);
  return { where: where.join(' AND '), args };
}

/** The event {@link NewEvent} stores: an id assigned unless given, an open end and no metadata by default. */
export const newStoredEvent = (e: NewEvent): StoredEvent => ({
  id: e.id ?? randomUUID(),
  kind: e.kind,
  seriesKey: e.seriesKey,
  startedAt: e.startedAt,
  endedAt: e.endedAt ?? null,
  severity: e.severity,
  message: e.message,
  metadata: e.metadata ?? {},
});
