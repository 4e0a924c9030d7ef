/**
 * A binary min-heap of (due time, key): the rule engine's single timer sleeps until the earliest due
 * time instead of holding one timer per rule (10k rules would mean 10k timers re-armed every interval).
 * Entries are removed lazily: `delete` only forgets the key, and a popped entry whose key is gone or
 * was re-scheduled is dropped.
 */
export class DueQueue {
  private heap: Array<{ at: number; key: string }> = [];
  private readonly due = new Map<string, number>();

  /** Number of scheduled keys. */
  get size(): number {
    return this.due.size;
  }

  /** Schedules `key` at `at`, replacing any earlier schedule of it. */
  set(key: string, at: number): void {
    this.due.set(key, at);
    this.heap.push({ at, key });
    this.up(this.heap.length - 1);
    // Replaced entries stay in the heap until popped; rebuild when they dominate it.
    if (this.heap.length > 64 && this.heap.length > 4 * this.due.size) {
      this.heap = [...this.due].map(([k, a]) => ({ at: a, key: k }));
      for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) {
        this.down(i);
      }
    }
  }

  /** When `key` is due, or undefined. */
  get(key: string): number | undefined {
    return this.due.get(key);
  }

  /** Unschedules `key`. */
  delete(key: string): void {
    this.due.delete(key);
  }

  /** The earliest due time, or undefined when empty. */
  peek(): number | undefined {
    this.dropStale();
    return this.heap[0]?.at;
  }

  /** Removes and returns every key due at or before `now` (with its due time), earliest first. */
  popDue(now: number): Array<{ key: string; at: number }> {
    const out: Array<{ key: string; at: number }> = [];
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (!top || top.at > now) {
        return out;
      }
      this.pop();
      this.due.delete(top.key);
      out.push(top);
    }
  }

  private dropStale(): void {
    while (this.heap.length > 0 && this.due.get(this.heap[0].key) !== this.heap[0].at) {
      this.pop();
    }
  }

  private pop(): void {
    const last = this.heap.pop();
    if (last && this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p].at <= h[i].at) {
        return;
      }
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l].at < h[m].at) {
        m = l;
      }
      if (r < h.length && h[r].at < h[m].at) {
        m = r;
      }
      if (m === i) {
        return;
      }
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
}
