import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { GroupState } from '@vigil/core';
import { sqliteStoreError } from './sqliteErrors';
import type {
  FlushCommit,
  InboundAlert,
  InboxEntry,
  IngestCommit,
  NotifyAlertRecord,
  NotifyGroupRecord,
  NotifyStore,
  OutboxHandoff,
  SilenceRecord,
} from './notifyStore';
import type { OutboxRecord } from './store';
import { AlertCache } from './sqliteAlertCache';
import { type Lookups, notifyLookups } from './sqliteLookup';
import { applyIncidentWrites } from './sqliteIncidents';
import { outboxEnqueuer, type OutboxEnqueuer } from './sqliteOutbox';
import {
  type AlertRow,
  finite,
  type GroupRow,
  num,
  type SilenceRow,
  toAlert,
  toGroup,
  toSilence,
} from './sqliteNotifyRows';
import { CHANGE_INSERT_SQL, changeInsertArgs } from './ruleRows';

/** The inbox's insert statement, for stores that push alert updates in their own transaction (rule evaluations). */
export const INBOX_INSERT_SQL = 'INSERT INTO notify_inbox (id, received_at, alert) VALUES (?, ?, ?)';

// Inbox ids sort in push order within a millisecond: the zero-padded receive time, then a per-process
// sequence; the random tail keeps two processes' ids apart. readInbox orders by (received_at, id).
let inboxSeq = 0;
const inboxId = (receivedAt: number) =>
  `${String(Math.max(0, Math.floor(receivedAt))).padStart(15, '0')}-${String(inboxSeq++ % 1e12).padStart(12, '0')}-${randomUUID().slice(0, 8)}`;

/** The parameters of {@link INBOX_INSERT_SQL} for one alert update (a new id that sorts in push order). */
export function inboxInsertArgs(alert: InboundAlert, receivedAt: number): unknown[] {
  return [inboxId(receivedAt), receivedAt, JSON.stringify(alert)];
}

