import { sortWindow } from './sortWindow';
import { rng } from './synthetic';

describe('sortWindow', () => {
  test('the same order as the native sort, bit for bit (zeros of both signs, repeats, spikes, short windows)', () => {
    const next = rng(7);
    const kinds = [
      () => 50 + next() * 10,
      () => Math.round(next() * 4) - 2,
      () => (next() < 0.5 ? -0 : 0),
      () => (next() < 0.05 ? 1e6 : next()),
      () => 3,
    ];
    for (const n of [1, 2, 17, 32, 33, 100, 500]) {
      kinds.forEach((kind, k) => {
        const values = Float64Array.from({ length: n }, kind);
        const expected = Float64Array.from(values).sort();
        const got = Float64Array.from(values);
        sortWindow(got, n);
        expect({ n, k, got: Array.from(got, (x) => (Object.is(x, -0) ? '-0' : x)) }).toEqual({
          n,
          k,
          got: Array.from(expected, (x) => (Object.is(x, -0) ? '-0' : x)),
        });
      });
    }
  });
});
