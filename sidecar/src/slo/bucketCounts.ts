/**
 * Hour buckets of an SLO's event counts, so a long window (a day, three days, the 30-day compliance
 * window) is not re-read from the datasource every minute. A recording rule in Prometheus evaluates
 * `increase(x[30d])` over every sample of the month at each evaluation; the sidecar reads each hour
 * once (`increase(x[1h])` at a one-hour step) and afterwards only the hour that just ended, and sums.
 *
 * A window (now − w, now] is the hours that end in it, plus the part of the oldest hour it covers
 * (pro-rated: the hour's events spread evenly), plus the tail since the last full hour, which the
 * caller counts with an instant query. An hour is read again until it is `FINAL_AFTER_MS` old when
 * read, so samples scraped late are counted. The buckets are a cache of what the datasource holds
 * (a restart reads them again), not state: they live in memory, per SLO and query.
 */
import type { EventCounts } from '@vigil/core';

/** Bucket length. */
export const BUCKET_MS = 3_600_000;
/** Windows at least this long are summed from buckets (shorter ones are cheap to query directly). */
export const BUCKETED_FROM_MS = 12 * BUCKET_MS;
/** An hour read at least this long after its end is not read again (late scrapes have landed). */
export const FINAL_AFTER_MS = 5 * 60_000;
/** Entries unused this long are dropped (a deleted or edited SLO). */
const IDLE_MS = 6 * BUCKET_MS;

/** Reads the buckets ending in [fromEnd, toEnd]: per bucket end, the side count and the total. */
export type BucketReader = (fromEnd: number, toEnd: number) => Promise<BucketRows>;

/** Bucket counts by bucket end (epoch ms); a missing end counts zero. */
export type BucketRows = Map<number, { side: number; total: number }>;

interface Entry {
  /** End of the first bucket held. */
  first: number;
  side: number[];
  total: number[];
  /** When the buckets were last read (evaluation time). */
  readAt: number;
  usedAt: number;
  /** A read in progress (one per entry at a time). */
  busy: Promise<void>;
}

/** The counts of one window from buckets: `side` (good or bad, as the SLI counts) and `total`. */
export interface WindowCounts {
  side: number;
  total: number;
}

/** The end of the first bucket that holds time after `t`: buckets are (end − BUCKET_MS, end]. */
export const firstBucketAfter = (t: number): number => Math.floor(t / BUCKET_MS) * BUCKET_MS + BUCKET_MS;

/** The hour buckets of every SLO the service evaluates, keyed by SLO and query. */
export class SloBucketCache {
  private readonly entries = new Map<string, Entry>();

  /** Entries held (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The counts of each window in (now − w, alignedEnd], alignedEnd = the last whole hour at or
   * before `now`, reading what is missing or not final with `read`. `key` names the SLO and its query:
   * another key is another series of buckets.
   */
  async windows(
    key: string,
    windowsMs: readonly number[],
    now: number,
    read: BucketReader
  ): Promise<Map<number, WindowCounts>> {
    const alignedEnd = Math.floor(now / BUCKET_MS) * BUCKET_MS;
    const lo = Math.min(...windowsMs.map((w) => firstBucketAfter(now - w)));
    const entry = await this.fill(key, lo, alignedEnd, now, read);
    entry.usedAt = now;
    const at = (end: number) => {
      const i = (end - entry.first) / BUCKET_MS;
      return i >= 0 && i < entry.side.length ? i : -1;
    };
    const out = new Map<number, WindowCounts>();
    for (const w of windowsMs) {
      const start = now - w;
      const e0 = firstBucketAfter(start);
      const fraction = (e0 - start) / BUCKET_MS;
      let side = 0;
      let total = 0;
      for (let end = e0; end <= alignedEnd; end += BUCKET_MS) {
        const i = at(end);
        if (i < 0) {
          continue;
        }
        const f = end === e0 ? fraction : 1;
        side += f * entry.side[i];
        total += f * entry.total[i];
      }
      out.set(w, { side, total });
    }
    this.sweep(now);
    return out;
  }

  /** Brings the entry to hold every bucket in [lo, hi], final or read now. */
  private async fill(key: string, lo: number, hi: number, now: number, read: BucketReader): Promise<Entry> {
    let entry = this.entries.get(key);
    if (entry) {
      await entry.busy;
    }
    entry = this.entries.get(key);
    if (!entry || entry.first > lo) {
      entry = { first: lo, side: [], total: [], readAt: now, usedAt: now, busy: Promise.resolve() };
      this.entries.set(key, entry);
    }
    const e = entry;
    // Drop the hours no window reaches any more.
    const drop = Math.max(0, Math.min(e.side.length, (lo - e.first) / BUCKET_MS));
    if (drop > 0) {
      e.side.splice(0, drop);
      e.total.splice(0, drop);
      e.first += drop * BUCKET_MS;
    }
    if (e.side.length === 0) {
      e.first = lo;
    }
    // Read from the first hour that is missing or was read too soon after its end.
    const held = e.first + (e.side.length - 1) * BUCKET_MS;
    let from = held + BUCKET_MS;
    for (let end = held; end >= e.first && e.readAt - end < FINAL_AFTER_MS; end -= BUCKET_MS) {
      from = end;
    }
    if (from > hi) {
      return e;
    }
    const reading = read(from, hi).then((rows) => {
      for (let end = from; end <= hi; end += BUCKET_MS) {
        const i = (end - e.first) / BUCKET_MS;
        const row = rows.get(end);
        e.side[i] = row?.side ?? 0;
        e.total[i] = row?.total ?? 0;
      }
      e.readAt = Math.max(e.readAt, now);
    });
    e.busy = reading.catch(() => undefined);
    try {
      await reading;
    } catch (err) {
      // A failed read leaves what was held; a fresh entry holds nothing worth keeping.
      if (e.side.length === 0) {
        this.entries.delete(key);
      }
      throw err;
    }
    return e;
  }

  private sweep(now: number): void {
    for (const [key, e] of this.entries) {
      if (now - e.usedAt > IDLE_MS) {
        this.entries.delete(key);
      }
    }
  }
}

/** Adds the tail (alignedEnd, now] to each window's bucket counts. */
export function withTail(buckets: Map<number, WindowCounts>, tail: WindowCounts): Map<number, WindowCounts> {
  const out = new Map<number, WindowCounts>();
  for (const [w, c] of buckets) {
    out.set(w, { side: c.side + tail.side, total: c.total + tail.total });
  }
  return out;
}

/** Event counts from a window's side count: good directly, or total − bad. */
export function toEvents(c: WindowCounts, sideIsGood: boolean): EventCounts {
  const good = sideIsGood ? c.side : Math.max(0, c.total - c.side);
  return { good: Math.min(good, c.total), total: c.total };
}
