/**
 * The dispatcher's tables on PostgreSQL (issue 14): the same contract as `sqliteNotify.ts`. Any replica
 * pushes alert updates into the inbox (its receivers); the dispatcher reads them, routes them and commits
 * the result (pgNotifyWrites.ts). Nothing is cached in memory: another replica may write any row, so
 * every read goes to the database (the SQLite store's alert cache and pushed-alert map assume one writer).
 */
import type { InboundAlert, NotifyAlertRecord, NotifyStore } from '../notifyStore';
import { inboxInsertArgs } from '../sqliteNotify';
import { type AlertRow, type GroupRow, num, type SilenceRow, toAlert, toGroup, toSilence } from '../sqliteNotifyRows';
import type { PgDb } from './pgDb';
import { columns, pgCall } from './pgCall';
import { jsonTexts } from './pgOutboxBatch';
import { insertChanges } from './pgRuleWrites';
import { applyPgIncidentWrites } from './pgIncidentWrites';
import {
  type IncidentWriter,
  pgCommitFlush,
  pgCommitIngest,
  pgPruneNotify,
  pgReleaseClosedGroups,
} from './pgNotifyWrites';

const SQL = {
  pushInbox: `INSERT INTO notify_inbox (id, received_at, alert)
    SELECT * FROM ROWS FROM (unnest(?::text[]), unnest(?::bigint[]), json_array_elements_text(?::json))`,
  // (received_at, id) is the index notify_inbox_received; ids sort in push order within a millisecond.
  readInbox: 'SELECT id, received_at, alert FROM notify_inbox ORDER BY received_at, id LIMIT ?',
  oldestInbox: 'SELECT MIN(received_at) AS at FROM notify_inbox',
  alerts: 'SELECT * FROM notify_alerts WHERE fingerprint = ANY(?::text[])',
  groups: 'SELECT * FROM notify_groups WHERE group_key = ANY(?::text[])',
  members: `SELECT m.group_key AS member_of, a.* FROM notify_group_alerts m
    JOIN notify_alerts a ON a.fingerprint = m.fingerprint WHERE m.group_key = ANY(?::text[])`,
  // COLLATE "C": byte order, as SQLite sorts text, whatever the database's locale.
  dueGroups: `SELECT * FROM notify_groups WHERE next_flush_at IS NOT NULL AND next_flush_at <= ?
    ORDER BY next_flush_at, group_key COLLATE "C" LIMIT ?`,
  nextFlush: 'SELECT MIN(next_flush_at) AS at FROM notify_groups',
  listGroups: 'SELECT * FROM notify_groups ORDER BY group_key COLLATE "C"',
  countOpenGroups: 'SELECT COUNT(*) AS n FROM notify_groups WHERE next_flush_at IS NOT NULL',
  firingLabels: "SELECT labels FROM notify_alerts WHERE status = 'firing'",
  getSilence: 'SELECT * FROM silences WHERE id = ?',
  listSilences: 'SELECT * FROM silences ORDER BY updated_at DESC, id COLLATE "C"',
  listSilencesSince: 'SELECT * FROM silences WHERE ends_at >= ? ORDER BY updated_at DESC, id COLLATE "C"',
  upsertSilence: `INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET matchers = excluded.matchers, starts_at = excluded.starts_at,
      ends_at = excluded.ends_at, created_by = excluded.created_by, comment = excluded.comment,
      updated_at = excluded.updated_at`,
} as const;

/** Rows in the order of their keys' first occurrence, each key once; missing keys left out. */
function inKeyOrder<R, T>(rows: R[], keyOf: (r: R) => string, keys: readonly string[], map: (r: R) => T): T[] {
  const byKey = new Map(rows.map((r) => [keyOf(r), r]));
  const out: T[] = [];
  for (const k of new Set(keys)) {
    const row = byKey.get(k);
    if (row !== undefined) {
      out.push(map(row));
    }
  }
  return out;
}

const byStartThenFingerprint = (a: NotifyAlertRecord, b: NotifyAlertRecord) =>
  a.startsAt - b.startsAt || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0);

