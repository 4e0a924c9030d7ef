/**
 * Which replica evaluates (issue 14). Every replica claims the lease every `renewMs` (a third of the
 * lease): the holder renews it, the others take it once it has expired. The leader's own deadline runs
 * on this process's monotonic clock from the moment it SENT the last successful claim (the database set
 * `expires_at` later than that), minus a margin: the leader stops before anyone can take over, even when
 * its renewals hang. A lost lease connection stops it at once.
 */
import type { Logger } from 'pino';
import type { LeaseBackend, LeaseRecord } from './lease';

/** Options of {@link Leadership}. */
export interface LeadershipOptions {
  backend: LeaseBackend;
  /** This replica's id (config `ha.replicaId`). */
  replicaId: string;
  /** Lease name (default `evaluation`). */
  name?: string;
  /** Lease length, ms. */
  leaseMs: number;
  /** Time between claims, ms (default a third of the lease). */
  renewMs?: number;
  /** The leader stops this long before its lease ends when it could not renew, ms (default a fifth). */
  marginMs?: number;
  logger?: Logger;
  /**
   * The lease cannot be lost (SQLite's, in this process): no deadline, so a stalled event loop (a long
   * synchronous job) never makes the only process step down.
   */
  exclusive?: boolean;
}

/** What `GET /api/v1/monitoring/health` says about leadership (field `ha`). */
export interface HaStatus {
  replicaId: string;
  /** This replica evaluates now. */
  leader: boolean;
  /** The replica holding the lease as last read (null: nobody yet, or unknown). */
  leaderId: string | null;
  /** The lease's fencing term as last read. */
  term: number;
  /** Seconds since the lease was last renewed (by whoever holds it), as last read plus time since. */
  leaseAgeSeconds: number | null;
  /** Times this replica became or stopped being leader. */
  changes: number;
}

/** Called on every change of leadership, in order; `term` is the lease's term at the change. */
export type LeadershipListener = (leading: boolean, term: number) => void | Promise<void>;

/** The claim loop and this replica's view of who leads. */
export class Leadership {
  private leading = false;
  private term: number | null = null;
  private deadline = 0;
  private record: LeaseRecord | null = null;
  /** performance.now() when `record` was read. */
  private readAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private claiming: Promise<void> | undefined;
  private changes = 0;
  private backoffUntil = 0;
  private readonly listeners: LeadershipListener[] = [];
  private notified: Promise<void> = Promise.resolve();
  private readonly name: string;
  private readonly renewMs: number;
  private readonly marginMs: number;

  constructor(private readonly opts: LeadershipOptions) {
    this.name = opts.name ?? 'evaluation';
    this.renewMs = opts.renewMs ?? opts.leaseMs / 3;
    this.marginMs = opts.marginMs ?? opts.leaseMs / 5;
    if (this.renewMs + this.marginMs >= opts.leaseMs) {
      throw new Error('ha: renew interval plus margin must be shorter than the lease');
    }
    opts.backend.onLost(() => {
      // A replica cut from the database is the likelier sick one: it lets the others take the lease
      // first (its reconnection would otherwise win the advisory lock and the lease in turn).
      this.backoffUntil = performance.now() + opts.leaseMs;
      this.stepDown('lease connection lost');
    });
  }

  /** Adds a listener (call before {@link start}). */
  onChange(listener: LeadershipListener): void {
    this.listeners.push(listener);
  }

  /** Claims at once, then every `renewMs`; resolves after the first claim (leading or not). */
  async start(): Promise<void> {
    await this.claimOnce();
    this.schedule();
  }

  /** True while this replica leads and its lease, by its own clock, has not reached the margin. */
  isLeader(): boolean {
    return this.leading && (this.opts.exclusive === true || performance.now() < this.deadline);
  }

  /** The current term while leading (the fencing token of this leadership), else null. */
  currentTerm(): number | null {
    return this.isLeader() ? this.term : null;
  }

