/**
 * What a person reads under the backtest chart: how many times the rule would have fired, for how long,
 * and each firing / resolved event. Pure.
 */
import type { PreviewResponse } from '@vigil/core';
import { formatDuration, formatUtc } from '../../anomalyRows';
import { labelText } from './chartModel';

/** One line of the events list. */
export interface PreviewEventRow {
  key: string;
  at: string;
  event: 'firing' | 'resolved';
  series: string;
  value: string;
  threshold: string;
}

/** The summary of a backtest. */
export interface PreviewSummary {
  fired: number;
  resolved: number;
  seriesCount: number;
  /** Total time some instance was firing (intervals of different instances may overlap). */
  firingMs: number;
  /** "Would have fired 3 times in the last 24 hours (2 series, 1h 5m firing in total)". */
  text: string;
  events: PreviewEventRow[];
}

const fmt = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : String(Number(v.toPrecision(6))));

/** Summarizes a backtest over `rangeText` ("the last 24 hours"); events newest first. */
export function summarizePreview(preview: PreviewResponse, rangeText: string): PreviewSummary {
  const withEvent = preview.events.filter((e) => e.event === 'firing' || e.event === 'resolved');
  const fired = withEvent.filter((e) => e.event === 'firing').length;
  const firingMs = preview.intervals
    .filter((iv) => iv.state === 'firing')
    .reduce((sum, iv) => sum + Math.max(0, iv.to - iv.from), 0);
  const seriesCount = preview.series.length;
  const times = fired === 1 ? 'once' : `${fired} times`;
  const details = [`${seriesCount} ${seriesCount === 1 ? 'series' : 'series'}`];
  if (firingMs > 0) {
    details.push(`${formatDuration(firingMs)} firing in total`);
  }
  return {
    fired,
    resolved: withEvent.length - fired,
    seriesCount,
    firingMs,
    text: `${fired === 0 ? 'Would not have fired' : `Would have fired ${times}`} in ${rangeText} (${details.join(', ')})`,
    events: withEvent
      .slice()
      .sort((a, b) => b.at - a.at || a.fingerprint.localeCompare(b.fingerprint))
      .map((e, i) => ({
        key: `${e.fingerprint}-${e.at}-${i}`,
        at: formatUtc(e.at),
        event: e.event as 'firing' | 'resolved',
        series: labelText(e.labels),
        value: fmt(e.value),
        threshold: fmt(e.threshold),
      })),
  };
}
