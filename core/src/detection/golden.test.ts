import * as fs from 'fs';
import * as path from 'path';
import { StreamingDetector } from './detector';
import type { ScoringMode } from './types';

// Golden file: a week of 5-minute points with a daily cycle, a spike (row 1100), a dip (1300), a
// level shift (1500–1699) and a ramp from 1850 (testdata/golden-input.csv). The expected verdicts
// were reviewed by hand once; regenerate with UPDATE_GOLDEN=1 after an intended behaviour change.
const dir = path.join(__dirname, 'testdata');

function verdicts(scoring: ScoringMode) {
  const rows = fs.readFileSync(path.join(dir, 'golden-input.csv'), 'utf8').trim().split('\n').slice(1);
  const d = new StreamingDetector({ scoring });
  const out: Array<Record<string, unknown>> = [];
  rows.forEach((line, i) => {
    const [ts, v] = line.split(',');
    const r = d.detect(Number(v), Date.parse(ts));
    if (r.isAnomaly) {
      out.push({
        row: i,
        type: r.anomalyType,
        score: +r.anomalyScore.toFixed(4),
        confidence: +r.confidence.toFixed(4),
        z: +r.zScore.toFixed(3),
        expected: +r.expected.toFixed(3),
        band: [+r.lower.toFixed(3), +r.upper.toFixed(3)],
      });
    }
  });
  return out;
}

describe.each(['likelihood', 'guide'] as const)('golden verdicts (%s scoring)', (scoring) => {
  const file = path.join(dir, `golden-${scoring}.json`);
  it('matches testdata', () => {
    const got = verdicts(scoring);
    if (process.env.UPDATE_GOLDEN) {
      fs.writeFileSync(file, JSON.stringify(got, null, 1) + '\n');
    }
    expect(got).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
  });

  it('finds the injected incidents', () => {
    const rows = verdicts(scoring).map((v) => v as { row: number; type: string });
    const at = (row: number) => rows.find((v) => v.row === row)?.type;
    expect(at(1300)).toBe('extreme_low');
    expect(rows.some((v) => v.row >= 1850 && v.type === 'extreme_high')).toBe(true);
    if (scoring === 'likelihood') {
      // the likelihood step keeps the clean daily cycle (first 1100 rows) quiet; the guide's plain
      // 3σ rule fires there on the noise tails (its known weakness)
      expect(rows.filter((v) => v.row < 1100)).toEqual([]);
      // the level shift (2.5σ against a window inflated by the daily swing) is caught by the
      // time-of-day profile; the guide's 3σ rule misses it
      expect(at(1500)).toBe('extreme_high');
    } else {
      expect(at(1100)).toBe('extreme_high');
    }
  });
});
