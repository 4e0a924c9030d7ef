/**
 * Pure transforms behind the silence list: the sidecar's silences in Alertmanager's order (active,
 * then pending, then expired), with their matchers as text and their end relative to now.
 */
import { formatMatcher, type SilenceState, type SilenceView } from '@vigil/core';
import { formatUtc } from '../anomalyRows';
import { parseTime, relativeTime } from './channelRows';

/** A silence as the list shows it. */
export interface SilenceRow {
  id: string;
  state: SilenceState;
  /** `alertname="HighLatency"` chips. */
  matchers: string[];
  startsUtc: string;
  endsUtc: string;
  /** "in 1h 59m" for an active or pending silence, "3m ago" for an expired one. */
  endsRelative: string;
  createdBy: string;
  comment: string;
  /** Only active and pending silences can be expired. */
  expirable: boolean;
}

const STATE_ORDER: Record<SilenceState, number> = { active: 0, pending: 1, expired: 2 };

/**
 * Silences as rows: active ones ending soonest first, then pending ones starting soonest first, then
 * expired ones most recently ended first (Alertmanager's silence list order).
 */
export function toSilenceRows(silences: readonly SilenceView[], now: number): SilenceRow[] {
  const key = (s: SilenceView) => {
    const t = s.state === 'pending' ? parseTime(s.startsAt) : parseTime(s.endsAt);
    const v = Number.isFinite(t) ? t : 0;
    return s.state === 'expired' ? -v : v;
  };
  return [...silences]
    .sort((a, b) => (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9) || key(a) - key(b))
    .map((s) => {
      const ends = parseTime(s.endsAt);
      return {
        id: s.id,
        state: s.state,
        matchers: s.matchers.map(formatMatcher),
        startsUtc: formatUtc(parseTime(s.startsAt)),
        endsUtc: formatUtc(ends),
        endsRelative: relativeTime(ends, now),
        createdBy: s.createdBy,
        comment: s.comment,
        expirable: s.state !== 'expired',
      };
    });
}
