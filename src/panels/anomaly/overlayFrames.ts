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

/**
 * Field names with a meaning in the overlay (matched case-insensitively): the detector's expected
 * value and band, and its anomaly marks. `score` is the detector's raw output and is not drawn.
 */
export const OVERLAY_FIELDS = ['expected', 'lower', 'upper', 'anomaly', 'score'] as const;

/** Frames ready for the time series chart, and what they contain. */
export interface OverlayFrames {
  frames: DataFrame[];
  /** How many metric series are drawn. */
  seriesCount: number;
  /** How many points are marked as anomalies. */
  anomalyCount: number;
  /** Whether an expected band (lower/upper) is drawn. */
  hasBand: boolean;
}

type Value = number | null;

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

/**
 * Turns the panel's frames into chart frames: each numeric field as a line, plus, when the frame has
 * them, the expected value (dashed), the lower/upper band (filled between) and anomaly points.
 */
export function overlayFrames(series: DataFrame[], theme: GrafanaTheme2): OverlayFrames {
  const out: DataFrame[] = [];
  let seriesCount = 0;
  let anomalyCount = 0;
  let hasBand = false;
  const color = (name: string) => ({
    mode: FieldColorModeId.Fixed,
    fixedColor: theme.visualization.getColorByName(name),
  });
  const palette = theme.visualization.palette;

  for (const frame of series) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    if (!time) {
      continue;
    }
    const metrics = frame.fields.filter((f) => f.type === FieldType.number && !isOverlay(f));
    const fields: Field[] = [{ ...time, display: time.display ?? getDisplayProcessor({ field: time, theme }) }];
    const primary = metrics[0] ? numbers(metrics[0]) : undefined;
    const label = metrics[0]
      ? getFieldDisplayName(metrics[0], frame, series)
      : (frame.name ?? `series ${out.length + 1}`);

    for (const m of metrics) {
      const name = getFieldDisplayName(m, frame, series);
      fields.push(
        field(
          name,
          numbers(m),
          {
            ...m.config,
            displayName: name,
            color: color(palette[seriesCount % palette.length]),
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
    }
    const expected = named(frame, 'expected');
    if (expected) {
      fields.push(
        field(
          `${label} expected`,
          numbers(expected),
          {
            unit: metrics[0]?.config.unit,
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
    const lower = named(frame, 'lower');
    const upper = named(frame, 'upper');
    if (lower && upper) {
      hasBand = true;
      const bandColor = color('blue');
      const lowerName = `${label} lower`;
      // One legend entry for the band: the upper edge carries the fill and the name; the lower edge
      // is hidden from the legend (the tooltip still shows both values).
      fields.push(
        field(
          `${label} expected band`,
          numbers(upper),
          {
            unit: metrics[0]?.config.unit,
            color: bandColor,
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
          numbers(lower),
          {
            unit: metrics[0]?.config.unit,
            color: bandColor,
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
    const anomaly = named(frame, 'anomaly');
    if (anomaly) {
      const points = anomalyPoints(anomaly, primary);
      anomalyCount += points.filter((v) => v !== null).length;
      fields.push(
        field(
          `${label} anomalies`,
          points,
          {
            unit: metrics[0]?.config.unit,
            color: color('red'),
            custom: { drawStyle: GraphDrawStyle.Points, pointSize: 9, showPoints: VisibilityMode.Always, lineWidth: 0 },
          },
          theme
        )
      );
    }
    if (fields.length > 1) {
      out.push({ name: frame.name, refId: frame.refId, length: frame.length, fields });
    }
  }
  return { frames: out, seriesCount, anomalyCount, hasBand };
}
