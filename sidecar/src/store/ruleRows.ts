/**
 * The rows of `rules` and `changes` (the audit log) and what both stores make of them (sqliteRules.ts,
 * pg/pgRules.ts, and every store that records a change in its own transaction).
 */
import { randomUUID } from 'node:crypto';
import type { NormalizedRuleBody, RuleOrigin } from '@vigil/core';
import { VigilError } from '../errors';
import type { ChangeRecord, RuleRecord } from './store';

/** A `rules` row. */
export interface RuleRow {
  id: string;
  origin: string;
  file: string | null;
  body: string;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
  version: number;
}

/** A `changes` row (the audit log). */
export interface ChangeRow {
  at: number;
  user_name: string;
  action: string;
  object_type: string;
  object_id: string;
  detail: string;
}

/** A `rules` row as the store returns it. */
export const toRuleRecord = (r: RuleRow): RuleRecord => ({
  id: r.id,
  origin: r.origin as RuleOrigin,
  file: r.file,
  body: JSON.parse(r.body) as NormalizedRuleBody,
  createdAt: Number(r.created_at),
  createdBy: r.created_by,
  updatedAt: Number(r.updated_at),
  updatedBy: r.updated_by,
  version: Number(r.version),
});

// Change ids sort in insertion order (time, then a per-process sequence), so changes recorded in the
// same millisecond still list newest first; the random tail keeps two processes' ids apart.
let changeSeq = 0;
const changeId = () =>
  `${Date.now().toString(36).padStart(9, '0')}-${(changeSeq++ % 1e9).toString(36).padStart(6, '0')}-${randomUUID().slice(0, 8)}`;

/** The statement that records a change (audit log), for stores that record one in their own transaction. */
export const CHANGE_INSERT_SQL = `INSERT INTO changes (id, at, user_name, action, object_type, object_id, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?)`;

/** The parameters of {@link CHANGE_INSERT_SQL} for one change (a new id that sorts in insertion order). */
export function changeInsertArgs(c: ChangeRecord): unknown[] {
  return [changeId(), c.at, c.user, c.action, c.objectType, c.objectId, JSON.stringify(c.detail ?? null)];
}

/** A lost update (a stale `expectedVersion`, a create of an existing id): 409. */
export const conflict = (message: string) => new VigilError('conflict', message, { status: 409 });

/** A `changes` row as the store returns it. */
export const toChangeRecord = (r: ChangeRow): ChangeRecord => ({
  at: Number(r.at),
  user: r.user_name,
  action: r.action as ChangeRecord['action'],
  objectType: r.object_type as ChangeRecord['objectType'],
  objectId: r.object_id,
  detail: JSON.parse(r.detail) as unknown,
});
