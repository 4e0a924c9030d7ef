import { StreamingDetector, type DetectorState } from './detector';
import { gaussian } from './synthetic';

const T0 = Date.UTC(2024, 0, 1);

/** A daily cycle whose spacing switches between 5 minutes (no pattern fits) and 20 minutes. */
function mixed(n: number): { v: number[]; t: number[] } {
  const g = gaussian(5);
  const v: number[] = [];
  const t: number[] = [];
  let ts = T0;
  for (let i = 0; i < n; i++) {
    ts += Math.floor(i / 250) % 2 === 1 ? 1_200_000 : 300_000;
    v.push(40 + 12 * Math.sin(((ts % 86_400_000) / 86_400_000) * 2 * Math.PI) + g() + (i % 97 === 0 ? 30 : 0));
    t.push(ts);
  }
  return { v, t };
}

/** Hour-of-day sums of a saved window, recomputed from its values and hours. */
function hourSums(s: DetectorState): number[] {
  const sums = new Array<number>(24).fill(0);
  s.seasonal.hours.forEach((h, k) => (sums[h] += s.window.values[k]));
  return sums;
}

describe('seasonal buckets kept only while a pattern can fit in the window', () => {
  const { v, t } = mixed(1500);

  it('saves the bucket sums of its window whether or not it was keeping them', () => {
    const d = new StreamingDetector();
    let checked = 0;
    for (let i = 0; i < v.length; i++) {
      d.push(v[i], t[i]);
      if (i % 50 === 49) {
        const s = d.toJSON();
        hourSums(s).forEach((sum, h) => expect(s.seasonal.hourSum[h]).toBeCloseTo(sum, 9));
        expect(s.seasonal.hourIndex).toHaveLength(s.window.values.length);
        checked++;
      }
    }
    expect(checked).toBe(30);
  });

  it('continues bit for bit from a state saved at any point, idle or keeping its buckets', () => {
    const whole = new StreamingDetector();
    const scores = v.map((x, i) => whole.push(x, t[i]));
    let seasonalPoints = 0;
    // every point around the first stretch's switch to 20 minutes (buckets rebuilt ~33 points in)
    const around = Array.from({ length: 50 }, (_, k) => 255 + k);
    for (const at of [120, ...around, 499, 520, 760, 1010]) {
      const d = new StreamingDetector();
      for (let i = 0; i < at; i++) {
        d.push(v[i], t[i]);
      }
      const restored = StreamingDetector.fromJSON(JSON.parse(JSON.stringify(d.toJSON())) as DetectorState);
      for (let i = at; i < at + 150; i++) {
        const r = restored.detect(v[i], t[i]);
        expect(Object.is(r.anomalyScore, scores[i])).toBe(true);
        seasonalPoints += r.seasonality === 'hour_of_day' ? 1 : 0;
      }
    }
    // the 20-minute stretches must have used the hour-of-day pattern, or this proves little
    expect(seasonalPoints).toBeGreaterThan(100);
  });

  it('places a state saved without hour indexes (before they existed) from its last timestamp', () => {
    const d = new StreamingDetector();
    for (let i = 0; i < 700; i++) {
      d.push(v[i], t[i]);
    }
    const saved = d.toJSON();
    const old = JSON.parse(JSON.stringify(saved)) as DetectorState;
    delete old.seasonal.hourIndex;
    const restored = StreamingDetector.fromJSON(old);
    expect(restored.toJSON().seasonal.hourIndex).toEqual(saved.seasonal.hourIndex);
    for (let i = 700; i < 1000; i++) {
      expect(Object.is(restored.push(v[i], t[i]), d.push(v[i], t[i]))).toBe(true);
    }
  });

  it('rejects hour indexes that disagree with the saved hours, naming the slot', () => {
    const d = new StreamingDetector();
    for (let i = 0; i < 10; i++) {
      d.push(v[i], t[i]);
    }
    const s = d.toJSON();
    s.seasonal.hourIndex![3] += 1;
    expect(() => StreamingDetector.fromJSON(s)).toThrow(/seasonal state: bad hour index \d+ \(hour \d+, day \d\) at 3/);
  });
});
