import { StreamingDetector } from './detector';
import { gaussian } from './synthetic';
import type { DetectionResult } from './types';
import type { ScorerParams } from './scoring';

const T0 = Date.UTC(2024, 0, 1, 12);
const STEP = 10_000; // 10 s, as the demo's api p95 latency panel

/** The demo's api p95 latency: 0.049 s ± 0.001, one point every 10 s; `edit` changes it in place. */
function latency(length: number, edit: (v: number[]) => void, seed = 7): number[] {
  const g = gaussian(seed);
  const v = Array.from({ length }, () => 0.049 + 0.001 * g());
  edit(v);
  return v;
}

/** 400 points of history, a 5× spike of 8 points, 40 normal points, a 2.5× spike of 10 points, 100 normal. */
function twoIncidents(seed = 7): number[] {
  return latency(
    558,
    (v) => {
      for (let i = 400; i < 408; i++) {
        v[i] *= 5;
      }
      for (let i = 448; i < 458; i++) {
        v[i] *= 2.5;
      }
    },
    seed
  );
}

function run(values: number[], sc: Partial<ScorerParams> = {}): DetectionResult[] {
  const d = new StreamingDetector({}, sc);
  return values.map((v, i) => d.detect(v, T0 + i * STEP));
}

const flagged = (out: DetectionResult[]) => out.map((r, i) => (r.isAnomaly ? i : -1)).filter((i) => i >= 0);

describe('a second incident during the first one’s cool-down', () => {
  it.each([7, 8, 9])('flags both latency spikes of the demo as extreme_high (seed %i)', (seed) => {
    const out = run(twoIncidents(seed));
    // (a 3.4σ noise point of the history may alert by itself, as before: only the incidents count here)
    const at = flagged(out).filter((i) => i >= 400);
    expect(at).toHaveLength(2);
    expect(at[0]).toBeGreaterThanOrEqual(400);
    expect(at[0]).toBeLessThan(408);
    expect(at[1]).toBeGreaterThanOrEqual(448);
    expect(at[1]).toBeLessThan(458);
    for (const i of at) {
      expect(out[i].anomalyType).toBe('extreme_high');
      // the band drawn does not contradict the verdict
      expect(out[i].value).toBeGreaterThan(out[i].upper);
    }
    // the second spike's band comes from the median and the σ before the first spike, not from the
    // window σ the first spike inflated
    expect(out[at[1]].upper).toBeLessThan(0.06);
  });

  it.each([7, 8, 9])(
    'flags both when the second spike comes 36 points after the first (15 s steps, seed %i)',
    (seed) => {
      // 12:02 → 12:11 at 15 s: 8 points of 5×, 28 normal points, 10 points of 2.5×
      const v = latency(
        546,
        (x) => {
          for (let i = 400; i < 408; i++) {
            x[i] *= 5;
          }
          for (let i = 436; i < 446; i++) {
            x[i] *= 2.5;
          }
        },
        seed
      );
      const d = new StreamingDetector();
      const out = v.map((x, i) => d.detect(x, T0 + i * 15_000));
      const at = flagged(out).filter((i) => i >= 400);
      expect(at).toHaveLength(2);
      expect(at[0]).toBeLessThan(408);
      expect(at[1]).toBeGreaterThanOrEqual(436);
      expect(at[1]).toBeLessThan(446);
      expect(out[at[1]].anomalyType).toBe('extreme_high');
    }
  );

  it('missed the second spike without the robust re-arm (what the demo showed)', () => {
    const at = flagged(run(twoIncidents(), { rearmRobustZ: 1e9 })).filter((i) => i >= 400);
    expect(at).toHaveLength(1);
    expect(at[0]).toBeLessThan(408);
  });

  it('push() flags the same points as detect(), with the same scores', () => {
    const v = twoIncidents();
    const d = new StreamingDetector();
    const slow = run(v);
    v.forEach((x, i) => {
      const s = d.push(x, T0 + i * STEP);
      expect(s).toBe(slow[i].anomalyScore);
      expect(d.lastIsAnomaly).toBe(slow[i].isAnomaly);
    });
  });

  it('a state saved between the two spikes still flags the second one after a restart', () => {
    const v = twoIncidents();
    const d = new StreamingDetector();
    v.slice(0, 430).forEach((x, i) => d.push(x, T0 + i * STEP));
    const restored = StreamingDetector.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
    const later = v.slice(430).map((x, k) => restored.detect(x, T0 + (430 + k) * STEP));
    const at = flagged(later).map((k) => k + 430);
    expect(at).toHaveLength(1);
    expect(at[0]).toBeGreaterThanOrEqual(448);
  });

  it('gives one persistent level shift exactly one alert', () => {
    for (const seed of [1, 2, 3]) {
      const out = run(
        latency(
          900,
          (v) => {
            for (let i = 400; i < 900; i++) {
              v[i] += 0.05;
            }
          },
          seed
        )
      );
      const at = flagged(out);
      expect(at).toHaveLength(1);
      expect(at[0]).toBeGreaterThanOrEqual(400);
      expect(at[0]).toBeLessThan(405);
    }
  });

  it('does not re-arm on a spike that follows the first without a return to normal in between', () => {
    // 8 points of 5×, then 20 points of 2× (still out of the band), then the 2.5× spike: one incident
    const out = run(
      latency(520, (v) => {
        for (let i = 400; i < 408; i++) {
          v[i] *= 5;
        }
        for (let i = 408; i < 428; i++) {
          v[i] *= 2;
        }
        for (let i = 428; i < 438; i++) {
          v[i] *= 2.5;
        }
      })
    );
    expect(flagged(out)).toHaveLength(1);
  });
});
