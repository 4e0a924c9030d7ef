/**
 * Parameter sweep for the likelihood scoring step, scored in-process on a NAB folder.
 * `npx tsx bench/nab-tune.ts <nab-dir> [grid|split] [json-overrides]`
 * - `grid`: one parameter at a time around the defaults; prints each setting's three scores.
 * - `split`: the held-out check: the best setting of a grid on one half of the files (even-indexed),
 *   scored on the other half (odd-indexed) and compared with the defaults there.
 */
import { StreamingDetector, DEFAULT_SCORER_PARAMS, type ScorerParams, type DetectorOptions } from '../core/src';
import { loadNab, type NabFile } from './nab/data';
import { loadWindows, nabScore, PROFILES, rowInfo } from './nab/score';

type Trial = { det?: DetectorOptions; sc?: Partial<ScorerParams> };

function run(files: NabFile[], t: Trial): Float64Array[] {
  return files.map((f) => {
    const d = new StreamingDetector(t.det ?? {}, t.sc ?? {});
    const out = new Float64Array(f.values.length);
    for (let i = 0; i < out.length; i++) {
      out[i] = d.push(f.values[i], f.times[i]);
    }
    return out;
  });
}

function evaluate(files: NabFile[], windows: Record<string, [string, string][]>, t: Trial) {
  const scores = run(files, t);
  const nWin = files.reduce((a, f) => a + (windows[f.rel]?.length ?? 0), 0);
  const res: Record<string, number> = {};
  for (const [name, cm] of Object.entries(PROFILES)) {
    const r = nabScore(scores, rowInfo(files, windows, cm), cm, nWin);
    res[name] = Math.round(r.score * 100) / 100;
    if (name === 'standard') {
      res.threshold = Math.round(r.threshold * 1000) / 1000;
    }
  }
  return res;
}

const GRID: Record<string, number[]> = JSON.parse(process.env.GRID ?? 'null') ?? {
  shortWindow: [5, 10, 20],
  longHalfLife: [1000, 2000, 4000],
  zCap: [4, 6, 8],
  minSigma: [0.01, 0.02, 0.05],
  spatialTolerance: [0.02, 0.05, 0.1],
  alertLevel: [0.45, 0.5, 0.55],
  cooldown: [150, 300, 450],
  dailyBuckets: [48, 96, 144],
  dailyAlpha: [0.05, 0.1, 0.2],
  dailyMinDays: [2, 3, 5],
  dailyExplained: [0.3, 0.5, 0.8],
};

function grid(files: NabFile[], windows: Record<string, [string, string][]>, base: Trial) {
  const results: { trial: Trial; res: Record<string, number> }[] = [];
  console.log('base', JSON.stringify(base), JSON.stringify(evaluate(files, windows, base)));
  for (const [k, vals] of Object.entries(GRID)) {
    for (const v of vals) {
      const trial = k.startsWith('det.')
        ? { det: { ...base.det, [k.slice(4)]: v }, sc: base.sc }
        : { det: base.det, sc: { ...base.sc, [k]: v } };
      const res = evaluate(files, windows, trial);
      results.push({ trial, res });
      console.log(k, v, JSON.stringify(res));
    }
  }
  return results;
}

/** Per file, at the standard profile's best threshold: each window's first detection, and false positives. */
function diag(files: NabFile[], windows: Record<string, [string, string][]>, t: Trial) {
  const scores = run(files, t);
  const cm = PROFILES.standard;
  const info = rowInfo(files, windows, cm);
  const nWin = files.reduce((a, f) => a + (windows[f.rel]?.length ?? 0), 0);
  const { score, threshold } = nabScore(scores, info, cm, nWin);
  console.log('standard', score.toFixed(2), 'threshold', threshold);
  files.forEach((f, k) => {
    const { weight, label } = info[k];
    const seen = new Map<number, string>();
    let fps = 0;
    let fpCost = 0;
    for (let i = 0; i < weight.length; i++) {
      if (label[i] > 0 && !seen.has(label[i])) {
        seen.set(label[i], 'miss');
      }
      if (scores[k][i] >= threshold) {
        if (label[i] === 0) {
          fps++;
          fpCost += weight[i];
        } else if (label[i] > 0 && seen.get(label[i]) === 'miss') {
          seen.set(label[i], weight[i].toFixed(2));
        }
      }
    }
    console.log(f.rel.padEnd(60), 'windows', [...seen.values()].join(' ').padEnd(30), 'fp', fps, fpCost.toFixed(2));
  });
}

function main() {
  const [nabDir, mode = 'grid', overrides = '{}'] = process.argv.slice(2);
  const files = loadNab(nabDir);
  const windows = loadWindows(nabDir);
  const base: Trial = JSON.parse(overrides);
  if (mode === 'diag') {
    diag(files, windows, base);
    return;
  }
  if (mode === 'grid') {
    grid(files, windows, base);
    return;
  }
  const a = files.filter((_, i) => i % 2 === 0);
  const b = files.filter((_, i) => i % 2 === 1);
  for (const [tune, test, name] of [
    [a, b, 'tune on even, test on odd'],
    [b, a, 'tune on odd, test on even'],
  ] as const) {
    const results = grid(tune, windows, base);
    const best = results.reduce((x, y) => (y.res.standard > x.res.standard ? y : x));
    console.log(name, 'best on tuning half', JSON.stringify(best.trial.sc), JSON.stringify(best.res));
    console.log(name, 'held-out with tuned', JSON.stringify(evaluate(test, windows, best.trial)));
    console.log(name, 'held-out with defaults', JSON.stringify(evaluate(test, windows, base)));
  }
  console.log('defaults', JSON.stringify(DEFAULT_SCORER_PARAMS));
}

main();
