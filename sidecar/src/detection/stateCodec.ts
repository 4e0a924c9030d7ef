import type { IncidentTrackerState } from './incident';

/**
 * Binary state of one series of a detector, as saved in `detector_series_state`:
 *
 *   u8 version (2) · u8 flags (1: the trend ring comes from the window) · u32 signature hash ·
 *   u32 window hash · f64 window start · u32 labels length · labels (JSON, UTF-8; none when the
 *   series key gives them back) ·
 *   u32 tracker length · tracker (JSON, UTF-8) · u16 doubles · 2-bit tags · payload
 *
 * The slab (the series' part of a DetectorBank) is stored losslessly but compactly: each double is
 * tagged 0 (+0: absent), 1 (an integer: counts, hour indexes, ring heads; a zigzag varint of its
 * difference from the previous integer, so a run of equal hour indexes or counts costs a byte
 * each), 2 (exactly a float32, e.g. ±Infinity; 4 bytes) or 3 (8 bytes). The window's values and
 * their hour indexes are not in it (the caller zeroes them: DetectorBank.withoutWindow): the
 * datasource gives those points back, and the window hash (FNV-1a of the values and hour indexes,
 * {@link windowHash}) tells whether it gave back the same ones. The signature hash (detector
 * settings and slab layout) keeps a state from being loaded into a detector it was not made by.
 */
export interface SeriesStateRecord {
  /** Null: not stored (its series key gives them, seriesKey.ts' labelsFromKey). */
  labels: Record<string, string> | null;
  tracker: IncidentTrackerState;
  /** The slab without its window (DetectorBank.withoutWindow). */
  slab: Float64Array;
  /** {@link windowHash} of the window left out. */
  window: number;
  /** Start of the hour of the window's oldest point (ms; −Infinity when empty): where to read it from. */
  windowFrom: number;
  /** The trend ring is left out too: it holds the window's last values (DetectorBank.trendIsWindow). */
  trendFromWindow: boolean;
  /** A row of version 1: its slab holds the window (nothing to read back). */
  whole?: boolean;
}

const VERSION = 2;

/** FNV-1a (32 bits) of a string: the signature's hash (a mismatch check, not security). */
export function signatureHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const HASH_BUF = new Float64Array(1);
const HASH_WORDS = new Uint32Array(HASH_BUF.buffer);

/** FNV-1a (32 bits) over a window's values, then its hour indexes, as doubles (two 32-bit words each). */
export function windowHash(values: ArrayLike<number>, hours: ArrayLike<number>): number {
  let h = 0x811c9dc5;
  for (const xs of [values, hours]) {
    for (let i = 0; i < xs.length; i++) {
      HASH_BUF[0] = xs[i];
      h = Math.imul(h ^ HASH_WORDS[0], 0x01000193);
      h = Math.imul(h ^ HASH_WORDS[1], 0x01000193);
    }
  }
  return h >>> 0;
}

// integers below 2^50: a difference of two is below 2^51 and its zigzag below 2^52, exact as a double
const MAX_INT = 2 ** 50;
const tagOf = (x: number): number =>
  x === 0 && 1 / x > 0
    ? 0
    : Number.isInteger(x) && Math.abs(x) < MAX_INT && !Object.is(x, -0)
      ? 1
      : Math.fround(x) === x
        ? 2
        : 3;

/** Scratch for the payload (grown as needed): a state is encoded into it, then copied out at its size. */
let scratch = Buffer.alloc(8192);
let scratchView = new DataView(scratch.buffer, scratch.byteOffset, scratch.byteLength);

