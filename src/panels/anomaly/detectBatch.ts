import type { DetectorOptions } from '@vigil/core';
import { detectSeries, type SeriesDetection, type Value } from './detectSeries';

/** One series the panel's detector runs on: its display name, its time column and its values. */
export interface DetectJob {
  metric: string;
  times: ArrayLike<unknown>;
  values: Value[];
}

/**
 * The detector's work for a set of series as it crosses to the worker: every column as a
 * Float64Array (NaN where the field has no number: a gap to the detector, as a null is), each
 * distinct time column once. Its buffers are transferred, not copied.
 */
export interface DetectRequest {
  options: DetectorOptions;
  times: Float64Array[];
  series: Array<{ metric: string; time: number; values: Float64Array }>;
}

function float64(values: ArrayLike<unknown>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = typeof v === 'number' ? v : Number.NaN;
  }
  return out;
}

/** The request for `jobs`, and the buffers to transfer with it (series sharing a time column share one). */
export function detectRequest(
  jobs: DetectJob[],
  options: DetectorOptions
): { request: DetectRequest; transfer: ArrayBuffer[] } {
  const sources: Array<ArrayLike<unknown>> = [];
  const times: Float64Array[] = [];
  const series = jobs.map((job) => {
    // the series of one query share their time column (often the same array)
    let time = sources.indexOf(job.times);
    if (time < 0) {
      time = sources.length;
      sources.push(job.times);
      times.push(float64(job.times));
    }
    return { metric: job.metric, time, values: float64(job.values) };
  });
  const transfer = [...times.map((t) => t.buffer as ArrayBuffer), ...series.map((s) => s.values.buffer as ArrayBuffer)];
  return { request: { options, times, series }, transfer };
}

/**
 * Runs the detector over every series of a request (in the worker, or on the main thread when no
 * worker can be made): the same {@link detectSeries} as on the original columns, whose gaps
 * (null, NaN, not a number) it treats alike.
 */
export function detectBatch(request: DetectRequest): SeriesDetection[] {
  return request.series.map((s) => detectSeries(s.metric, request.times[s.time], s.values, request.options));
}
