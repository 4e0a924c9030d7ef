/**
 * Pure transforms behind the Alert rules page's expanded row: a rule's alert instances (which series
 * fire, their value against the threshold, since when) and one instance's transitions, as the table
 * shows them. Kept out of the components so they are tested without rendering.
 */
import type { AlertView } from '@vigil/core';
import type { AlertState, Transition } from '@vigil/core/rules/types';
import { formatDuration, formatUtc } from '../anomalyRows';

/** How an instance is listed under its rule. */
export interface InstanceRow {
  fingerprint: string;
  state: AlertState;
  /** The labels as `k=v`, sorted by key so the same series always reads the same. */
  labels: string[];
  /** "93.2 > 80" style: the value, the comparison is the rule's, so only value and threshold. */
  value: string;
  threshold: string;
  /** "5m 10s ago" (relative to `now`) and the absolute UTC time. */
  sinceRelative: string;
  sinceUtc: string;
  /** The rendered summary annotation, or '' without one. */
  summary: string;
  error?: string;
}

/** How one transition of an instance is listed in its history. */
export interface TransitionRow {
  key: string;
  at: string;
  from: AlertState;
  to: AlertState;
  /** "firing" / "resolved" for the two transitions that notify, '' for the others. */
  event: string;
  value: string;
}

// Most urgent first, so the series a person opens the row for are at the top.
const STATE_ORDER: Record<AlertState, number> = {
  firing: 0,
  error: 1,
  pending: 2,
  recovering: 3,
  nodata: 4,
  normal: 5,
};

/** A sample value as shown: up to 4 significant digits, "—" when there is none (NoData, Error). */
export function formatValue(v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    return '—';
  }
  return String(Number(v.toPrecision(4)));
}

/** Labels as sorted `k=v` chips. */
export function labelChips(labels: Record<string, string>): string[] {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`);
}

/** "3m 5s ago" for a past time, "just now" within a second (clock skew included). */
export function formatAgo(at: number, now: number): string {
  if (!Number.isFinite(at) || !Number.isFinite(now)) {
    return '—';
  }
  const d = now - at;
  return d < 1000 ? 'just now' : `${formatDuration(d)} ago`;
}

/**
 * A rule's active instances (every state but Normal) as rows, most urgent state first, then the
 * longest-standing first. Normal series are left out: the row lists what needs a look.
 */
export function toInstanceRows(alerts: readonly AlertView[], now: number): InstanceRow[] {
  return alerts
    .filter((a) => a.state !== 'normal')
    .sort((a, b) => (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9) || a.since - b.since)
    .map((a) => ({
      fingerprint: a.fingerprint,
      state: a.state,
      labels: labelChips(a.labels ?? {}),
      value: formatValue(a.value),
      threshold: formatValue(a.threshold),
      sinceRelative: formatAgo(a.since, now),
      sinceUtc: formatUtc(a.since),
      summary: a.annotations?.summary ?? '',
      ...(a.error ? { error: a.error } : {}),
    }));
}

/** An instance's transitions as rows, in the order given (the sidecar sends newest first). */
export function toTransitionRows(history: readonly Transition[]): TransitionRow[] {
  return history.map((t, i) => ({
    key: `${t.at}-${i}`,
    at: formatUtc(t.at),
    from: t.from,
    to: t.to,
    event: t.event ?? '',
    value: formatValue(t.value),
  }));
}
