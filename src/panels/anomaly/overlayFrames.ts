import {
  type DataFrame,
  type Field,
  FieldColorModeId,
  FieldType,
  getDisplayProcessor,
  getFieldDisplayName,
  type GrafanaTheme2,
} from '@grafana/data';
import {
  type ChartParts,
  chartFrames,
  columnsOverlay,
  detectionOverlay,
  metricField,
  numbers,
  rangeOf,
} from './chartFields';
import type { DetectorOptions } from '@vigil/core';
import type { DetectJob } from './detectBatch';
import { detectSeries, panelDetectorOptions, type SeriesDetection } from './detectSeries';
import type { SeriesOverlay } from './drawOverlay';
import { groupIncidents, type Incident, markedPoints, trackedIncidents } from './incidents';
import { markedColumns, named, spread } from './markedColumns';
import { defaultAnomalyOptions, type DetectorSettings } from './types';

/**
 * Field names with a meaning in the overlay (matched case-insensitively): the detector's expected
 * value and band, and its anomaly marks. `score`, `confidence` and `anomaly_type` are the detector's
 * other outputs and are not drawn.
 */
export const OVERLAY_FIELDS = ['expected', 'lower', 'upper', 'anomaly', 'score', 'confidence', 'anomaly_type'] as const;

/** Frames ready for the time series chart (the metric lines), the overlay drawn over them, and what they contain. */
export interface OverlayFrames {
  frames: DataFrame[];
  /** Each metric's expected value, band and anomalies, drawn over its line (drawOverlay.ts). */
  overlays: SeriesOverlay[];
  /** How many metric series are drawn. */
  seriesCount: number;
  /** How many points are marked as anomalies. */
  anomalyCount: number;
  /** Whether an expected band (lower/upper) is drawn. */
  hasBand: boolean;
  /** Whether the panel ran the detector itself (some frame came without expected/lower/upper/anomaly). */
  detected: boolean;
  /**
   * When the panel ran the detector: the time from which every detected series can have marks
   * (see SeriesDetection.marksFrom); null when some series is too short for any.
   */
  marksFrom: number | null;
  /**
   * Incidents per series, oldest first: for series the panel ran the detector on, as the sidecar's
   * IncidentTracker (@vigil/core) groups them; for frames that came marked, consecutive marks.
   */
  incidents: Incident[];
  /**
   * When the panel ran the detector: the fewest points it learned on any series (the sidecar's
   * detector also learns its lookback of history, so near the start of a short range the two may
   * differ); null otherwise.
   */
  learnedPoints: number | null;
  /**
   * Series whose detection was deferred ({@link OverlayOptions.deferFrom}): their overlays and
   * incidents are not in yet ({@link withDetections} adds them); empty when everything is in.
   */
  pending: DetectJob[];
  /** The detector's options (for the deferred series). */
  detectorOptions: DetectorOptions;
  /** Each drawn metric's overlay part in order: given by its frame, or a detector job. */
  slots: OverlaySlot[];
}

/** A metric's overlay and incidents from its frame's verdicts, or the detector job that gives them. */
export type OverlaySlot = { overlay: SeriesOverlay; incidents: Incident[] } | { job: DetectJob };

/** How {@link overlayFrames} runs the detector. */
export interface OverlayOptions {
  /**
   * Leave the detection to the caller ({@link OverlayFrames.pending}) when the series to detect hold
   * at least this many points together (default: never, detected here).
   */
  deferFrom?: number;
}

function isOverlay(field: Field): boolean {
  return (OVERLAY_FIELDS as readonly string[]).includes(field.name.toLowerCase());
}

/** A metric the overlay draws: a number field that is not one of the detector's outputs. */
function isMetric(field: Field): boolean {
  return field.type === FieldType.number && !isOverlay(field);
}

/**
 * Widens the y axis of the metrics that have a band to take the band in (Grafana's soft min and max:
 * the data can still go beyond). One range per unit, so metrics that shared an axis still share it.
 */
function fitBands(metrics: Field[], overlays: SeriesOverlay[]): void {
  const byUnit = new Map<string, { min: number; max: number }>();
  const unitOf = (f: Field | undefined) => f?.config.unit ?? '';
  for (const o of overlays) {
    const known = o.band?.range;
    const r = known
      ? { ...known, delta: known.max - known.min }
      : o.band
        ? rangeOf(o.band.lower, o.band.upper)
        : { min: 0, max: 0, delta: 0 };
    const m = metrics.find((f) => f.name === o.label);
    if (!m || r.delta === 0) {
      continue;
    }
    const u = byUnit.get(unitOf(m)) ?? { min: r.min, max: r.max };
    byUnit.set(unitOf(m), { min: Math.min(u.min, r.min), max: Math.max(u.max, r.max) });
  }
  for (const m of metrics) {
    const soft = byUnit.get(unitOf(m));
    if (soft) {
      m.config.custom = { ...m.config.custom, axisSoftMin: soft.min, axisSoftMax: soft.max };
    }
  }
}

/**
 * Turns the panel's frames into chart frames, one line per numeric field, and the overlay drawn over
 * each line: its expected value (dashed), its band lower..upper (filled) and its anomalies (red
 * points), with the anomalies grouped into incidents. A frame that carries `expected`/`lower`/
 * `upper`/`anomaly` fields (e.g. from the sidecar's `/api/v1/detect`) is drawn as it is, for its first
 * metric; otherwise the panel runs @vigil/core's detector, the sidecar's, over each metric (or leaves
 * it pending: `run.deferFrom`). Throws a RangeError on bad options.
 */
