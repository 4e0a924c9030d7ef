import { type DataFrame, type Field, FieldType } from '@grafana/data';
import type { OverlayColumns } from './chartFields';
import type { Value } from './detectSeries';

/** A frame's field by name, matched case-insensitively. */
export function named(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name.toLowerCase() === name);
}

/**
 * The marked points of an anomaly field. Marks come either as flags (boolean, or only 0/1 values:
 * mark the metric's value) or as the anomalous values themselves with nulls elsewhere. One pass
 * over the field, keeping only the candidates (a long frame has a handful of marks).
 */
function anomalyMarks(anomaly: Field, metric: Value[] | undefined): { at: number[]; values: number[] } {
  const values = anomaly.values as ArrayLike<unknown>;
  let flags = anomaly.type === FieldType.boolean;
  let allFlags = true;
  const at: number[] = [];
  const given: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    const v = typeof x === 'number' && x - x === 0 ? x : typeof x === 'boolean' ? Number(x) : null;
    if (v === null) {
      continue;
    }
    allFlags = allFlags && (v === 0 || v === 1);
    if (v !== 0) {
      at.push(i);
      given.push(v);
    }
  }
  flags = flags || allFlags;
  if (!flags) {
    // the anomalous values themselves (a 0 among them is one too)
    return zeroesToo(values, at, given);
  }
  const out = { at: [] as number[], values: [] as number[] };
  at.forEach((i, k) => {
    const m = metric?.[i];
    if (given[k] === 1 && m !== undefined && m !== null) {
      out.at.push(i);
      out.values.push(m);
    }
  });
  return out;
}

/** Values-as-marks: every finite value is a mark, zeroes included (skipped by the flag pass). */
function zeroesToo(values: ArrayLike<unknown>, at: number[], given: number[]): { at: number[]; values: number[] } {
  const out = { at: [] as number[], values: [] as number[] };
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    if (k < at.length && at[k] === i) {
      out.at.push(i);
      out.values.push(given[k++]);
    } else if (values[i] === 0 || values[i] === false) {
      out.at.push(i);
      out.values.push(0);
    }
  }
  return out;
}

/** The overlay columns a frame carries, as its fields hold them; anomaly flags mark the metric's values. */
export function markedColumns(frame: DataFrame, metric: Value[] | undefined): OverlayColumns {
  const anomaly = named(frame, 'anomaly');
  return {
    expected: named(frame, 'expected')?.values,
    lower: named(frame, 'lower')?.values,
    upper: named(frame, 'upper')?.values,
    anomaly: anomaly ? anomalyMarks(anomaly, metric) : undefined,
  };
}

/** Marked points as a full-length column (null elsewhere). */
export function spread(marks: { at: number[]; values: number[] }, n: number): Value[] {
  const out = new Array<Value>(n).fill(null);
  marks.at.forEach((i, k) => (out[i] = marks.values[k]));
  return out;
}
