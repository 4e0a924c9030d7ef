import { anomalyMessage, anomalyMetadata, severityForConfidence, type ScoringMode } from '@vigil/core';
import type { NewEvent } from '../store';
import type { Incident } from './incident';

/** The kind of anomaly events in the store. */
export const ANOMALY_KIND = 'anomaly';

/** What an event needs to know about the detector and the series. */
export interface EventContext {
  detector: string;
  datasource: string;
  query: string;
  scoring: ScoringMode;
  seriesKey: string;
  /** The series' own labels. */
  seriesLabels: Record<string, string>;
  /** The detector's configured labels. */
  labels: Record<string, string>;
}

/**
 * The stored event of an incident, shaped so it can become an alert later without change: the
 * guide's message and metadata (anomaly_type, z_score, baseline_mean, baseline_stdev, confidence,
 * severity, detection_method), plus `labels` (series labels, the detector's labels and
 * `detector`) as an alert's identity, and `status` open/closed. Severity follows the guide's mapping
 * of the incident's peak confidence (> 0.9 error, > 0.7 warning, else info); the message and the
 * statistics are those of the peak point, the type that of the point that opened the incident.
 */
export function anomalyEvent(inc: Incident, ctx: EventContext): NewEvent & { id: string; endedAt: number | null } {
  const peak = anomalyMetadata(inc.peak, ctx.scoring);
  const severity = severityForConfidence(inc.peak.confidence);
  return {
    id: inc.id,
    kind: ANOMALY_KIND,
    seriesKey: ctx.seriesKey,
    startedAt: inc.startedAt,
    endedAt: inc.endedAt,
    severity,
    message: anomalyMessage(ctx.seriesKey, inc.peak),
    metadata: {
      ...peak,
      anomaly_type: inc.first.anomalyType,
      severity,
      detector: ctx.detector,
      datasource: ctx.datasource,
      query: ctx.query,
      labels: { ...ctx.seriesLabels, ...ctx.labels, detector: ctx.detector },
      series_labels: ctx.seriesLabels,
      status: inc.endedAt === null ? 'open' : 'closed',
      points: inc.points,
      peak_value: inc.peak.value,
      peak_at: inc.peak.timestamp,
      last_anomaly_at: inc.lastAnomalyAt,
    },
  };
}
