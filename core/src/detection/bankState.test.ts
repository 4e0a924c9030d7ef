// DetectorBank's binary state: a series saved with stateOf() and loaded into another bank (or slot)
// continues exactly as the original; reset() starts it afresh; windowStats() is its window now.
import { DetectorBank } from './bank';
import { StreamingDetector } from './detector';
import { gaussian } from './synthetic';

const STEP = 60_000;
const T0 = Date.UTC(2026, 0, 1);

function feed(bank: DetectorBank, i: number, from: number, to: number, out: number[] = []): number[] {
  const g = gaussian(42 + from);
  for (let k = from; k < to; k++) {
    out.push(bank.push(i, 100 + 5 * Math.sin(k / 30) + g() + (k % 397 === 200 ? 40 : 0), T0 + k * STEP));
  }
  return out;
}

describe('DetectorBank state', () => {
  it('stateOf() then load() continues bit for bit, in another bank and slot', () => {
    const a = new DetectorBank(3);
    feed(a, 1, 0, 700);
    const saved = a.stateOf(1);
    expect(saved).toHaveLength(a.stateLength);
    const b = new DetectorBank(5);
    b.load(4, saved);
    expect(b.lastTimestamp(4)).toBe(a.lastTimestamp(1));
    expect(feed(b, 4, 700, 1400)).toEqual(feed(a, 1, 700, 1400));
    expect(b.stateOf(4)).toEqual(a.stateOf(1));
    expect(a.stateSignature).toBe(b.stateSignature);
    expect(new DetectorBank(1, { sensitivity: 4 }).stateSignature).not.toBe(a.stateSignature);
    expect(() => b.load(0, saved.subarray(1))).toThrow(RangeError);
  });

  it('a view made before load() is not reused: detect() sees the loaded state', () => {
    const a = new DetectorBank(2);
    feed(a, 0, 0, 500);
    const b = new DetectorBank(2);
    feed(b, 1, 0, 50);
    b.detector(1); // a view of the old state
    b.load(1, a.stateOf(0));
    const expected = a.detector(0).detect(180, T0 + 500 * STEP);
    expect(b.detector(1).detect(180, T0 + 500 * STEP)).toEqual(expected);
  });

  it('reset() starts a slot afresh; windowStats() is the window now', () => {
    const a = new DetectorBank(2);
    feed(a, 0, 0, 300);
    const d = new StreamingDetector();
    const g = gaussian(42);
    for (let k = 0; k < 300; k++) {
      d.push(100 + 5 * Math.sin(k / 30) + g() + (k % 397 === 200 ? 40 : 0), T0 + k * STEP);
    }
    expect(a.windowStats(0)).toEqual(d.detect(100, T0 + 300 * STEP).baseline);
    a.reset(0);
    expect(a.lastTimestamp(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(a.windowStats(0)).toBeNull();
    expect(a.stateOf(0)).toEqual(new DetectorBank(1).stateOf(0));
  });
});
