import { DetectorBank } from '@vigil/core';
import { decodeSeriesState, encodeSeriesState, signatureHash, windowHash } from './stateCodec';
import { windowQueryFrom } from './windowRestore';

describe('series state codec', () => {
  const tracker = { open: null, normalRun: 0, lastPointAt: 1 };
  const rec = { window: 7, windowFrom: -Infinity, trendFromWindow: false };
  it('round-trips every double exactly, zeros, integers and float32-exact values in less room', () => {
    const slab = Float64Array.from([
      0,
      -0,
      1.5,
      0.1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -Infinity,
      490_123,
      1e300,
      5e-324,
      490_124,
      490_124,
      -3,
      2 ** 49 + 1,
      -(2 ** 50) + 1,
      2 ** 52 + 2,
      -(2 ** 49),
      0.5,
    ]);
    const sig = signatureHash('a|b');
    const bytes = encodeSeriesState(sig, { labels: { service: 'api' }, tracker, slab, ...rec });
    const back = decodeSeriesState(sig, bytes)!;
    expect(back.labels).toEqual({ service: 'api' });
    expect(back.tracker).toEqual(tracker);
    expect(back.window).toBe(7);
    expect(back.windowFrom).toBe(-Infinity);
    expect(Array.from(back.slab).map((x) => (Object.is(x, -0) ? '-0' : x))).toEqual(
      Array.from(slab).map((x) => (Object.is(x, -0) ? '-0' : x))
    );
    const zeros = encodeSeriesState(sig, { labels: {}, tracker, slab: new Float64Array(640), ...rec });
    expect(zeros.length).toBeLessThan(260); // 160 bytes of tags, no payload
    // equal integers (hour indexes, counts) cost a byte each
    const hours = encodeSeriesState(sig, { labels: {}, tracker, slab: new Float64Array(640).fill(473_377), ...rec });
    expect(hours.length - zeros.length).toBeLessThan(640 + 4);
  });

  it('refuses a state made for other settings', () => {
    const bytes = encodeSeriesState(signatureHash('a'), { labels: {}, tracker, slab: new Float64Array(8), ...rec });
    expect(decodeSeriesState(signatureHash('b'), bytes)).toBeNull();
    expect(decodeSeriesState(signatureHash('a'), bytes.subarray(0, 3))).toBeNull();
  });

  it("leaves a warm series' window out and puts it back bit for bit", () => {
    const bank = new DetectorBank(1);
    const t0 = Date.UTC(2024, 0, 1);
    for (let i = 0; i < 1500; i++) {
      bank.pushTick(Float64Array.of(50 + 10 * Math.sin(i / 40) + ((i * 7919) % 13) / 7), t0 + i * 60_000);
    }
    const slab = bank.stateOf(0);
    const w = bank.windows.windowOf(slab)!;
    expect(w.values.length).toBe(100);
    expect(bank.windows.windowStartMs(slab)).toBeLessThanOrEqual(t0 + 1400 * 60_000);
    expect(w.hours[99]).toBe(bank.windows.hourIndexOf(slab, t0 + 1499 * 60_000));
    const sig = signatureHash('w');
    // no seasonal offset in a window of 100 minutes: the trend ring holds the window's last values
    expect(bank.windows.trendIsWindow(slab)).toBe(true);
    const bytes = encodeSeriesState(sig, {
      labels: null,
      tracker,
      slab: bank.windows.withoutWindow(slab, true),
      window: windowHash(w.values, w.hours),
      windowFrom: bank.windows.windowStartMs(slab),
      trendFromWindow: true,
    });
    const back = decodeSeriesState(sig, bytes)!;
    expect(back.labels).toBeNull();
    expect(back.trendFromWindow).toBe(true);
    expect(back.window).toBe(windowHash(w.values, w.hours));
    expect(bank.windows.windowPoints(back.slab)).toBe(100);
    expect(Array.from(back.slab)).not.toEqual(Array.from(slab));
    bank.windows.putWindow(back.slab, w.values, w.hours, true);
    expect(Array.from(back.slab)).toEqual(Array.from(slab));
    // left out without the trend ring, put back without it: the same too
    const noTrend = bank.windows.withoutWindow(slab);
    bank.windows.putWindow(noTrend, w.values, w.hours);
    expect(Array.from(noTrend)).toEqual(Array.from(slab));
    expect(() => bank.windows.putWindow(back.slab, w.values.subarray(1), w.hours)).toThrow(RangeError);
  });
});

describe('windowQueryFrom', () => {
  it("starts a warm start's query at the saved windows' first hour, on the step grid, at most a lookback early", () => {
    const end = 1_000 * 60_000;
    const from = end - 100 * 60_000 + 60_000;
    expect(windowQueryFrom(from, end, 60_000, 100 * 60_000, from + 5)).toBe(from);
    expect(windowQueryFrom(from, end, 60_000, 100 * 60_000, from - 90_500)).toBe(from - 120_000);
    expect(windowQueryFrom(from, end, 60_000, 100 * 60_000, 0)).toBe(from - 100 * 60_000);
    expect(windowQueryFrom(from, end, 60_000, 100 * 60_000, Number.NEGATIVE_INFINITY)).toBe(from - 100 * 60_000);
    expect(windowQueryFrom(from, end, 60_000, 100 * 60_000, Number.POSITIVE_INFINITY)).toBe(from);
  });
});

describe('rows of version 1', () => {
  /** The encoder of version 1 (the slab whole: 0 for +0, 1 for a float32, 2 for 8 bytes). */
  function encodeV1(signature: number, labels: Record<string, string>, tracker: unknown, slab: Float64Array): Buffer {
    const l = Buffer.from(JSON.stringify(labels));
    const t = Buffer.from(JSON.stringify(tracker));
    const tag = (x: number) => (x === 0 && 1 / x > 0 ? 0 : Math.fround(x) === x ? 1 : 2);
    const payload = Array.from(slab).reduce((a, x) => a + [0, 4, 8][tag(x)], 0);
    const tagBytes = (slab.length + 3) >> 2;
    const out = Buffer.alloc(15 + l.length + t.length + tagBytes + payload);
    let o = out.writeUInt8(1, 0);
    o = out.writeUInt32LE(signature, o);
    o = out.writeUInt32LE(l.length, o);
    o += l.copy(out, o);
    o = out.writeUInt32LE(t.length, o);
    o += t.copy(out, o);
    o = out.writeUInt16LE(slab.length, o);
    const tagsAt = o;
    o += tagBytes;
    slab.forEach((x, i) => {
      out[tagsAt + (i >> 2)] |= tag(x) << ((i & 3) * 2);
      o = tag(x) === 1 ? out.writeFloatLE(x, o) : tag(x) === 2 ? out.writeDoubleLE(x, o) : o;
    });
    return out;
  }

  it('are read whole (an upgrade keeps its series), for the same settings only', () => {
    const bank = new DetectorBank(1);
    for (let i = 0; i < 500; i++) {
      bank.pushTick(Float64Array.of(50 + Math.sin(i / 9) + ((i * 31) % 7) / 3), Date.UTC(2024, 0, 1) + i * 60_000);
    }
    const slab = bank.stateOf(0);
    const tracker = { open: null, normalRun: 2, lastPointAt: 5 };
    const back = decodeSeriesState(77, encodeV1(77, { s: 'a' }, tracker, slab))!;
    expect(back).toMatchObject({ labels: { s: 'a' }, tracker, whole: true });
    expect(Array.from(back.slab)).toEqual(Array.from(slab));
    expect(decodeSeriesState(78, encodeV1(77, { s: 'a' }, tracker, slab))).toBeNull();
  });
});
