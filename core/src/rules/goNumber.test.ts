import { goFormatE, goFormatF, goFormatG } from './goNumber';

/** JavaScript's own formatting, which agrees with Go everywhere but exact decimal ties. */
const jsE = (v: number, p: number) => v.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');

describe('Go float formatting: ties to even on the exact binary value', () => {
  it.each<[string, string, string]>([
    [goFormatF(2.5, 0), '2', 'half to even, down'],
    [goFormatF(3.5, 0), '4', 'half to even, up'],
    [goFormatF(0.5, 0), '0', 'half below the first digit'],
    [goFormatF(1.5, 0), '2', ''],
    [goFormatF(0.125, 2), '0.12', 'exact binary tie'],
    [goFormatF(0.375, 2), '0.38', ''],
    [goFormatF(2.675, 2), '2.67', '2.675 is 2.67499999… in binary'],
    [goFormatF(-2.5, 0), '-2', ''],
    [goFormatF(-0.0001, 2), '-0.00', 'Go keeps the sign'],
    [goFormatF(0, 2), '0.00', ''],
    [goFormatF(999.9996, 3), '1000.000', 'carry into a new digit'],
    [goFormatF(1e22, 1), '10000000000000000000000.0', 'no exponent for %f'],
    [goFormatF(5e-324, 3), '0.000', 'subnormal'],
    [goFormatE(12345, 3), '1.234e+04', ''],
    [goFormatE(0, 2), '0.00e+00', ''],
    [goFormatE(9.9996, 3), '1.000e+01', ''],
    [goFormatE(1e-300, 1), '1.0e-300', ''],
    [goFormatG(12345, 4), '1.234e+04', 'half to even'],
    [goFormatG(12355, 4), '1.236e+04', ''],
    [goFormatG(0.125, 2), '0.12', ''],
    [goFormatG(-0, -1), '-0', ''],
    [goFormatG(5e-324, -1), '5e-324', ''],
    [goFormatG(1.7976931348623157e308, 4), '1.798e+308', ''],
  ])('%s = %s %s', (got, want) => {
    expect(got).toBe(want);
  });

  it('agrees with JavaScript on random values that are not exact ties', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    /** Bits after the binary point of |v| (v = odd · 2^-k): a %.Nf tie needs exactly k = N + 1. */
    const fractionBits = (v: number) => {
      let x = Math.abs(v);
      let k = 0;
      while (!Number.isInteger(x)) {
        x *= 2;
        k++;
      }
      return k;
    };
    const diffs: string[] = [];
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const v = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 30 - 12);
      const p = Math.floor(rnd() * 8);
      const k = fractionBits(v);
      const exp = Number(v.toExponential().split('e')[1]);
      if (!(p - exp >= 0 ? k === p - exp + 1 : Number.isInteger(v))) {
        compared++;
        if (goFormatE(v, p) !== jsE(v, p)) {
          diffs.push(`%.${p}e ${v}: ${goFormatE(v, p)} vs ${jsE(v, p)}`);
        }
      }
      if (Math.abs(v) < 1e21 && k !== p + 1) {
        compared++;
        if (goFormatF(v, p) !== v.toFixed(p)) {
          diffs.push(`%.${p}f ${v}: ${goFormatF(v, p)} vs ${v.toFixed(p)}`);
        }
      }
    }
    expect(diffs).toEqual([]);
    expect(compared).toBeGreaterThan(5000);
  });
});
