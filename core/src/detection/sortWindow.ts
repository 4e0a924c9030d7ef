/** Value buckets: the window's range cut into BUCKETS equal parts (bucket order is value order). */
const BUCKETS = 64;
/** Count, then end position, of each bucket (the last bucket holds only the maximum). */
const bucketCount = new Int32Array(BUCKETS + 1);
/** Bucket of each value, and the values in bucket order. */
let bucketOf = new Int32Array(128);
let scratch = new Float64Array(128);

/**
 * Sorts s[0..n) ascending in the same order as `Float64Array.prototype.sort` (−0 before +0; a
 * window holds no NaN), for a window's sorted copy rebuilt after pushes that did not keep it (the
 * fast path's): the counting sort of rollingWindow's `windowQuartiles` into 64 value buckets, then each bucket
 * by insertion. On a 100-value window it costs about two thirds of the native sort, which a caller
 * that reads a verdict every few dozen points (the panel's band) pays each time.
 */
export function sortWindow(s: Float64Array, n: number): void {
  if (n <= 32) {
    insertionSort(s, 0, n);
    return;
  }
  let lo = s[0];
  let hi = lo;
  for (let i = 1; i < n; i++) {
    const x = s[i];
    if (x < lo) {
      lo = x;
    } else if (x > hi) {
      hi = x;
    }
  }
  if (!(hi > lo)) {
    // one value throughout: in order already, unless zeros of both signs
    if (lo === 0) {
      insertionSort(s, 0, n);
    }
    return;
  }
  if (scratch.length < n) {
    scratch = new Float64Array(n);
    bucketOf = new Int32Array(n);
  }
  const scale = BUCKETS / (hi - lo);
  const count = bucketCount;
  const of = bucketOf;
  const a = scratch;
  count.fill(0);
  for (let i = 0; i < n; i++) {
    const b = ((s[i] - lo) * scale) | 0;
    of[i] = b;
    count[b]++;
  }
  let at = 0;
  for (let b = 0; b <= BUCKETS; b++) {
    const c = count[b];
    count[b] = at;
    at += c;
  }
  for (let i = 0; i < n; i++) {
    a[count[of[i]]++] = s[i];
  }
  // count[b] is now the end of bucket b
  let from = 0;
  for (let b = 0; b <= BUCKETS; b++) {
    const to = count[b];
    if (to - from > 32) {
      a.subarray(from, to).sort();
    } else if (to - from > 1) {
      insertionSort(a, from, to);
    }
    from = to;
  }
  for (let i = 0; i < n; i++) {
    s[i] = a[i];
  }
}

/** Sorts a[from..to) by insertion, −0 before +0 (as the native sort). */
function insertionSort(a: Float64Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= from && (a[j] > x || (a[j] === x && x === 0 && 1 / a[j] > 1 / x))) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}
