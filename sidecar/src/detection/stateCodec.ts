import type { IncidentTrackerState } from './incident';

/**
 * Binary state of one series of a detector, as saved in `detector_series_state`:
 *
 *   u8 version (1) · u32 signature hash · u32 labels length · labels (JSON, UTF-8) ·
 *   u32 tracker length · tracker (JSON, UTF-8) · u16 doubles · 2-bit tags · payload
 *
 * The slab (the series' part of a DetectorBank) is stored losslessly but compactly: each double is
 * tagged 0 (+0: absent), 1 (exactly a float32: counts, hour indexes, ±Infinity; 4 bytes) or 2
 * (8 bytes). A fresh or young series is mostly zeros; a warm one is mostly real numbers (window
 * values, the daily profile's means and variances), which only a lossy encoding would shrink.
 * The signature hash (detector settings and slab layout) keeps a state from being loaded into a
 * detector it was not made by.
 */
export interface SeriesStateRecord {
  labels: Record<string, string>;
  tracker: IncidentTrackerState;
  slab: Float64Array;
}

const VERSION = 1;

/** FNV-1a (32 bits) of a string: the signature's hash (a mismatch check, not security). */
export function signatureHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const tagOf = (x: number): number => (x === 0 && 1 / x > 0 ? 0 : Math.fround(x) === x ? 1 : 2);

/** Encodes one series' state (see the module comment). */
export function encodeSeriesState(signature: number, r: SeriesStateRecord): Buffer {
  const labels = Buffer.from(JSON.stringify(r.labels));
  const tracker = Buffer.from(JSON.stringify(r.tracker));
  const n = r.slab.length;
  let payload = 0;
  for (let i = 0; i < n; i++) {
    const t = tagOf(r.slab[i]);
    payload += t === 0 ? 0 : t === 1 ? 4 : 8;
  }
  const tagBytes = (n + 3) >> 2;
  const head = 1 + 4 + 4 + labels.length + 4 + tracker.length + 2;
  const out = Buffer.alloc(head + tagBytes + payload);
  let o = out.writeUInt8(VERSION, 0);
  o = out.writeUInt32LE(signature, o);
  o = out.writeUInt32LE(labels.length, o);
  o += labels.copy(out, o);
  o = out.writeUInt32LE(tracker.length, o);
  o += tracker.copy(out, o);
  o = out.writeUInt16LE(n, o);
  const tagsAt = o;
  o += tagBytes;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < n; i++) {
    const x = r.slab[i];
    const t = tagOf(x);
    out[tagsAt + (i >> 2)] |= t << ((i & 3) * 2);
    if (t === 1) {
      view.setFloat32(o, x, true);
      o += 4;
    } else if (t === 2) {
      view.setFloat64(o, x, true);
      o += 8;
    }
  }
  return out;
}

/**
 * Decodes a state written by {@link encodeSeriesState}; null when it was made for another
 * signature (settings or slab layout changed) or by another version.
 */
export function decodeSeriesState(signature: number, bytes: Uint8Array): SeriesStateRecord | null {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 15 || b.readUInt8(0) !== VERSION || b.readUInt32LE(1) !== signature) {
    return null;
  }
  let o = 5;
  const ll = b.readUInt32LE(o);
  o += 4;
  const labels = JSON.parse(b.toString('utf8', o, o + ll)) as Record<string, string>;
  o += ll;
  const tl = b.readUInt32LE(o);
  o += 4;
  const tracker = JSON.parse(b.toString('utf8', o, o + tl)) as IncidentTrackerState;
  o += tl;
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
  return { labels, tracker, slab };
}
