/**
 * The instant queries of one tick: rules register what they need (`get`), identical (datasource,
 * query, time) share one answer, and `flush` sends the distinct ones through the engine's pool,
 * Prometheus ones batched per (datasource, time) (see promBatch.ts).
 */
import type { Series, Source } from '../sources';
import { MAX_BATCH, runBatch, type BatchAnswer } from './promBatch';
import { instantKey, type BatchCounter, type Pool } from './queryBatch';

interface Pending {
  source: Source;
  query: string;
  at: number;
  timeoutMs: number;
  resolve(series: Series[]): void;
  reject(err: unknown): void;
  promise: Promise<Series[]>;
}

/** Counts HTTP requests as well as logical queries. */
export interface TickCounter extends BatchCounter {
  request(): void;
}

/** Queries remembered as unfit for a batch; bounded so a stream of bad queries cannot grow it. */
const MAX_SOLO = 10_000;

/** One tick's instant queries. */
export class TickQueries {
  private readonly pending = new Map<string, Pending>();
  private flushed = false;

  constructor(
    private readonly pool: Pool,
    private readonly solo: Set<string>,
    private readonly counter?: TickCounter,
    private readonly signal?: AbortSignal
  ) {}

  /** The answer of `query` on `source` at `at` (sent at `flush`, once per distinct key). */
  get(source: Source, query: string, at: number, timeoutMs: number): Promise<Series[]> {
    const key = instantKey(source.name, query, at);
    const existing = this.pending.get(key);
    if (existing) {
      this.counter?.deduplicated();
      existing.timeoutMs = Math.min(existing.timeoutMs, timeoutMs);
      return existing.promise;
    }
    if (this.flushed) {
      throw new Error('tick queries: get after flush');
    }
    this.counter?.sent();
    let resolve!: (s: Series[]) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<Series[]>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined); // every caller awaits it; no unhandled-rejection report
    this.pending.set(key, { source, query, at, timeoutMs, resolve, reject, promise });
    return promise;
  }

  /** Sends every registered query; resolves when all are answered. */
  async flush(): Promise<void> {
    this.flushed = true;
    if (this.solo.size > MAX_SOLO) {
      this.solo.clear();
    }
    const groups = new Map<string, Pending[]>();
    const runs: Array<Promise<void>> = [];
    for (const p of this.pending.values()) {
      if (p.source.type !== 'prometheus' || this.solo.has(soloKey(p))) {
        runs.push(this.send([p]));
        continue;
      }
      const g = `${p.source.name}\u0000${p.at}`;
      const list = groups.get(g) ?? [];
      list.push(p);
      groups.set(g, list);
    }
    for (const list of groups.values()) {
      for (let i = 0; i < list.length; i += MAX_BATCH) {
        runs.push(this.send(list.slice(i, i + MAX_BATCH)));
      }
    }
    await Promise.all(runs);
  }

  /** One pool slot: one query alone, or a batch of the same datasource and time. */
  private async send(batch: Pending[]): Promise<void> {
    const [first] = batch;
    const opts = { timeoutMs: Math.min(...batch.map((p) => p.timeoutMs)), signal: this.signal };
    const learned = new Set<string>();
    const answers: BatchAnswer[] = await this.pool.run(() =>
      runBatch(
        first.source,
        batch.map((p) => p.query),
        first.at,
        opts,
        learned,
        () => this.counter?.request()
      )
    );
    for (const q of learned) {
      this.solo.add(`${first.source.name}\u0000${q}`);
    }
    answers.forEach((a, i) => (a.ok ? batch[i].resolve(a.series) : batch[i].reject(a.error)));
  }
}

function soloKey(p: Pending): string {
  return `${p.source.name}\u0000${p.query}`;
}
