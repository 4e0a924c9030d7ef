/**
 * Runs jobs on fixed intervals without ever overlapping a job with itself: when a tick comes while
 * the previous run is still going, that tick is skipped (and counted), as Prometheus' rule manager
 * does with a slow rule group. Each job's first run is delayed by a small random jitter, so jobs
 * configured with the same interval do not all query the datasources in the same millisecond.
 */

/** A job the scheduler runs. */
export interface Job {
  /** Unique name (used in metrics and logs). */
  name: string;
  intervalMs: number;
  /** One run; `signal` aborts when the scheduler stops and a run outlives the stop's grace period. */
  run(signal: AbortSignal): Promise<void>;
}

/** Hooks for metrics and logs. */
export interface SchedulerHooks {
  /** A tick was skipped because the previous run was still going. */
  onSkip?(job: string): void;
  /** A run threw (runs should handle their own errors; this is the last line). */
  onError?(job: string, err: unknown): void;
}

/** Options of {@link Scheduler}. */
export interface SchedulerOptions extends SchedulerHooks {
  /** Largest first-run delay as a fraction of the interval (default 0.1), capped by `maxJitterMs`. */
  jitterFraction?: number;
  /** Cap of the first-run delay (default 5000 ms). */
  maxJitterMs?: number;
  /** Random source in [0, 1) (tests pass a fixed one). */
  random?: () => number;
}

interface Entry {
  job: Job;
  timer?: NodeJS.Timeout;
  nextAt: number;
  running?: Promise<void>;
  skips: number;
  runs: number;
}

/** Per-job counters. */
export interface JobStats {
  runs: number;
  skips: number;
  running: boolean;
}

/** The evaluation loop. */
export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(private readonly opts: SchedulerOptions = {}) {}

  /** Adds a job and starts its timer; throws on a duplicate name or a non-positive interval. */
  add(job: Job): void {
    if (this.stopped) {
      throw new Error('scheduler: stopped');
    }
    if (this.entries.has(job.name)) {
      throw new Error(`scheduler: duplicate job "${job.name}"`);
    }
    if (!(job.intervalMs > 0)) {
      throw new Error(`scheduler: job "${job.name}": interval must be positive`);
    }
    const fraction = this.opts.jitterFraction ?? 0.1;
    const jitter =
      Math.min(job.intervalMs * fraction, this.opts.maxJitterMs ?? 5000) * (this.opts.random ?? Math.random)();
    const entry: Entry = { job, nextAt: Date.now() + jitter, skips: 0, runs: 0 };
    this.entries.set(job.name, entry);
    this.arm(entry);
  }

  /** Counters of one job (undefined for an unknown name). */
  stats(name: string): JobStats | undefined {
    const e = this.entries.get(name);
    return e && { runs: e.runs, skips: e.skips, running: e.running !== undefined };
  }

  /**
   * Stops all timers and waits for runs in flight. After `graceMs` (default: wait forever) the runs'
   * signal is aborted so their datasource calls give up. Idempotent.
   */
  async stop(graceMs?: number): Promise<void> {
    this.stopped = true;
    for (const e of this.entries.values()) {
      clearTimeout(e.timer);
    }
    const inFlight = [...this.entries.values()].flatMap((e) => (e.running ? [e.running] : []));
    let grace: NodeJS.Timeout | undefined;
    if (graceMs !== undefined) {
      grace = setTimeout(() => this.abort.abort(new Error('scheduler stopped')), graceMs);
    }
    await Promise.all(inFlight);
    clearTimeout(grace);
  }

  private arm(e: Entry): void {
    if (this.stopped) {
      return;
    }
    e.timer = setTimeout(() => this.tick(e), Math.max(0, e.nextAt - Date.now()));
  }

  private tick(e: Entry): void {
    // Next tick on the fixed grid; a run that overran several ticks lands on the next grid point.
    const now = Date.now();
    e.nextAt += e.job.intervalMs;
    if (e.nextAt <= now) {
      e.nextAt += Math.ceil((now - e.nextAt + 1) / e.job.intervalMs) * e.job.intervalMs;
    }
    this.arm(e);
    if (e.running) {
      e.skips++;
      this.opts.onSkip?.(e.job.name);
      return;
    }
    e.runs++;
    e.running = (async () => {
      try {
        await e.job.run(this.abort.signal);
      } catch (err) {
        this.opts.onError?.(e.job.name, err);
      } finally {
        e.running = undefined;
      }
    })();
  }
}