  /** Tells the listeners the current state again (listeners registered late catch up). */
  replay(): void {
    this.notify(this.isLeader(), this.term ?? 0);
  }

  /** Resolves once every listener has seen every change so far. */
  settled(): Promise<void> {
    return this.notified;
  }

  /** The health report's view. */
  status(): HaStatus {
    const r = this.record;
    const age = r ? Math.max(0, (r.dbNow - r.renewedAt + (performance.now() - this.readAt)) / 1000) : null;
    return {
      replicaId: this.opts.replicaId,
      leader: this.isLeader(),
      leaderId: r && r.dbNow < r.expiresAt ? r.holder : this.isLeader() ? this.opts.replicaId : null,
      term: r?.term ?? 0,
      leaseAgeSeconds: age === null ? null : Math.round(age * 1000) / 1000,
      changes: this.changes,
    };
  }

  /** Stops claiming; a leader steps down and hands the lease over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.claiming;
    const term = this.term;
    this.stepDown('shutting down');
    await this.notified;
    if (term !== null) {
      await this.opts.backend.release(this.name, this.opts.replicaId, term).catch(() => undefined);
    }
    await this.opts.backend.close();
  }

  private schedule(): void {
    if (this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      void this.claimOnce().finally(() => this.schedule());
    }, this.renewMs);
    this.timer.unref();
  }

  private claimOnce(): Promise<void> {
    this.claiming = this.claim().finally(() => {
      this.claiming = undefined;
    });
    return this.claiming;
  }

  private async claim(): Promise<void> {
    const sentAt = performance.now();
    if (sentAt < this.backoffUntil) {
      return;
    }
    try {
      const c = await this.opts.backend.claim(this.name, this.opts.replicaId, this.opts.leaseMs, this.term);
      if (c.record) {
        this.record = c.record;
        this.readAt = performance.now();
      }
      if (this.stopped) {
        return;
      }
      if (!c.held || !c.record) {
        this.stepDown('lease held by another replica');
        return;
      }
      if (this.leading && c.record.term !== this.term) {
        this.stepDown('lease term changed'); // cannot happen with a renew, but never lead across terms
      }
      this.term = c.record.term;
      this.deadline = sentAt + this.opts.leaseMs - this.marginMs;
      clearTimeout(this.deadlineTimer);
      if (!this.opts.exclusive) {
        this.deadlineTimer = setTimeout(
          () => this.stepDown('lease not renewed in time'),
          this.deadline - performance.now()
        );
        this.deadlineTimer.unref();
      }
      if (!this.leading) {
        this.leading = true;
        this.changes++;
        this.opts.logger?.info({ replica: this.opts.replicaId, term: this.term }, 'ha: leading');
        this.notify(true, this.term);
      }
    } catch (err) {
      // The deadline timer steps down if this goes on; one failed claim is not a reason to stop.
      this.opts.logger?.warn({ err: (err as Error).message }, 'ha: lease claim failed');
    }
  }

  private stepDown(reason: string): void {
    clearTimeout(this.deadlineTimer);
    if (!this.leading) {
      this.term = null;
      return;
    }
    const term = this.term ?? 0;
    const expiresAt = this.record?.holder === this.opts.replicaId ? this.record.expiresAt : null;
    this.leading = false;
    this.term = null;
    this.deadline = 0;
    this.changes++;
    // expiresAt (the lease's end, database clock) against this line's time: stopped before it.
    this.opts.logger?.warn({ replica: this.opts.replicaId, term, reason, expiresAt }, 'ha: stopped leading');
    this.notify(false, term);
  }

  private notify(leading: boolean, term: number): void {
    this.notified = this.notified.then(async () => {
      for (const l of this.listeners) {
        try {
          await l(leading, term);
        } catch (err) {
          this.opts.logger?.error({ err, leading }, 'ha: leadership listener failed');
        }
      }
    });
  }
}