/** NotifyStore on PostgreSQL. */
export function pgNotifyStore(db: PgDb): NotifyStore {
  // Correlation's incident writes commit in the ingest's transaction (the incidents module's writer:
  // it also bumps the correlation version, as this store's).
  const incidents: IncidentWriter = (q, writes) => applyPgIncidentWrites(db, q, writes);
  return {
    async pushInbound(alerts: readonly InboundAlert[], receivedAt: number) {
      if (alerts.length === 0) {
        return;
      }
      const rows = alerts.map((a) => inboxInsertArgs(a, receivedAt));
      const [ids, at, texts] = columns(rows, 3);
      await pgCall(db, `pushing ${alerts.length} alert update(s) to the inbox`, () =>
        db.run(SQL.pushInbox, [ids, at, jsonTexts(texts as string[])])
      );
    },

    async readInbox(limit) {
      const rows = await pgCall(db, 'reading the inbox', () =>
        db.query<{ id: string; received_at: number; alert: string }>(SQL.readInbox, [Math.max(0, Math.floor(limit))])
      );
      return rows.map((r) => ({
        id: r.id,
        receivedAt: Number(r.received_at),
        alert: JSON.parse(r.alert) as InboundAlert,
      }));
    },

    async oldestInbox() {
      const [row] = await pgCall(db, 'reading the inbox', () => db.query<{ at: number | null }>(SQL.oldestInbox));
      return num(row?.at ?? null);
    },

    async getNotifyAlerts(fingerprints) {
      const rows = await pgCall(db, 'reading alerts', () =>
        db.query<AlertRow>(SQL.alerts, [[...new Set(fingerprints)]])
      );
      return inKeyOrder(rows, (r) => r.fingerprint, fingerprints, toAlert);
    },

    async getGroups(keys) {
      const rows = await pgCall(db, 'reading groups', () => db.query<GroupRow>(SQL.groups, [[...new Set(keys)]]));
      return inKeyOrder(rows, (r) => r.group_key, keys, toGroup);
    },

    async commitIngest(c) {
      await pgCall(db, `routing ${c.inboxIds.length} inbox row(s)`, () =>
        db.tx((q) => pgCommitIngest(q, c, incidents))
      );
    },

    async dueGroups(now, limit) {
      const rows = await pgCall(db, 'reading due groups', () =>
        db.query<GroupRow>(SQL.dueGroups, [now, Math.max(0, Math.floor(limit))])
      );
      return rows.map(toGroup);
    },

    async nextGroupFlush() {
      const [row] = await pgCall(db, 'reading the next flush', () => db.query<{ at: number | null }>(SQL.nextFlush));
      return num(row?.at ?? null);
    },

    async groupAlerts(keys) {
      const out = new Map<string, NotifyAlertRecord[]>(keys.map((k) => [k, []]));
      if (keys.length === 0) {
        return out;
      }
      const rows = await pgCall(db, 'reading group members', () =>
        db.query<AlertRow & { member_of: string }>(SQL.members, [[...new Set(keys)]])
      );
      for (const r of rows) {
        out.get(r.member_of)?.push(toAlert(r));
      }
      // Sorted here (starts_at, then fingerprint in code-unit order, SQLite's byte order for hex).
      for (const list of out.values()) {
        list.sort(byStartThenFingerprint);
      }
      return out;
    },

    async commitFlush(flushes, handoff) {
      if (flushes.length === 0) {
        return [];
      }
      return pgCall(db, `flushing ${flushes.length} notification group(s)`, () =>
        db.tx((q) => pgCommitFlush(q, flushes, handoff))
      );
    },

    async releaseClosedGroups(keys) {
      return pgCall(db, 'releasing the alerts of closed groups', () => db.tx((q) => pgReleaseClosedGroups(q, keys)));
    },

    async pruneNotify(before) {
      return pgCall(db, 'pruning old notification groups and sent notifications', () =>
        db.tx((q) => pgPruneNotify(q, before))
      );
    },

    async countOpenGroups() {
      const [row] = await pgCall(db, 'counting groups', () => db.query<{ n: number }>(SQL.countOpenGroups));
      return Number(row.n);
    },

    async listGroups() {
      return (await pgCall(db, 'listing groups', () => db.query<GroupRow>(SQL.listGroups))).map(toGroup);
    },

    async firingAlertLabels() {
      const rows = await pgCall(db, 'reading firing alerts', () => db.query<{ labels: string }>(SQL.firingLabels));
      return rows.map((r) => JSON.parse(r.labels) as Record<string, string>);
    },

    async listSilences(opts = {}) {
      const rows = await pgCall(db, 'listing silences', () =>
        opts.expiredSince === undefined
          ? db.query<SilenceRow>(SQL.listSilences)
          : db.query<SilenceRow>(SQL.listSilencesSince, [opts.expiredSince])
      );
      return rows.map(toSilence);
    },

    async getSilence(id) {
      const [row] = await pgCall(db, `reading silence "${id}"`, () => db.query<SilenceRow>(SQL.getSilence, [id]));
      return row ? toSilence(row) : null;
    },

    async putSilence(silence, user, action) {
      await pgCall(db, `saving silence "${silence.id}"`, () =>
        db.tx(async (q) => {
          await q.run(SQL.upsertSilence, [
            silence.id,
            JSON.stringify(silence.matchers),
            silence.startsAt,
            silence.endsAt,
            silence.createdBy,
            silence.comment,
            silence.updatedAt,
          ]);
          await insertChanges(q, [
            { at: silence.updatedAt, user, action, objectType: 'silence', objectId: silence.id, detail: silence },
          ]);
        })
      );
    },
  };
}