const SQL = {
  insertInbox: INBOX_INSERT_SQL,
  // Ids first: the alerts this process pushed are in memory (`pushed`), and copying their JSON text
  // out of SQLite was most of the read; the others' text is read by id (Lookups.inboxAlerts).
  readInbox: 'SELECT id, received_at FROM notify_inbox ORDER BY received_at, id LIMIT ?',
  oldestInbox: 'SELECT MIN(received_at) AS at FROM notify_inbox',
  // An older update never replaces a newer one (two sources racing, an inbox replayed after a crash).
  upsertAlert: `INSERT INTO notify_alerts (fingerprint, source, status, labels, annotations, starts_at, ends_at, value,
      threshold, generator_url, actions, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (fingerprint) DO UPDATE SET source = excluded.source, status = excluded.status,
      labels = excluded.labels, annotations = excluded.annotations, starts_at = excluded.starts_at,
      ends_at = excluded.ends_at, value = excluded.value, threshold = excluded.threshold,
      generator_url = excluded.generator_url, actions = excluded.actions, updated_at = excluded.updated_at
    WHERE notify_alerts.updated_at <= excluded.updated_at`,
  upsertGroup: `INSERT INTO notify_groups (group_key, route_id, receiver, group_labels, state, next_flush_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (group_key) DO UPDATE SET route_id = excluded.route_id, receiver = excluded.receiver,
      group_labels = excluded.group_labels, state = excluded.state, next_flush_at = excluded.next_flush_at`,
  addMember: `INSERT INTO notify_group_alerts (group_key, fingerprint) VALUES (?, ?)
    ON CONFLICT (group_key, fingerprint) DO NOTHING`,
  // The resolved alerts a flush removes from a group and forgets once no group holds them are written
  // by key lists (Lookups.removeMembers, Lookups.dropResolved): a sweep over every resolved alert on each
  // flush cost milliseconds per commit while thousands were resolved. The sweep runs with the hourly
  // prune instead, for the resolved alerts no flush removes (one that fired on no route is in no group).
  sweepResolved: `DELETE FROM notify_alerts WHERE status = 'resolved' AND NOT EXISTS (
      SELECT 1 FROM notify_group_alerts m WHERE m.fingerprint = notify_alerts.fingerprint)`,
  dueGroups: `SELECT * FROM notify_groups WHERE next_flush_at IS NOT NULL AND next_flush_at <= ?
    ORDER BY next_flush_at, group_key LIMIT ?`,
  nextFlush: 'SELECT MIN(next_flush_at) AS at FROM notify_groups',
  listGroups: 'SELECT * FROM notify_groups ORDER BY group_key',
  countOpenGroups: 'SELECT COUNT(*) AS n FROM notify_groups WHERE next_flush_at IS NOT NULL',
  firingLabels: "SELECT labels FROM notify_alerts WHERE status = 'firing'",
  getSilence: 'SELECT * FROM silences WHERE id = ?',
  listSilences: 'SELECT * FROM silences ORDER BY updated_at DESC, id',
  listSilencesSince: 'SELECT * FROM silences WHERE ends_at >= ? ORDER BY updated_at DESC, id',
  upsertSilence: `INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET matchers = excluded.matchers, starts_at = excluded.starts_at,
      ends_at = excluded.ends_at, created_by = excluded.created_by, comment = excluded.comment,
      updated_at = excluded.updated_at`,
  insertChange: CHANGE_INSERT_SQL,
  closedGroups: `SELECT group_key, state FROM notify_groups g WHERE next_flush_at IS NULL AND NOT EXISTS (
      SELECT 1 FROM notify_group_alerts m WHERE m.group_key = g.group_key)`,
  deleteGroup: 'DELETE FROM notify_groups WHERE group_key = ? AND next_flush_at IS NULL',
  // Payloads first (migration 10 keeps them apart), while their state rows still say which are old.
  pruneSentPayloads: `DELETE FROM notification_payloads WHERE id IN (
      SELECT id FROM notifications WHERE status = 'sent' AND sent_at < ?)`,
  pruneSent: "DELETE FROM notifications WHERE status = 'sent' AND sent_at < ?",
  closedWithMembers: `SELECT DISTINCT m.group_key FROM notify_group_alerts m
    JOIN notify_groups g ON g.group_key = m.group_key WHERE g.next_flush_at IS NULL`,
} as const;

type Statements = { [K in keyof typeof SQL]: Database.Statement };

/** Most pushed alert updates kept in memory for {@link NotifyStore.readInbox}. */
const MAX_PUSHED = 20_000;

/**
 * Dispatcher, inbox and silence persistence on SQLite (migration 4). `db()` returns the open connection
 * (throws once closed); statements are prepared once per connection. Every multi-row write is one
 * transaction, so a crash leaves an inbox batch either routed or still queued, and a flush's outbox
 * rows and its group's new state either both stored or neither.
 */
