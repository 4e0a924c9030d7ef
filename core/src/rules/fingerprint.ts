/**
 * Stable identity of an alert instance: FNV-1a 64-bit over the rule id and the label set sorted by
 * name, each string followed by a 0xff byte (a byte UTF-8 never produces, the separator Prometheus'
 * `labels.Hash` uses), so `{a="b,c"}` and `{a="b", c=""}` cannot collide by construction.
 * Computed on two 32-bit halves (no BigInt in the hot path): the sidecar fingerprints every series
 * of every rule on each cycle. The value is stored, so it must never change for a given input.
 */

// FNV-1a 64 offset basis 0xcbf29ce484222325, prime 0x100000001b3 = 2^40 + 0x1b3.
const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
const SEPARATOR = 0xff;

/** Running FNV-1a 64 state (two unsigned 32-bit halves). */
interface Fnv {
  hi: number;
  lo: number;
}

function addByte(h: Fnv, byte: number): void {
  const lo = (h.lo ^ byte) >>> 0;
  // (hi·2^32 + lo) · (2^40 + 0x1b3) mod 2^64, split in halves: lo·0x1b3 fits in 41 bits.
  const loMul = lo * 0x1b3;
  const carry = Math.floor(loMul / 0x100000000);
  h.lo = loMul >>> 0;
  h.hi = (Math.imul(h.hi, 0x1b3) + carry + (lo << 8)) >>> 0;
}

/** Feeds `s` as UTF-8 (encoded by hand: no TextEncoder needed, works in every runtime). */
function addString(h: Fnv, s: string): void {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      addByte(h, c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      c = 0xfffd; // a lone surrogate encodes as U+FFFD, as TextEncoder does
    }
    if (c < 0x800) {
      addByte(h, 0xc0 | (c >> 6));
    } else if (c < 0x10000) {
      addByte(h, 0xe0 | (c >> 12));
      addByte(h, 0x80 | ((c >> 6) & 0x3f));
    } else {
      addByte(h, 0xf0 | (c >> 18));
      addByte(h, 0x80 | ((c >> 12) & 0x3f));
      addByte(h, 0x80 | ((c >> 6) & 0x3f));
    }
    if (c >= 0x80) {
      addByte(h, 0x80 | (c & 0x3f));
    }
  }
}

function hex(h: Fnv): string {
  return h.hi.toString(16).padStart(8, '0') + h.lo.toString(16).padStart(8, '0');
}

/** FNV-1a 64 of the UTF-8 bytes of `s`, 16 lowercase hex chars (exported for golden tests). */
export function fnv1a64(s: string): string {
  const h = { hi: OFFSET_HI, lo: OFFSET_LO };
  addString(h, s);
  return hex(h);
}

/**
 * Fingerprint of an alert instance: 16 lowercase hex chars, the same for the same rule id and
 * label set forever (independent of the labels' key order).
 */
export function fingerprint(ruleId: string, labels: Record<string, string>): string {
  const h = { hi: OFFSET_HI, lo: OFFSET_LO };
  addString(h, ruleId);
  addByte(h, SEPARATOR);
  const names = Object.keys(labels).sort();
  for (const name of names) {
    addString(h, name);
    addByte(h, SEPARATOR);
    addString(h, String(labels[name]));
    addByte(h, SEPARATOR);
  }
  return hex(h);
}
