/**
 * Remote write for the rule benchmark's bulk load: the same protocol as the harness' `remoteWrite()`
 * (prometheus.WriteRequest, snappy block format with literals only), encoded straight into one
 * Buffer. The harness encoder builds nested number arrays and BigInt varints, which is fine for a
 * test's hundred samples and takes minutes for the benchmark's two million.
 */

/** One series: sorted-or-not labels (with `__name__`), timestamps (ms) and values of equal length. */
export interface BulkSeries {
  labels: Record<string, string>;
  timestamps: readonly number[];
  values: readonly number[];
}

/** Bytes of a protobuf varint for a non-negative integer below 2^53. */
function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** A forward-only writer over a preallocated Buffer. */
class Writer {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  varint(n: number): void {
    // Division rather than bit shifts: timestamps in ms exceed 32 bits.
    while (n >= 128) {
      this.buf[this.pos++] = (n % 128) | 128;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }

  bytes(b: Buffer): void {
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }
}

/** Encodes a WriteRequest: timeseries=1 { labels=1 { name=1, value=2 }, samples=2 { value=1, timestamp=2 } }. */
export function encodeBulkWriteRequest(series: readonly BulkSeries[]): Buffer {
  // First pass: sizes (protobuf length prefixes come before their payloads).
  const prepared = series.map((s) => {
    const labels = Object.entries(s.labels)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => {
        const name = Buffer.from(k);
        const value = Buffer.from(v);
        const size = 1 + varintSize(name.length) + name.length + 1 + varintSize(value.length) + value.length;
        return { name, value, size };
      });
    let size = 0;
    for (const l of labels) {
      size += 1 + varintSize(l.size) + l.size;
    }
    const sampleSizes = s.timestamps.map((t) => 1 + 8 + 1 + varintSize(t));
    for (const ss of sampleSizes) {
      size += 1 + varintSize(ss) + ss;
    }
    return { labels, sampleSizes, size, s };
  });
  let total = 0;
  for (const p of prepared) {
    total += 1 + varintSize(p.size) + p.size;
  }
  const w = new Writer(Buffer.alloc(total));
  for (const p of prepared) {
    w.varint((1 << 3) | 2);
    w.varint(p.size);
    for (const l of p.labels) {
      w.varint((1 << 3) | 2);
      w.varint(l.size);
      w.varint((1 << 3) | 2);
      w.varint(l.name.length);
      w.bytes(l.name);
      w.varint((2 << 3) | 2);
      w.varint(l.value.length);
      w.bytes(l.value);
    }
    for (let i = 0; i < p.s.timestamps.length; i++) {
      w.varint((2 << 3) | 2);
      w.varint(p.sampleSizes[i]);
      w.buf[w.pos++] = (1 << 3) | 1; // double, fixed64
      w.buf.writeDoubleLE(p.s.values[i], w.pos);
      w.pos += 8;
      w.buf[w.pos++] = (2 << 3) | 0; // int64 varint
      w.varint(p.s.timestamps[i]);
    }
  }
  if (w.pos !== total) {
    throw new Error(`remote write encoding: wrote ${w.pos} bytes, expected ${total}`);
  }
  return w.buf;
}

/** Snappy block format, literals only (valid for any decoder, uncompressed): length, then 64 KiB literals. */
export function snappyLiteral(data: Buffer): Buffer {
  const chunks = Math.ceil(data.length / 65536);
  const w = new Writer(Buffer.alloc(varintSize(data.length) + chunks * 3 + data.length));
  w.varint(data.length);
  for (let off = 0; off < data.length; off += 65536) {
    const chunk = data.subarray(off, Math.min(off + 65536, data.length));
    const n = chunk.length - 1;
    if (n < 60) {
      w.buf[w.pos++] = n << 2;
    } else if (n < 256) {
      w.buf[w.pos++] = 60 << 2;
      w.buf[w.pos++] = n;
    } else {
      w.buf[w.pos++] = 61 << 2;
      w.buf[w.pos++] = n & 0xff;
      w.buf[w.pos++] = n >> 8;
    }
    w.bytes(chunk);
  }
  return w.buf.subarray(0, w.pos);
}

/** Pushes series to Prometheus' remote-write receiver in one request; throws on a non-2xx answer. */
export async function pushBulk(url: string, series: readonly BulkSeries[]): Promise<void> {
  const res = await fetch(`${url}/api/v1/write`, {
    method: 'POST',
    headers: {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    body: snappyLiteral(encodeBulkWriteRequest(series)),
  });
  if (!res.ok) {
    throw new Error(`remote write to ${url}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
}
