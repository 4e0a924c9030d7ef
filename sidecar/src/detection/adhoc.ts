import { anomalyMessage, severityForConfidence, StreamingDetector, type DetectorOptions } from '@vigil/core';
import type { Series } from '../sources';

/** One judged point of `POST /api/v1/detect` (band fields are null until the detector has a baseline). */
export interface DetectPoint {
  t: number;
  value: number;
  expected: number | null;
  lower: number | null;
  upper: number | null;
  score: number;
  isAnomaly: boolean;
  type: string;
  confidence: number;
  reason: string;
}

/** An anomalous point, explained as the guide's alert would be. */
export interface DetectAnomaly {
  labels: Record<string, string>;
  t: number;
  value: number;
  expected: number;
  lower: number;
  upper: number;
  type: string;
  confidence: number;
  zScore: number;
  score: number;
  severity: string;
  message: string;
}

/** Result of {@link detectSeries}. */
export interface DetectResult {
  series: Array<{ labels: Record<string, string>; points: DetectPoint[] }>;
  anomalies: DetectAnomaly[];
}

const fmt = (labels: Record<string, string>) =>
  `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',')}}`;

/**
 * Runs a fresh StreamingDetector (the same one the scheduled detectors use) over each series,
 * streaming: each point is judged only on the points before it. Null values (gaps) are skipped.
 */
export function detectSeries(
  input: Array<{ labels: Record<string, string>; points: Array<[number, number | null]> }>,
  options: DetectorOptions
): DetectResult {
  const out: DetectResult = { series: [], anomalies: [] };
  for (const s of input) {
    const d = new StreamingDetector(options);
    const points: DetectPoint[] = [];
    for (const [t, v] of s.points) {
      if (v === null) {
        continue;
      }
      const r = d.detect(v, t);
      const banded = r.baseline !== null && r.reason === 'ok';
      points.push({
        t,
        value: v,
        expected: banded ? r.expected : null,
        lower: banded ? r.lower : null,
        upper: banded ? r.upper : null,
        score: r.anomalyScore,
        isAnomaly: r.isAnomaly,
        type: r.anomalyType,
        confidence: r.confidence,
        reason: r.reason,
      });
      if (r.isAnomaly) {
        out.anomalies.push({
          labels: s.labels,
          t,
          value: v,
          expected: r.expected,
          lower: r.lower,
          upper: r.upper,
          type: r.anomalyType,
          confidence: r.confidence,
          zScore: r.zScore,
          score: r.anomalyScore,
          severity: severityForConfidence(r.confidence),
          message: anomalyMessage(fmt(s.labels), r),
        });
      }
    }
    out.series.push({ labels: s.labels, points });
  }
  return out;
}

/** Sources return non-null values; widen for {@link detectSeries}. */
export const fromSources = (series: Series[]) =>
  series.map((s) => ({ labels: s.labels, points: s.points as Array<[number, number | null]> }));
