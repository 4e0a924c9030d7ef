// Loading test data into Prometheus: OpenMetrics text for promtool backfill (days of history), and the
// remote-write protocol (protobuf WriteRequest, snappy block format) for pushing recent samples.
// Both are small enough to encode by hand, which avoids a native snappy dependency.

/** A series to load: labels (including `__name__`) and samples with timestamps in milliseconds. */
export interface Series {
  labels: Record<string, string>;
  samples: Array<{ timestamp: number; value: number }>;
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) {
    return 'NaN';
  }
  if (!Number.isFinite(v)) {
    return v > 0 ? '+Inf' : '-Inf';
  }
  return String(v);
}

/**
 * Renders series as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`: grouped by
 * metric name (OpenMetrics forbids interleaving a family), samples in time order, timestamps in seconds,
 * ending with `# EOF`. Every metric is declared `gauge`, which backfill accepts for counters too.
 */
export function toOpenMetrics(series: Series[]): string {
  const byName = new Map<string, Series[]>();
  for (const s of series) {
    const name = s.labels.__name__;
    if (!name || !NAME_RE.test(name)) {
      throw new Error(`series needs a valid __name__ label, got ${JSON.stringify(name)}`);
    }
    byName.set(name, [...(byName.get(name) ?? []), s]);
  }
  const out: string[] = [];
  for (const [name, group] of byName) {
    out.push(`# TYPE ${name} gauge`);
    for (const s of group) {
      const labels = Object.entries(s.labels)
        .filter(([k]) => k !== '__name__')
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(',');
      const head = labels ? `${name}{${labels}}` : name;
      const sorted = [...s.samples].sort((a, b) => a.timestamp - b.timestamp);
      for (const p of sorted) {
        out.push(`${head} ${formatValue(p.value)} ${(p.timestamp / 1000).toFixed(3)}`);
      }
    }
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

// --- protobuf (just what prometheus.WriteRequest needs) ---

function varint(n: bigint, out: number[]): void {
  let v = BigInt.asUintN(64, n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

function lengthDelimited(field: number, payload: number[] | Uint8Array, out: number[]): void {
  varint(BigInt((field << 3) | 2), out);
  varint(BigInt(payload.length), out);
  for (const b of payload) {
    out.push(b);
  }
}

function encodeString(field: number, s: string, out: number[]): void {
  lengthDelimited(field, new TextEncoder().encode(s), out);
}

/** Encodes a prometheus.WriteRequest (remote write 1.0): timeseries=1 { labels=1, samples=2 }. */
export function encodeWriteRequest(series: Series[]): Uint8Array {
  const out: number[] = [];
  for (const s of series) {
    const ts: number[] = [];
    // Prometheus expects labels sorted by name.
    for (const [name, value] of Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const label: number[] = [];
      encodeString(1, name, label);
      encodeString(2, value, label);
      lengthDelimited(1, label, ts);
    }
    for (const p of [...s.samples].sort((a, b) => a.timestamp - b.timestamp)) {
      const sample: number[] = [];
      sample.push((1 << 3) | 1); // value: double, fixed64
      const buf = new DataView(new ArrayBuffer(8));
      buf.setFloat64(0, p.value, true);
      for (let i = 0; i < 8; i++) {
        sample.push(buf.getUint8(i));
      }
      sample.push((2 << 3) | 0); // timestamp: int64 varint
      varint(BigInt(Math.round(p.timestamp)), sample);
      lengthDelimited(2, sample, ts);
    }
    lengthDelimited(1, ts, out);
  }
  return Uint8Array.from(out);
}

/**
 * Snappy block format using literals only: valid input for any snappy decoder, just not compressed.
 * Layout: varint(uncompressed length), then literal elements (tag 61 = 2-byte length, max 65536 bytes).
 */
export function snappyEncodeLiteral(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  varint(BigInt(data.length), out);
  for (let off = 0; off < data.length; off += 65536) {
    const chunk = data.subarray(off, Math.min(off + 65536, data.length));
    const n = chunk.length - 1;
    if (n < 60) {
      out.push(n << 2);
    } else if (n < 256) {
      out.push(60 << 2, n);
    } else {
      out.push(61 << 2, n & 0xff, n >> 8);
    }
    for (const b of chunk) {
      out.push(b);
    }
  }
  return Uint8Array.from(out);
}

/**
 * Pushes series to a Prometheus started with `remoteWrite: true`. Samples must be recent (Prometheus
 * rejects samples older than its head block); use backfill for history.
 */
export async function remoteWrite(url: string, series: Series[]): Promise<void> {
  const body = snappyEncodeLiteral(encodeWriteRequest(series));
  const res = await fetch(`${url}/api/v1/write`, {
    method: 'POST',
    headers: {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    body,
  });
  if (!res.ok) {
    throw new Error(`remote write to ${url}: HTTP ${res.status} ${await res.text()}`);
  }
}