export function overlayFrames(
  series: DataFrame[],
  theme: GrafanaTheme2,
  options: DetectorSettings = defaultAnomalyOptions,
  run: OverlayOptions = {}
): OverlayFrames {
  const detectorOptions = panelDetectorOptions(options);
  const parts: ChartParts[] = [];
  const slots: OverlaySlot[] = [];
  let seriesCount = 0;
  const palette = theme.visualization.palette;

  for (const frame of series) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    if (!time) {
      continue;
    }
    const metrics = frame.fields.filter(isMetric);
    const lines: Field[] = [];
    const marked = ['expected', 'lower', 'upper', 'anomaly'].some((n) => named(frame, n));

    metrics.forEach((m, k) => {
      const name = getFieldDisplayName(m, frame, series);
      const values = numbers(m);
      // a colour chosen in the field config (or an override) wins over the palette
      const fixed = m.config.color?.mode === FieldColorModeId.Fixed ? m.config.color.fixedColor : undefined;
      const color = theme.visualization.getColorByName(fixed ?? palette[seriesCount % palette.length]);
      lines.push(metricField(m, name, values, color, theme, rangeOf(values)));
      seriesCount++;
      if (marked && k === 0) {
        const marks = markedColumns(frame, values);
        const incidents: Incident[] = [];
        if (marks.anomaly) {
          const confidenceField = named(frame, 'confidence');
          const scoreField = named(frame, 'score');
          const columns = {
            ...marks,
            times: time.values,
            values,
            marks: marks.anomaly.values,
            at: marks.anomaly.at,
            types: named(frame, 'anomaly_type')?.values,
            confidence: confidenceField?.values,
            scores: scoreField?.values,
          };
          incidents.push(...groupIncidents(name, markedPoints(name, columns, options.sensitivity)));
        }
        slots.push({ overlay: columnsOverlay(name, time.values, marks), incidents });
      } else if (!marked) {
        slots.push({ job: { metric: name, times: time.values, values } });
      }
    });
    if (metrics.length === 0 && marked) {
      // overlay fields without a metric: their band as the line, named after the frame
      const label = frame.name ?? `series ${parts.length + 1}`;
      const marks = markedColumns(frame, undefined);
      const band = named(frame, 'expected') ?? named(frame, 'upper') ?? named(frame, 'lower');
      const values = band ? numbers(band) : marks.anomaly && spread(marks.anomaly, time.values.length);
      if (values) {
        const color = theme.visualization.getColorByName('text');
        const source: Field = { name: label, type: FieldType.number, values, config: {} };
        lines.push(metricField(source, label, values, color, theme, rangeOf(values)));
        slots.push({ overlay: columnsOverlay(label, time.values, marks), incidents: [] });
      }
    }
    parts.push({
      frame,
      time: { ...time, display: time.display ?? getDisplayProcessor({ field: time, theme }) },
      metrics: lines,
    });
  }
  const jobs = slots.flatMap((s) => ('job' in s ? [s.job] : []));
  const points = jobs.reduce((sum, j) => sum + j.values.length, 0);
  const defer = jobs.length > 0 && points >= (run.deferFrom ?? Number.POSITIVE_INFINITY);
  const base: OverlayFrames = {
    frames: chartFrames(parts),
    overlays: [],
    seriesCount,
    anomalyCount: 0,
    hasBand: false,
    detected: jobs.length > 0,
    marksFrom: null,
    incidents: [],
    learnedPoints: null,
    pending: jobs,
    detectorOptions,
    slots,
  };
  const done = defer ? null : jobs.map((j) => detectSeries(j.metric, j.times, j.values, detectorOptions));
  const out = withDetections(base, done ?? []);
  if (done) {
    // the y axes take the bands in (before the chart is given the fields: no later change of them)
    fitBands(
      parts.flatMap((p) => p.metrics),
      out.overlays
    );
  }
  return out;
}

/**
 * The overlay with the detections of its pending series (in {@link OverlayFrames.pending}'s order)
 * added; the same chart frames. With fewer detections than jobs (none yet), the rest stay pending.
 */
export function withDetections(base: OverlayFrames, detections: SeriesDetection[]): OverlayFrames {
  const overlays: SeriesOverlay[] = [];
  const incidents: Incident[] = [];
  const pending: DetectJob[] = [];
  let marksFrom: number | null = Number.NEGATIVE_INFINITY;
  let learnedPoints: number | null = null;
  let k = 0;
  for (const slot of base.slots) {
    if (!('job' in slot)) {
      overlays.push(slot.overlay);
      incidents.push(...slot.incidents);
      continue;
    }
    const d = detections[k++];
    if (!d) {
      pending.push(slot.job);
      continue;
    }
    marksFrom = d.marksFrom === null || marksFrom === null ? null : Math.max(marksFrom, d.marksFrom);
    learnedPoints = learnedPoints === null ? d.learned : Math.min(learnedPoints, d.learned);
    if (d.scored) {
      overlays.push(detectionOverlay(slot.job.metric, slot.job.times, d));
      incidents.push(...trackedIncidents(slot.job.metric, d.incidents, d.indexOf));
    }
  }
  incidents.sort((a, b) => a.start - b.start);
  return {
    ...base,
    overlays,
    anomalyCount: overlays.reduce((n, o) => n + o.anomalies.t.length, 0),
    hasBand: overlays.some((o) => o.band !== undefined),
    marksFrom: base.detected && pending.length === 0 ? marksFrom : null,
    incidents,
    learnedPoints: pending.length === 0 ? learnedPoints : null,
    pending,
  };
}