export function sqliteNotifyStore(db: () => Database.Database): NotifyStore {
  let cached: {
    db: Database.Database;
    s: Statements;
    lookups: Lookups;
    cache: AlertCache;
    outbox: OutboxEnqueuer;
    dataVersion: Database.Statement;
  } | null = null;
  const prepared = () => {
    const conn = db();
    if (cached?.db !== conn) {
      const s = Object.fromEntries(Object.entries(SQL).map(([k, sql]) => [k, conn.prepare(sql)])) as Statements;
      cached = {
        db: conn,
        s,
        lookups: notifyLookups(conn),
        cache: new AlertCache(),
        outbox: outboxEnqueuer(conn),
        dataVersion: conn.prepare('PRAGMA data_version').pluck(),
      };
    }
    return cached;
  };
  const stmts = () => prepared().s;
  /**
   * Runs `body` in one read transaction after syncing the alert cache with `PRAGMA data_version` (read
   * first in it: the version of the snapshot the body reads), so cached records are never older than
   * the rows read with them.
   */
  const readAlerts = <T>(body: (l: Lookups, cache: AlertCache) => T): T => {
    const { db: conn, lookups, cache, dataVersion } = prepared();
    return conn.transaction(() => {
      cache.sync(dataVersion.get() as number);
      return body(lookups, cache);
    })();
  };
  // The alert updates this process pushed and the dispatcher has not routed yet, by inbox id: reading
  // them back spares parsing the JSON just written (most of readInbox). Only an optimisation: the
  // rows are in the store, and rows another process pushed are parsed. Bounded, in case nothing routes.
  const pushed = new Map<string, InboundAlert>();
  /** Runs `body` in one IMMEDIATE transaction (write lock up front: no upgrade deadlock with a reader). */
  const write = (what: string, body: (s: Statements, l: Lookups) => void): void => {
    try {
      const { db: conn, s, lookups } = prepared();
      conn.transaction(() => body(s, lookups)).immediate();
    } catch (err) {
      throw sqliteStoreError(what, err);
    }
  };
  const upsertGroup = (s: Statements, g: NotifyGroupRecord) =>
    s.upsertGroup.run(
      g.key,
      g.routeId,
      g.receiver,
      JSON.stringify(g.groupLabels),
      JSON.stringify(g.state),
      g.nextFlushAt
    );
  /**
   * Deletes every membership of the groups `keys`, then the resolved alerts no group holds any more
   * (in the caller's transaction); returns the fingerprints those memberships held, one per membership.
   */
  const dropMemberships = (l: Lookups, keys: readonly string[]): string[] => {
    const members = l.members.all(keys).map((r) => r.fingerprint);
    if (members.length > 0) {
      l.deleteMembersOf.run(keys);
      l.dropResolved.run(members);
    }
    return members;
  };
  /** Rows by key, mapped, in the order of the keys' first occurrence; missing keys are left out. */
  const rowsBy = <R, T>(
    rows: (keys: readonly string[]) => R[],
    keyOf: (r: R) => string,
    keys: readonly string[],
    map: (r: R) => T
  ): T[] => {
    const byKey = new Map(rows(keys).map((r) => [keyOf(r), r]));
    const out: T[] = [];
    for (const k of new Set(keys)) {
      const row = byKey.get(k);
      if (row !== undefined) {
        out.push(map(row));
      }
    }
    return out;
  };

  return {
    async pushInbound(alerts, receivedAt) {
      if (alerts.length === 0) {
        return;
      }
      const rows = alerts.map((a) => inboxInsertArgs(a, receivedAt));
      write(`pushing ${alerts.length} alert update(s) to the inbox`, (s) => {
        for (const args of rows) {
          s.insertInbox.run(...args);
        }
      });
      if (pushed.size < MAX_PUSHED) {
        rows.forEach((args, i) => pushed.set(args[0] as string, alerts[i]));
      }
    },

    async readInbox(limit) {
      const { s, lookups } = prepared();
      const rows = s.readInbox.all(Math.max(0, Math.floor(limit))) as Array<{ id: string; received_at: number }>;
      const missing = rows.filter((r) => !pushed.has(r.id)).map((r) => r.id);
      const texts = new Map(missing.length > 0 ? lookups.inboxAlerts.all(missing).map((r) => [r.id, r.alert]) : []);
      const out: InboxEntry[] = [];
      for (const r of rows) {
        const alert = pushed.get(r.id) ?? texts.get(r.id);
        if (alert === undefined) {
          continue; // Routed by another process between the two reads.
        }
        out.push({
          id: r.id,
          receivedAt: Number(r.received_at),
          alert: typeof alert === 'string' ? (JSON.parse(alert) as InboundAlert) : alert,
        });
      }
      return out;
    },

    async oldestInbox() {
      return num((stmts().oldestInbox.get() as { at: number | null }).at);
    },

    async getNotifyAlerts(fingerprints) {
      // As groupAlerts: the records from the cache (an ingest of resolves reads back every alert it
      // resolves), the others read in full and kept.
      const byFingerprint = readAlerts((lookups, cache) => {
        const found = new Map<string, NotifyAlertRecord>();
        const missing: string[] = [];
        for (const f of fingerprints) {
          const hit = cache.get(f);
          if (hit) {
            found.set(f, hit);
          } else {
            missing.push(f);
          }
        }
        if (missing.length > 0) {
          for (const r of lookups.alerts.all(missing)) {
            found.set(r.fingerprint, cache.keepRead(toAlert(r)));
          }
        }
        return found;
      });
      const out: NotifyAlertRecord[] = [];
      for (const f of new Set(fingerprints)) {
        const a = byFingerprint.get(f);
        if (a !== undefined) {
          out.push(a);
        }
      }
      return out;
    },

    async getGroups(keys) {
      return rowsBy(
        (k) => prepared().lookups.groups.all(k),
        (r) => r.group_key,
        keys,
        toGroup
      );
    },

    async commitIngest(c: IngestCommit) {
      const written: NotifyAlertRecord[] = [];
      let dropped: string[] = [];
      write(`routing ${c.inboxIds.length} inbox row(s)`, (s, l) => {
        for (const a of c.alerts) {
          const { changes } = s.upsertAlert.run(
            a.fingerprint,
            a.source,
            a.status,
            JSON.stringify(a.labels),
            JSON.stringify(a.annotations),
            a.startsAt,
            a.endsAt,
            finite(a.value),
            finite(a.threshold),
            a.generatorURL ?? null,
            JSON.stringify(a.actions),
            a.updatedAt
          );
          if (changes > 0) {
            written.push(a);
          }
        }
        for (const g of c.groups) {
          upsertGroup(s, g);
        }
        // A reopened group's memberships are those its closing flush left: done with, dropped first
        // (an alert of this batch among them is firing now, so it stays).
        dropped = c.reopened?.length ? dropMemberships(l, c.reopened) : [];
        for (const m of c.memberships) {
          s.addMember.run(m.groupKey, m.fingerprint);
        }
        if (c.incidents) {
          // Correlation's decisions commit with the routing they made (issue 11).
          applyIncidentWrites(db(), c.incidents);
        }
        l.deleteInbox.run(c.inboxIds);
      });
      // Committed: what the rows now hold.
      prepared().cache.forget(dropped);
      prepared().cache.keepWritten(written);
      for (const id of c.inboxIds) {
        pushed.delete(id);
      }
    },

    async dueGroups(now, limit) {
      return (stmts().dueGroups.all(now, Math.max(0, Math.floor(limit))) as GroupRow[]).map(toGroup);
    },

    async nextGroupFlush() {
      return num((stmts().nextFlush.get() as { at: number | null }).at);
    },

    async groupAlerts(keys) {
      const out = new Map<string, NotifyAlertRecord[]>(keys.map((k) => [k, []]));
      // Memberships; the records from the cache, else read in full (and kept).
      readAlerts((lookups, cache) => {
        const missing: Array<{ group: string; fingerprint: string }> = [];
        for (const row of lookups.members.all(keys)) {
          const hit = cache.get(row.fingerprint);
          if (hit) {
            out.get(row.member_of)?.push(hit);
          } else {
            missing.push({ group: row.member_of, fingerprint: row.fingerprint });
          }
        }
        if (missing.length > 0) {
          const read = new Map(
            lookups.alerts
              .all(missing.map((m) => m.fingerprint))
              .map((r) => [r.fingerprint, cache.keepRead(toAlert(r))])
          );
          for (const m of missing) {
            const a = read.get(m.fingerprint);
            if (a) {
              out.get(m.group)?.push(a);
            }
          }
        }
      });
      // Each group's list by starts_at, then fingerprint. Sorted here rather than with ORDER BY: SQLite
      // copied every joined row, JSON columns and all, into a sorter (a third of a flush burst's read).
      // Fingerprints are hex, so comparing code units is SQLite's byte order.
      for (const list of out.values()) {
        list.sort(
          (a, b) =>
            a.startsAt - b.startsAt || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)
        );
      }
      return out;
    },

    async commitFlush(flushes: readonly FlushCommit[], handoff?: OutboxHandoff) {
      if (flushes.length === 0) {
        return [];
      }
      let claimed: OutboxRecord[] = [];
      write(`flushing ${flushes.length} notification group(s)`, (s, l) => {
        // Built afresh on each try: a failed transaction claimed nothing.
        claimed = [];
        const { outbox } = prepared();
        for (const f of flushes) {
          for (const n of f.notifications) {
            if (handoff && claimed.length < handoff.limit) {
              const r = outbox.enqueueClaimed(n, n.createdAt, handoff.worker, handoff.claimedUntil);
              if (r !== null && r !== 'pending') {
                claimed.push(r);
              }
            } else {
              outbox.enqueue(n);
            }
          }
          upsertGroup(s, f.group);
          if (f.removeFingerprints.length > 0) {
            l.removeMembers.run(f.removeFingerprints, f.group.key);
            // A resolved alert no group holds any more has been reported everywhere: forget it.
            l.dropResolved.run(f.removeFingerprints);
          }
        }
      });
      for (const f of flushes) {
        prepared().cache.forget(f.removeFingerprints);
      }
      return claimed;
    },

    async releaseClosedGroups(keys) {
      let members: string[] = [];
      write('releasing the alerts of closed groups', (s, l) => {
        const closed =
          keys === undefined
            ? (s.closedWithMembers.all() as Array<{ group_key: string }>).map((r) => r.group_key)
            : l.closedGroupKeys.all(keys).map((r) => r.group_key);
        members = closed.length > 0 ? dropMemberships(l, closed) : [];
      });
      prepared().cache.forget(members);
      return members.length;
    },

    async pruneNotify(before) {
      let groups = 0;
      let notifications = 0;
      write('pruning old notification groups and sent notifications', (s) => {
        // The state is JSON (core GroupState): its age is read here rather than with SQL JSON functions,
        // which SQLite and PostgreSQL spell differently.
        for (const row of s.closedGroups.all() as Array<{ group_key: string; state: string }>) {
          const state = JSON.parse(row.state) as GroupState;
          if ((state.lastNotified?.at ?? state.firstAlertAt) < before) {
            groups += s.deleteGroup.run(row.group_key).changes;
          }
        }
        s.pruneSentPayloads.run(before);
        notifications = s.pruneSent.run(before).changes;
        s.sweepResolved.run();
      });
      prepared().cache.clear();
      return { groups, notifications };
    },

    async countOpenGroups() {
      return (stmts().countOpenGroups.get() as { n: number }).n;
    },

    async listGroups() {
      return (stmts().listGroups.all() as GroupRow[]).map(toGroup);
    },

    async firingAlertLabels() {
      return (stmts().firingLabels.all() as Array<{ labels: string }>).map(
        (r) => JSON.parse(r.labels) as Record<string, string>
      );
    },

    async listSilences(opts = {}) {
      const s = stmts();
      const rows = (
        opts.expiredSince === undefined ? s.listSilences.all() : s.listSilencesSince.all(opts.expiredSince)
      ) as SilenceRow[];
      return rows.map(toSilence);
    },

    async getSilence(id) {
      const row = stmts().getSilence.get(id) as SilenceRow | undefined;
      return row ? toSilence(row) : null;
    },

    async putSilence(silence, user, action) {
      write(`saving silence "${silence.id}"`, (s) => {
        s.upsertSilence.run(
          silence.id,
          JSON.stringify(silence.matchers),
          silence.startsAt,
          silence.endsAt,
          silence.createdBy,
          silence.comment,
          silence.updatedAt
        );
        s.insertChange.run(
          ...changeInsertArgs({
            at: silence.updatedAt,
            user,
            action,
            objectType: 'silence',
            objectId: silence.id,
            detail: silence,
          })
        );
      });
    },
  };
}
