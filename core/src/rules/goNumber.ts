/**
 * Go's `%g`, `%e` and `%f` of a float64, digit for digit. Go rounds the exact binary value to
 * nearest, ties to even (`strconv/decimal.go`); JavaScript's `toFixed`/`toExponential` round exact
 * ties up, so `printf "%.0f" 2.5` would print 3 here and 2 in Prometheus. Rounding is therefore
 * done on the exact decimal expansion of the double (BigInt; every double is m·2^e) whenever the
 * value could be a tie; the common case takes JavaScript's (identical) result.
 */

/** Decimal digits (no leading or trailing zeros) and decimal point position: value = 0.digits × 10^dp. */
interface Decimal {
  digits: string;
  dp: number;
}

// BigInt(n) rather than n literals: the plugin's TypeScript target (es5) refuses BigInt literals.
const view = new DataView(new ArrayBuffer(8));

/** 5^n as a BigInt by repeated squaring (no `**`: an es5 build would turn it into Math.pow). */
function pow5(n: number): bigint {
  let result = BigInt(1);
  let base = BigInt(5);
  for (let k = n; k > 0; k >>= 1) {
    if (k & 1) {
      result *= base;
    }
    base *= base;
  }
  return result;
}

/** The exact decimal expansion of a finite a > 0. */
function exactDecimal(a: number): Decimal {
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << BigInt(32)) | BigInt(lo);
  let e = -1074; // subnormal
  if (bexp !== 0) {
    mant |= BigInt(1) << BigInt(52);
    e = bexp - 1075;
  }
  let s: string;
  let dp: number;
  if (e >= 0) {
    s = (mant << BigInt(e)).toString();
    dp = s.length;
  } else {
    // m / 2^k = m·5^k / 10^k
    s = (mant * pow5(-e)).toString();
    dp = s.length + e;
  }
  return { digits: s.replace(/0+$/, ''), dp };
}

/** Rounds to `n` significant digits (n may be ≤ 0: rounding to a position left of the first digit). */
function round(d: Decimal, n: number): Decimal {
  if (d.digits.length <= n) {
    return d;
  }
  if (n < 0) {
    return { digits: '', dp: d.dp };
  }
  const keep = d.digits.slice(0, n);
  const next = d.digits.charCodeAt(n) - 48;
  const tie = next === 5 && d.digits.length === n + 1;
  const up = next > 5 || (next === 5 && !tie) || (tie && n > 0 && (keep.charCodeAt(n - 1) - 48) % 2 === 1);
  if (!up) {
    return { digits: keep.replace(/0+$/, ''), dp: d.dp };
  }
  // Add one in the last kept place, carrying over nines.
  let i = n - 1;
  while (i >= 0 && keep[i] === '9') {
    i--;
  }
  if (i < 0) {
    return { digits: '1', dp: d.dp + 1 };
  }
  return { digits: keep.slice(0, i) + String.fromCharCode(keep.charCodeAt(i) + 1), dp: d.dp };
}

/**
 * Could rounding `a` to `n` significant digits meet an exact tie? Only if the digit after the
 * n-th is a 5 followed by zeros, so the value rounded to n + 1 digits ends in 5.
 */
function maybeTie(probe: string): boolean {
  const mant = probe.split('e')[0];
  return mant[mant.length - 1] === '5';
}

/** `a` > 0 rounded to `n` ≥ 1 significant digits, ties to even. */
function roundSig(a: number, n: number): Decimal {
  if (n < 100 && !maybeTie(a.toExponential(n))) {
    const [mant, exp] = a.toExponential(n - 1).split('e');
    return { digits: mant.replace('.', '').replace(/0+$/, ''), dp: Number(exp) + 1 };
  }
  return round(exactDecimal(a), n);
}

function expPart(exp: number): string {
  const a = Math.abs(exp);
  return (exp < 0 ? 'e-' : 'e+') + (a < 10 ? '0' : '') + a;
}

/** The text for NaN and infinities, as Go prints them; null for finite values. */
function special(v: number): string | null {
  if (Number.isNaN(v)) {
    return 'NaN';
  }
  if (!Number.isFinite(v)) {
    return v > 0 ? '+Inf' : '-Inf';
  }
  return null;
}

const signOf = (v: number) => (v < 0 || Object.is(v, -0) ? '-' : '');

/** `d` in fixed notation with exactly `decimals` digits after the point. */
function fixed(d: Decimal, decimals: number): string {
  const int = d.dp > 0 ? d.digits.slice(0, d.dp).padEnd(d.dp, '0') : '0';
  if (decimals <= 0) {
    return int;
  }
  const frac = d.dp >= 0 ? d.digits.slice(d.dp) : '0'.repeat(-d.dp) + d.digits;
  return `${int}.${frac.slice(0, decimals).padEnd(decimals, '0')}`;
}

/** Go's `%g` with precision `prec` (−1: shortest, which is `%v`). */
export function goFormatG(v: number, prec = -1): string {
  const sp = special(v);
  if (sp !== null) {
    return sp;
  }
  if (v === 0) {
    return signOf(v) + '0';
  }
  let d: Decimal;
  let eprec: number;
  if (prec < 0) {
    // Shortest digits that read back as v: JavaScript and Go pick the same ones.
    const [mant, exp] = Math.abs(v).toExponential().split('e');
    d = { digits: mant.replace('.', '').replace(/0+$/, ''), dp: Number(exp) + 1 };
    eprec = 6;
  } else {
    const p = prec === 0 ? 1 : prec;
    d = roundSig(Math.abs(v), p);
    eprec = p > d.digits.length && d.digits.length >= d.dp ? d.digits.length : p;
  }
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) {
    const rest = d.digits.slice(1);
    return signOf(v) + d.digits[0] + (rest ? '.' + rest : '') + expPart(exp);
  }
  return signOf(v) + fixed(d, Math.max(d.digits.length - d.dp, 0));
}

/** Go's `%e` with `prec` digits after the point (default 6). */
export function goFormatE(v: number, prec = 6): string {
  const sp = special(v);
  if (sp !== null) {
    return sp;
  }
  if (v === 0) {
    return signOf(v) + '0' + (prec > 0 ? '.' + '0'.repeat(prec) : '') + 'e+00';
  }
  const d = roundSig(Math.abs(v), prec + 1);
  const digits = d.digits.padEnd(prec + 1, '0');
  return signOf(v) + digits[0] + (prec > 0 ? '.' + digits.slice(1) : '') + expPart(d.dp - 1);
}

/** Go's `%f` with `prec` digits after the point (default 6). */
export function goFormatF(v: number, prec = 6): string {
  const sp = special(v);
  if (sp !== null) {
    return sp;
  }
  if (v === 0) {
    return signOf(v) + fixed({ digits: '', dp: 0 }, prec);
  }
  if (Math.abs(v) < 1e21 && prec < 100 && !maybeTie(v.toFixed(prec + 1))) {
    return v.toFixed(prec); // toFixed keeps the sign of a negative value that rounds to 0, as Go
  }
  const exact = exactDecimal(Math.abs(v));
  return signOf(v) + fixed(round(exact, exact.dp + prec), prec);
}
