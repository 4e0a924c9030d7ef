import {
  type DataFrame,
  type Field,
  FieldColorModeId,
  FieldType,
  getDisplayProcessor,
  getFieldDisplayName,
  type GrafanaTheme2,
} from '@grafana/data';
import { GraphDrawStyle, LineInterpolation, VisibilityMode } from '@grafana/schema';
import { detectSeries, panelDetectorOptions, type Value } from './detectSeries';
import { groupIncidents, type Incident, markedPoints, trackedIncidents } from './incidents';
import { defaultAnomalyOptions, type AnomalyOptions } from './types';

/**
 * Field names with a meaning in the overlay (matched case-insensitively): the detector's expected
 * value and band, and its anomaly marks. `score`, `confidence` and `anomaly_type` are the detector's
 * other outputs and are not drawn.
 */
export const OVERLAY_FIELDS = ['expected', 'lower', 'upper', 'anomaly', 'score', 'confidence', 'anomaly_type'] as const;

/** Frames ready for the time series chart, and what they contain. */
export interface OverlayFrames {
  frames: DataFrame[];
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
}

/** The overlay columns of one metric, from the frame or from the panel's detector. */
interface Overlay {
  expected?: Value[];
  lower?: Value[];
  upper?: Value[];
  anomaly?: Value[];
}

function isOverlay(field: Field): boolean {
  return (OVERLAY_FIELDS as readonly string[]).includes(field.name.toLowerCase());
}

function named(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name.toLowerCase() === name);
}

function numbers(field: Field): Value[] {
  return Array.from(field.values as ArrayLike<unknown>, (v) =>
    typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'boolean' ? Number(v) : null
  );
}

/**
 * Anomaly marks come either as flags (boolean, or only 0/1 values: mark the metric's value) or as
 * the anomalous values themselves with nulls elsewhere.
 */
function anomalyPoints(anomaly: Field, metric: Value[] | undefined): Value[] {
  const values = numbers(anomaly);
  const flags = anomaly.type === FieldType.boolean || values.every((v) => v === null || v === 0 || v === 1);
  if (flags) {
    return values.map((v, i) => (v === 1 && metric ? (metric[i] ?? null) : null));
  }
  return values;
}

function field(name: string, values: Value[], config: Field['config'], theme: GrafanaTheme2): Field {
  const f: Field = { name, type: FieldType.number, values, config };
  f.display = getDisplayProcessor({ field: f, theme });
  return f;
}

/** The overlay columns a frame carries; anomaly flags mark the metric's values. */
function markedOverlay(frame: DataFrame, metric: Value[] | undefined): Overlay {
  const get = (name: string) => {
    const f = named(frame, name);
    return f ? numbers(f) : undefined;
  };
  const anomaly = named(frame, 'anomaly');
  return {
    expected: get('expected'),
    lower: get('lower'),
    upper: get('upper'),
    anomaly: anomaly ? anomalyPoints(anomaly, metric) : undefined,
  };
}

/** Chart fields of one metric's overlay: expected (dashed), band (filled lower..upper), red points. */
function overlayFields(label: string, o: Overlay, unit: string | undefined, theme: GrafanaTheme2): Field[] {
  const color = (name: string) => ({
    mode: FieldColorModeId.Fixed,
    fixedColor: theme.visualization.getColorByName(name),
  });
  const out: Field[] = [];
  if (o.expected) {
    out.push(
      field(
        `${label} expected`,
        o.expected,
        {
          unit,
          color: color('text'),
          custom: {
            drawStyle: GraphDrawStyle.Line,
            lineWidth: 1,
            lineStyle: { fill: 'dash', dash: [6, 4] },
            showPoints: VisibilityMode.Never,
          },
        },
        theme
      )
    );
  }
  if (o.lower && o.upper) {
    const lowerName = `${label} lower`;
    // One legend entry for the band: the upper edge carries the fill and the name; the lower edge
    // is hidden from the legend (the tooltip still shows both values).
    out.push(
      field(
        `${label} expected band`,
        o.upper,
        {
          unit,
          color: color('blue'),
          custom: {
            lineWidth: 0,
            fillOpacity: 15,
            fillBelowTo: lowerName,
            showPoints: VisibilityMode.Never,
            lineInterpolation: LineInterpolation.Linear,
          },
        },
        theme
      ),
      field(
        lowerName,
        o.lower,
        {
          unit,
          color: color('blue'),
          custom: {
            lineWidth: 0,
            fillOpacity: 0,
            showPoints: VisibilityMode.Never,
            hideFrom: { legend: true, tooltip: false, viz: false },
          },
        },
        theme
      )
    );
  }
  if (o.anomaly) {
    out.push(
      field(
        `${label} anomalies`,
        o.anomaly,
        {
          unit,
          color: color('red'),
          custom: { drawStyle: GraphDrawStyle.Points, pointSize: 9, showPoints: VisibilityMode.Always, lineWidth: 0 },
        },
        theme
      )
    );
  }
  return out;
}

