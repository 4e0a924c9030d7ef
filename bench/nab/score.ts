import * as fs from 'fs';
import * as path from 'path';
import type { NabFile } from './data';

/**
 * NAB scoring, ported from ../shared/tools/nab_score.py (itself written from NAB's published rules)
 * so that parameter sweeps can score in-process. The Python script stays the reference: the tuning
 * run prints its command for the final check.
 */
export interface CostMatrix {
  tpWeight: number;
  fnWeight: number;
  fpWeight: number;
}

/** NAB's three profiles. */
export const PROFILES: Record<string, CostMatrix> = {
  standard: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11 },
  reward_low_FP_rate: { tpWeight: 1, fnWeight: 1, fpWeight: 0.22 },
  reward_low_FN_rate: { tpWeight: 1, fnWeight: 2, fpWeight: 0.11 },
};

const ss = (p: number) => (p > 3 ? -1 : 2 / (1 + Math.exp(5 * p)) - 1);

/** Per-row weight and label of one file, for one profile (independent of the detector's scores). */
export interface RowInfo {
  weight: Float64Array;
  /** -1: probationary, 0: outside windows, k>0: window id. */
  label: Int32Array;
}

/** Labelled windows by file, from labels/combined_windows.json. */
export function loadWindows(nabDir: string): Record<string, Array<[string, string]>> {
  return JSON.parse(fs.readFileSync(path.join(nabDir, 'labels', 'combined_windows.json'), 'utf8'));
}

/** Precomputes the weights and labels of every row of `files`. Window ids are unique across files. */
export function rowInfo(files: NabFile[], windows: Record<string, Array<[string, string]>>, cm: CostMatrix): RowInfo[] {
  let nextId = 1;
  const maxTp = ss(-1);
  return files.map((f) => {
    const ts = f.stamps;
    const n = ts.length;
    const wl = (windows[f.rel] ?? []).map(([a, b]) => [a.slice(0, 19), b.slice(0, 19)]);
    const prob = Math.min(Math.floor(0.15 * n), 750);
    const weight = new Float64Array(n);
    const label = new Int32Array(n);
    let cur: string[] | null = null;
    let id = 0;
    let rIdx = 0;
    let width = 0;
    let prevR: number | null = null;
    let prevW = 0;
    for (let i = 0; i < n; i++) {
      const t = ts[i];
      if (wl.length && t === wl[0][0]) {
        cur = wl.shift()!;
        id = nextId++;
        rIdx = ts.indexOf(cur[1]);
        width = rIdx - ts.indexOf(cur[0]) + 1;
      }
      if (cur) {
        weight[i] = (ss(-(rIdx - i + 1) / width) * cm.tpWeight) / maxTp;
      } else {
        weight[i] = (prevR === null ? -1 : ss(Math.abs(prevR - i) / (prevW - 1))) * cm.fpWeight;
      }
      label[i] = i < prob ? -1 : cur ? id : 0;
      if (cur && t === cur[1]) {
        prevR = rIdx;
        prevW = width;
        cur = null;
      }
    }
    return { weight, label };
  });
}

/** Normalised NAB score (0 = never fires, 100 = perfect) with the best single threshold. */
export function nabScore(
  scores: Float64Array[],
  info: RowInfo[],
  cm: CostMatrix,
  nWindows: number
): { score: number; threshold: number } {
  const rows: Array<{ s: number; w: number; l: number }> = [];
  for (let f = 0; f < scores.length; f++) {
    const { weight, label } = info[f];
    for (let i = 0; i < weight.length; i++) {
      if (label[i] !== -1) {
        rows.push({ s: scores[f][i], w: weight[i], l: label[i] });
      }
    }
  }
  rows.sort((a, b) => b.s - a.s);
  const parts = new Map<number, number>();
  for (const r of rows) {
    if (r.l > 0) {
      parts.set(r.l, -cm.fnWeight);
    }
  }
  let winSum = 0;
  for (const v of parts.values()) {
    winSum += v;
  }
  let fp = 0;
  let th = 1.1;
  let best = { raw: -Infinity, th };
  const consider = () => {
    if (fp + winSum > best.raw) {
      best = { raw: fp + winSum, th };
    }
  };
  for (const r of rows) {
    if (r.s !== th) {
      consider();
      th = r.s;
    }
    if (r.l === 0) {
      fp += r.w;
    } else {
      const old = parts.get(r.l)!;
      if (r.w > old) {
        parts.set(r.l, r.w);
        winSum += r.w - old;
      }
    }
  }
  consider();
  const nul = -cm.fnWeight * nWindows;
  const perfect = nWindows * cm.tpWeight;
  return { score: (100 * (best.raw - nul)) / (perfect - nul), threshold: best.th };
}
