import { decodeSeriesState, encodeSeriesState, signatureHash } from './stateCodec';

describe('series state codec', () => {
  const tracker = { open: null, normalRun: 0, lastPointAt: 1 };
  it('round-trips every double exactly, zeros and float32-exact values in less room', () => {
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
    ]);
    const sig = signatureHash('a|b');
    const bytes = encodeSeriesState(sig, { labels: { service: 'api' }, tracker, slab });
    const back = decodeSeriesState(sig, bytes)!;
    expect(back.labels).toEqual({ service: 'api' });
    expect(back.tracker).toEqual(tracker);
    expect(Array.from(back.slab).map((x) => (Object.is(x, -0) ? '-0' : x))).toEqual(
      Array.from(slab).map((x) => (Object.is(x, -0) ? '-0' : x))
    );
    const zeros = encodeSeriesState(sig, { labels: {}, tracker, slab: new Float64Array(640) });
    expect(zeros.length).toBeLessThan(260); // 160 bytes of tags, no payload
  });

  it('refuses a state made for other settings', () => {
    const bytes = encodeSeriesState(signatureHash('a'), { labels: {}, tracker, slab: new Float64Array(8) });
    expect(decodeSeriesState(signatureHash('b'), bytes)).toBeNull();
    expect(decodeSeriesState(signatureHash('a'), bytes.subarray(0, 3))).toBeNull();
  });
});
