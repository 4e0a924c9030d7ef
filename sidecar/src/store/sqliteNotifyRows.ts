/** Rows of the dispatcher's tables (migration 4) and their mapping to records. */
import type { GroupState, Matcher } from '@vigil/core';
import type { NotifyAlertRecord, NotifyGroupRecord, SilenceRecord } from './notifyStore';

/** A `notify_alerts` row (JSON columns as TEXT). */
export interface AlertRow {
  fingerprint: string;
  source: string;
  status: string;
  labels: string;
  annotations: string;
  starts_at: number;
  ends_at: number | null;
  value: number | null;
  threshold: number | null;
  generator_url: string | null;
  actions: string;
  updated_at: number;
}

/** A `notify_groups` row; `state` is core `GroupState` as JSON. */
export interface GroupRow {
  group_key: string;
  route_id: string;
  receiver: string;
  group_labels: string;
  state: string;
  next_flush_at: number | null;
}

/** A `silences` row; `matchers` is JSON. */
export interface SilenceRow {
  id: string;
  matchers: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  updated_at: number;
}

/** A nullable BIGINT/DOUBLE column as a number (drivers may hand back strings or bigints). */
export const num = (v: number | null): number | null => (v === null ? null : Number(v));
/** NaN and ±Infinity as null: SQLite turns NaN into NULL and PostgreSQL stores infinities oddly. */
export const finite = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);

/** A `notify_alerts` row as a record (`generatorURL` left out when unknown). */
export function toAlert(r: AlertRow): NotifyAlertRecord {
  const a: NotifyAlertRecord = {
    fingerprint: r.fingerprint,
    source: r.source as NotifyAlertRecord['source'],
    status: r.status as NotifyAlertRecord['status'],
    labels: JSON.parse(r.labels) as Record<string, string>,
    annotations: JSON.parse(r.annotations) as Record<string, string>,
    startsAt: Number(r.starts_at),
    endsAt: num(r.ends_at),
    value: num(r.value),
    threshold: num(r.threshold),
    actions: JSON.parse(r.actions) as string[],
    updatedAt: Number(r.updated_at),
  };
  if (r.generator_url !== null) {
    a.generatorURL = r.generator_url;
  }
  return a;
}

/** A `notify_groups` row as a record. */
export const toGroup = (r: GroupRow): NotifyGroupRecord => ({
  key: r.group_key,
  routeId: r.route_id,
  receiver: r.receiver,
  groupLabels: JSON.parse(r.group_labels) as Record<string, string>,
  state: JSON.parse(r.state) as GroupState,
  nextFlushAt: num(r.next_flush_at),
});

/** A `silences` row as a record. */
export const toSilence = (r: SilenceRow): SilenceRecord => ({
  id: r.id,
  matchers: JSON.parse(r.matchers) as Matcher[],
  startsAt: Number(r.starts_at),
  endsAt: Number(r.ends_at),
  createdBy: r.created_by,
  comment: r.comment,
  updatedAt: Number(r.updated_at),
});