/** Encodes one series' state (see the module comment). */
export function encodeSeriesState(signature: number, r: SeriesStateRecord): Buffer {
  const labels = r.labels === null ? null : Buffer.from(JSON.stringify(r.labels));
  const tracker = Buffer.from(JSON.stringify(r.tracker));
  const n = r.slab.length;
  const tagBytes = (n + 3) >> 2;
  const head = 1 + 1 + 4 + 4 + 8 + 4 + (labels?.length ?? 0) + 4 + tracker.length + 2;
  // at most 8 bytes a double (a varint of a difference below 2^52 takes at most 8)
  const most = head + tagBytes + 8 * n;
  if (scratch.length < most) {
    scratch = Buffer.alloc(2 * most);
    scratchView = new DataView(scratch.buffer, scratch.byteOffset, scratch.byteLength);
  }
  const out = scratch;
  const view = scratchView;
  let o = out.writeUInt8(VERSION, 0);
  o = out.writeUInt8(r.trendFromWindow ? 1 : 0, o);
  o = out.writeUInt32LE(signature, o);
  o = out.writeUInt32LE(r.window >>> 0, o);
  o = out.writeDoubleLE(r.windowFrom, o);
  o = out.writeUInt32LE(labels?.length ?? 0, o);
  o += labels ? labels.copy(out, o) : 0;
  o = out.writeUInt32LE(tracker.length, o);
  o += tracker.copy(out, o);
  o = out.writeUInt16LE(n, o);
  const tagsAt = o;
  out.fill(0, tagsAt, tagsAt + tagBytes);
  o += tagBytes;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const x = r.slab[i];
    const t = tagOf(x);
    out[tagsAt + (i >> 2)] |= t << ((i & 3) * 2);
    if (t === 1) {
      const d = x - prev;
      prev = x;
      let z = d >= 0 ? 2 * d : -2 * d - 1;
      while (z >= 128) {
        out[o++] = (z % 128) | 128;
        z = Math.floor(z / 128);
      }
      out[o++] = z;
    } else if (t === 2) {
      view.setFloat32(o, x, true);
      o += 4;
    } else if (t === 3) {
      view.setFloat64(o, x, true);
      o += 8;
    }
  }
  return Buffer.from(out.subarray(0, o));
}

/**
 * Decodes a state written by {@link encodeSeriesState}; null when it was made for another
 * signature (settings or slab layout changed) or by another version.
 */
export function decodeSeriesState(signature: number, bytes: Uint8Array): SeriesStateRecord | null {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 15 && b.readUInt8(0) === 1) {
    return b.readUInt32LE(1) === signature ? decodeVersion1(b) : null;
  }
  if (b.length < 28 || b.readUInt8(0) !== VERSION || b.readUInt32LE(2) !== signature) {
    return null;
  }
  const trendFromWindow = (b.readUInt8(1) & 1) === 1;
  const window = b.readUInt32LE(6);
  const windowFrom = b.readDoubleLE(10);
  const { labels, tracker, end } = readJsonParts(b, 18);
  let o = end;
  const n = b.readUInt16LE(o);
  o += 2;
  const tagsAt = o;
  o += (n + 3) >> 2;
  const slab = new Float64Array(n);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const t = (b[tagsAt + (i >> 2)] >> ((i & 3) * 2)) & 3;
    if (t === 1) {
      let z = 0;
      let scale = 1;
      for (;;) {
        const c = b[o++];
        z += (c & 127) * scale;
        scale *= 128;
        if (c < 128) {
          break;
        }
      }
      prev += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      slab[i] = prev;
    } else if (t === 2) {
      slab[i] = view.getFloat32(o, true);
      o += 4;
    } else if (t === 3) {
      slab[i] = view.getFloat64(o, true);
      o += 8;
    }
  }
  return { labels, tracker, slab, window, windowFrom, trendFromWindow };
}

/** The two length-prefixed JSON parts from `o` on: the labels (length 0: left out) and the tracker. */
function readJsonParts(b: Buffer, o: number) {
  const ll = b.readUInt32LE(o);
  o += 4;
  const labels = ll === 0 ? null : (JSON.parse(b.toString('utf8', o, o + ll)) as Record<string, string>);
  o += ll;
  const tl = b.readUInt32LE(o);
  o += 4;
  const tracker = JSON.parse(b.toString('utf8', o, o + tl)) as IncidentTrackerState;
  return { labels, tracker, end: o + tl };
}

/**
 * A row of version 1 (the slab whole, each double tagged 0 for +0, 1 for a float32, 2 for 8 bytes;
 * no window hash), read so an upgrade keeps its series' states; the next save writes version 2.
 */
function decodeVersion1(b: Buffer): SeriesStateRecord {
  const { labels, tracker, end } = readJsonParts(b, 5);
  let o = end;
  const n = b.readUInt16LE(o);
  o += 2;
  const tagsAt = o;
  o += (n + 3) >> 2;
  const slab = new Float64Array(n);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < n; i++) {
    const t = (b[tagsAt + (i >> 2)] >> ((i & 3) * 2)) & 3;
    if (t === 1) {
      slab[i] = view.getFloat32(o, true);
      o += 4;
    } else if (t === 2) {
      slab[i] = view.getFloat64(o, true);
      o += 8;
    }
  }
  return { labels, tracker, slab, window: 0, windowFrom: Number.NaN, trendFromWindow: false, whole: true };
}
