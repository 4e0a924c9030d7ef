/**
 * Parameter sweep for the likelihood scoring step, scored in-process on a NAB folder.
 * `npx tsx bench/nab-tune.ts <nab-dir> [grid|split] [json-overrides]`
 * - `grid`: one parameter at a time around the defaults; prints each setting's three scores.
 * - `split`: the held-out check: parameters tuned (greedy coordinate ascent over the grid, two
 *   passes) on one half of the files, then scored on the other half, next to the defaults.
 * - `diag`: per file, each window's first detection and the false positives.
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

function evaluate(files: NabFile[], windows: Record<string, Array<[string, string]>>, t: Trial) {
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
  spatialTolerance: [0.02, 0.05, 0.1, 1e9],
  alertLevel: [0.45, 0.5, 0.55],
  cooldown: [0, 150, 300, 450],
  minCooldown: [50, 100, 200],
  rearmPoints: [25, 50, 100, 1e9],
  dailyBuckets: [48, 96, 144],
  dailyAlpha: [0.05, 0.1, 0.2],
  dailyMinDays: [2, 3, 5, 1e9],
  dailyExplained: [0.3, 0.5, 0.8],
};

function grid(files: NabFile[], windows: Record<string, Array<[string, string]>>, base: Trial) {
  const results: Array<{ trial: Trial; res: Record<string, number> }> = [];
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
function diag(files: NabFile[], windows: Record<string, Array<[string, string]>>, t: Trial) {
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
    [a, b, 'tune on even-indexed files, test on odd'],
    [b, a, 'tune on odd-indexed files, test on even'],
  ] as const) {
    // greedy coordinate ascent over GRID on the tuning half, two passes
    let best: Trial = { det: base.det, sc: { ...base.sc } };
    let bestScore = evaluate(tune, windows, best).standard;
    for (let pass = 0; pass < 2; pass++) {
      for (const [k, vals] of Object.entries(GRID)) {
        for (const v of vals) {
          const trial = { det: best.det, sc: { ...best.sc, [k]: v } };
          const sc = evaluate(tune, windows, trial).standard;
          if (sc > bestScore) {
            bestScore = sc;
            best = trial;
          }
        }
      }
    }
    console.log(name);
    console.log('  tuned on this half:', JSON.stringify(best.sc));
    console.log('  tuning half, defaults:', JSON.stringify(evaluate(tune, windows, base)));
    console.log('  tuning half, tuned:   ', JSON.stringify(evaluate(tune, windows, best)));
    console.log('  held-out half, defaults:', JSON.stringify(evaluate(test, windows, base)));
    console.log('  held-out half, tuned:   ', JSON.stringify(evaluate(test, windows, best)));
  }
  console.log('defaults', JSON.stringify(DEFAULT_SCORER_PARAMS));
}

main();