/**
 * Turns the panel's frames into chart frames: each numeric field as a line, plus its expected value
 * (dashed), its band lower..upper (filled) and its anomalies (red points), and the anomalies grouped
 * into incidents. A frame that carries `expected`/`lower`/`upper`/`anomaly` fields (e.g. from the
 * sidecar's `/api/v1/detect`) is drawn as it is, for its first metric; otherwise the panel runs
 * @vigil/core's detector, the sidecar's, over each metric. Throws a RangeError on bad options.
 */
export function overlayFrames(
  series: DataFrame[],
  theme: GrafanaTheme2,
  options: AnomalyOptions = defaultAnomalyOptions
): OverlayFrames {
  const detectorOptions = panelDetectorOptions(options);
  const out: DataFrame[] = [];
  const incidents: Incident[] = [];
  let seriesCount = 0;
  let anomalyCount = 0;
  let hasBand = false;
  let detected = false;
  let marksFrom: number | null = Number.NEGATIVE_INFINITY;
  let learnedPoints: number | null = null;
  const palette = theme.visualization.palette;

  for (const frame of series) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    if (!time) {
      continue;
    }
    const metrics = frame.fields.filter((f) => f.type === FieldType.number && !isOverlay(f));
    const fields: Field[] = [{ ...time, display: time.display ?? getDisplayProcessor({ field: time, theme }) }];
    // overlays go after all the metric lines, so each metric keeps its palette colour in the legend
    const drawn: Array<[label: string, overlay: Overlay, unit: string | undefined]> = [];
    const marked = ['expected', 'lower', 'upper', 'anomaly'].some((n) => named(frame, n));

    metrics.forEach((m, k) => {
      const name = getFieldDisplayName(m, frame, series);
      const values = numbers(m);
      fields.push(
        field(
          name,
          values,
          {
            ...m.config,
            displayName: name,
            color: {
              mode: FieldColorModeId.Fixed,
              fixedColor: theme.visualization.getColorByName(palette[seriesCount % palette.length]),
            },
            custom: {
              drawStyle: GraphDrawStyle.Line,
              lineWidth: 1,
              fillOpacity: 0,
              showPoints: VisibilityMode.Never,
              spanNulls: false,
            },
          },
          theme
        )
      );
      seriesCount++;
      let overlay: Overlay = {};
      if (marked && k === 0) {
        overlay = markedOverlay(frame, values);
        if (overlay.anomaly) {
          const types = named(frame, 'anomaly_type')?.values;
          const confidenceField = named(frame, 'confidence');
          const scoreField = named(frame, 'score');
          const columns = {
            ...overlay,
            times: time.values,
            values,
            marks: overlay.anomaly,
            types,
            confidence: confidenceField ? numbers(confidenceField) : undefined,
            scores: scoreField ? numbers(scoreField) : undefined,
          };
          incidents.push(...groupIncidents(name, markedPoints(name, columns, options.sensitivity)));
        }
      } else if (!marked) {
        detected = true;
        const d = detectSeries(name, time.values, values, detectorOptions);
        marksFrom = d.marksFrom === null || marksFrom === null ? null : Math.max(marksFrom, d.marksFrom);
        learnedPoints = learnedPoints === null ? d.learned : Math.min(learnedPoints, d.learned);
        if (d.scored) {
          overlay = d;
          incidents.push(...trackedIncidents(name, d.incidents, d.indexOf));
        }
      }
      drawn.push([name, overlay, m.config.unit]);
    });
    if (metrics.length === 0 && marked) {
      // overlay fields without a metric: still drawn, named after the frame
      drawn.push([frame.name ?? `series ${out.length + 1}`, markedOverlay(frame, undefined), undefined]);
    }
    for (const [label, overlay, unit] of drawn) {
      hasBand = hasBand || Boolean(overlay.lower && overlay.upper);
      anomalyCount += overlay.anomaly ? overlay.anomaly.filter((v) => v !== null).length : 0;
      fields.push(...overlayFields(label, overlay, unit, theme));
    }
    if (fields.length > 1) {
      out.push({ name: frame.name, refId: frame.refId, length: frame.length, fields });
    }
  }
  incidents.sort((a, b) => a.start - b.start);
  marksFrom = detected ? marksFrom : null;
  return { frames: out, seriesCount, anomalyCount, hasBand, detected, marksFrom, incidents, learnedPoints };
}
