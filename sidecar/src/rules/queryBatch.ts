/**
 * How the rule engine sends queries: identical (datasource, query, time) of one tick go out once and
 * share the answer, and every query waits for a slot of one pool shared by all ticks, so 10k rules
 * never open 10k connections to the datasource at once.
 */

/** A counting semaphore: at most `limit` tasks run at once, the others wait in arrival order. */
export class Pool {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  /** Runs `task` once a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next(); // the slot passes straight to the next task
      } else {
        this.active--;
      }
    }
  }

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }
}

/** Counts sent and deduplicated queries (the engine's `vigil_rule_queries_total`). */
export interface BatchCounter {
  sent(): void;
  deduplicated(): void;
}

/**
 * The queries of one tick. `get(key, run)` starts `run` through the pool the first time a key is
 * asked for and hands the same promise to every later caller with that key.
 */
export class QueryBatch<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(
    private readonly pool: Pool,
    private readonly counter?: BatchCounter
  ) {}

  /** The answer for `key`, running `run` only if no caller of this batch asked for it yet. */
  get(key: string, run: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) {
      this.counter?.deduplicated();
      return existing;
    }
    this.counter?.sent();
    const p = this.pool.run(run);
    // Every caller awaits it; this keeps an unawaited rejection from being reported as unhandled.
    p.catch(() => undefined);
    this.inFlight.set(key, p);
    return p;
  }

  /** Distinct keys asked for. */
  get size(): number {
    return this.inFlight.size;
  }
}

/** The dedup key of an instant query. */
export function instantKey(datasource: string, query: string, at: number): string {
  return `${datasource}\u0000${at}\u0000${query}`;
}
