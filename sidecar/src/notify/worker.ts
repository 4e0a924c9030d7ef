/**
 * The outbox worker: claims due notifications from the store, sends them, and records the outcome.
 *
 * Delivery is at-least-once. A notification is marked `sent` only after the channel accepted it; a
 * crash between the channel's 2xx and `markSent` leaves the row `sending` until its lease runs out,
 * and then a worker sends it again — once more, not more, since the resend is marked like any other.
 * That resend is harmless where it matters: PagerDuty events carry the group's `dedup_key`, which
 * PagerDuty folds into the open incident; Slack and webhooks may show the message twice. The outbox's
 * own dedup key (channel, group key, content) keeps an enqueuer that runs twice from sending twice.
 * Alertmanager, in contrast, keeps pending notifications in memory and loses them on a restart.
 *
 * Retries use exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): delay = random(0, min(cap, base·2^(attempt-1))), never earlier than the channel's
 * `Retry-After`. A notification still undelivered `maxAgeMs` after it was enqueued, or refused for
 * good (400, 401, 404, …), is marked `failed` and stays visible in the log until retried by hand.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { outboxPayloadText } from '../store/sqliteOutbox';
import type { OutboxHandoff } from '../store/notifyStore';
import type { OutboxRecord, OutboxStore } from '../store/store';
import type { ChannelSender, SendResult } from './sender';

/** Options of {@link OutboxWorker}. */
export interface OutboxWorkerOptions {
  store: OutboxStore;
  /** The sender of each channel name; a notification for an unknown channel fails. */
  senders: Readonly<Record<string, ChannelSender>>;
  /**
   * This worker's claim owner id. Give a stable one per node (host and store): at start the worker
   * releases what a crashed predecessor with the same id still held, rather than waiting out the
   * leases. Default: a random UUID (a restarted process is a new worker; its predecessor's claims
   * wait for their leases).
   */
  workerId?: string;
  /**
   * Poll interval, ms (default 250), when the outbox had fewer due rows than free slots. After a claim
   * that filled every slot the worker polls again as soon as half the slots are free, so a backlog
   * drains at the channels' pace rather than `concurrency` per interval. `kick()` polls at once.
   */
  intervalMs?: number;
  /**
   * Most notifications in flight at once (default 256): a flush enqueues one per due group, often
   * hundreds at the same instant, and each waits for a slot (Alertmanager sends every group's at once).
   * With 64, a 500-group burst went out 32 at a time, one batch per round trip of the slowest.
   */
  concurrency?: number;
  /** Claim lease, ms (default 60 s); keep it above the senders' timeout so a slow send is not resent. */
  leaseMs?: number;
  /** Give up this long after enqueueing, ms (default 1 h). */
  maxAgeMs?: number;
  /** Backoff base and cap, ms (default 1 s and 5 min). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** `vigil_notifications_total{channel,status}`: status `sent`, `retry` or `failed`. */
  counter?: Counter<'channel' | 'status'>;
  logger?: Logger;
  /** Clock and randomness, for tests. */
  now?: () => number;
  random?: () => number;
}

/** Full-jitter backoff before attempt `attempts + 1`: uniform in [0, min(cap, base·2^(attempts-1))). */
export function backoffDelay(
  attempts: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return Math.floor(random() * ceiling);
}

/**
 * When to try a failed notification again, or null to give up: never before `Retry-After`, never
 * after the deadline (the last attempt is made at the deadline when the backoff would pass it).
 */
export function nextAttemptAt(
  now: number,
  deadline: number,
  backoffMs: number,
  retryAfterMs: number | undefined
): number | null {
  const earliest = now + (retryAfterMs ?? 0);
  if (now >= deadline || earliest > deadline) {
    return null;
  }
  return Math.max(earliest, Math.min(now + backoffMs, deadline));
}

/** Sends the outbox's due notifications until stopped. */
export class OutboxWorker {
  readonly workerId: string;
  private readonly opts: Required<Omit<OutboxWorkerOptions, 'counter' | 'logger' | 'workerId'>> &
    Pick<OutboxWorkerOptions, 'counter' | 'logger'>;
  private readonly inFlight = new Set<Promise<void>>();
  private abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private polling: Promise<void> | undefined;
  private again = false;
  private released = false;
  /** The last poll filled every free slot, so more rows may be due: refill as slots free up. */
  private backlog = false;
  /** See {@link deferTo}. */
  private peersAwake: (() => boolean) | undefined;

  constructor(options: OutboxWorkerOptions) {
    this.workerId = options.workerId ?? randomUUID();
    this.opts = {
      intervalMs: 250,
      concurrency: 256,
      leaseMs: 60_000,
      maxAgeMs: 3_600_000,
      baseDelayMs: 1000,
      maxDelayMs: 300_000,
      now: Date.now,
      random: Math.random,
      ...options,
    };
  }

  /** Starts polling (no-op when running). */
  start(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.abort = new AbortController();
    // Every send in flight listens to the signal (a few listeners each): Node's default of 10 made a
    // burst log a MaxListenersExceededWarning.
    setMaxListeners(4 * this.opts.concurrency + 10, this.abort.signal);
    this.wake();
  }

  /**
   * HA (issue 14): while `peersAwake()` is true, other replicas' workers are listening for new outbox
   * rows (a flush's commit wakes them), so this worker — the leader's, whose process also receives,
   * routes and flushes — takes no hand-over from a flush and ignores {@link kick}: the sends go to the
   * otherwise idle replicas, and this worker only claims what is still due at its own polls (a peer
   * that died meanwhile delays a send by one poll interval at most). Undefined: never defer.
   */
  deferTo(peersAwake: (() => boolean) | undefined): void {
    this.peersAwake = peersAwake;
  }

  /** Polls now instead of at the next interval (e.g. right after an enqueue), unless deferring to peers. */
  kick(): void {
    if (this.peersAwake?.()) {
      return;
    }
    this.wake();
  }

  private wake(): void {
    if (!this.running) {
      return;
    }
    if (this.polling) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.polling = this.poll()
      .catch((err: unknown) => this.opts.logger?.warn({ err: (err as Error).message }, 'outbox poll failed'))
      .finally(() => {
        this.polling = undefined;
        if (!this.running) {
          return;
        }
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          this.timer = setTimeout(() => this.wake(), this.opts.intervalMs);
        }
      });
  }

  /**
   * Stops polling, aborts sends in flight and waits for them. An aborted send may have reached the
   * channel, so it is put back as due now: the next worker sends it again (at-least-once).
   */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.polling;
    await Promise.all([...this.inFlight]);
  }

  /** Resolves once nothing is in flight (tests and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.polling || this.inFlight.size > 0) {
      await this.polling;
      await Promise.all([...this.inFlight]);
    }
  }

  /**
   * What a flush in this process may store already claimed by this worker (see {@link OutboxHandoff}),
   * or undefined when it cannot take sends now (stopped, not yet past its start-up release of a
   * predecessor's claims — which would put the rows back — or no free slot). Pass the records the
   * store returns to {@link take} at once.
   */
  handoff(): OutboxHandoff | undefined {
    const free = this.opts.concurrency - this.inFlight.size;
    if (!this.running || !this.released || free <= 0 || this.peersAwake?.()) {
      return undefined;
    }
    return { worker: this.workerId, claimedUntil: this.opts.now() + this.opts.leaseMs, limit: free };
  }

  /**
   * Sends records claimed for this worker by a flush ({@link handoff}), as if `claimDue` had returned
   * them. Stopped meanwhile: they stay claimed, like a crash's, for the next worker to take over.
   */
  take(records: readonly OutboxRecord[]): void {
    if (this.running) {
      records.forEach((r) => this.launch(r));
    }
  }

  private launch(record: OutboxRecord): void {
    const p: Promise<void> = this.deliver(record)
      .catch((err: unknown) =>
        this.opts.logger?.warn({ id: record.id, err: (err as Error).message }, 'outbox delivery failed')
      )
      .finally(() => {
        this.inFlight.delete(p);
        this.refill();
      });
    this.inFlight.add(p);
  }

  private async poll(): Promise<void> {
    if (!this.released) {
      // Sends that a crashed predecessor (same id) had in flight: one more attempt each, now.
      const n = await this.opts.store.releaseClaims(this.workerId, this.opts.now());
      this.released = true;
      if (n > 0) {
        this.opts.logger?.info({ notifications: n }, 'outbox: took over the sends of a previous run');
      }
    }
    const free = this.opts.concurrency - this.inFlight.size;
    if (free <= 0) {
      return;
    }
    const claimed = await this.opts.store.claimDue(this.opts.now(), free, this.workerId, this.opts.leaseMs);
    this.backlog = claimed.length === free;
    claimed.forEach((r) => this.launch(r));
  }

  /**
   * Polls again once half the slots are free while a backlog is known: claiming in batches of at
   * least half the slots keeps the claim transactions few, and the other half keeps the channel busy.
   */
  private refill(): void {
    if (this.backlog && this.running && this.inFlight.size <= this.opts.concurrency / 2) {
      this.backlog = false;
      this.wake();
    }
  }

  private async deliver(r: OutboxRecord): Promise<void> {
    const { store, counter, logger } = this.opts;
    const sender = this.opts.senders[r.channel];
    // The stored JSON text, for a sender that posts it as it is: the payload is then never parsed.
    const text = sender?.acceptsPayloadText ? outboxPayloadText(r) : undefined;
    const result: SendResult = !sender
      ? { ok: false, retryable: false, error: `no sender for channel "${r.channel}"` }
      : text !== undefined
        ? await sender(undefined, this.abort.signal, { id: r.id, payloadText: text })
        : await sender(r.payload, this.abort.signal, { id: r.id });
    const now = this.opts.now();
    if (result.ok) {
      await store.markSent(r.id, now);
      counter?.inc({ channel: r.channel, status: 'sent' });
      return;
    }
    const error = result.error ?? 'failed';
    if (this.abort.signal.aborted) {
      // Stopping: not the channel's fault, and not an attempt that should push the backoff.
      await store.markRetry(r.id, now, error);
      return;
    }
    const next = result.retryable
      ? nextAttemptAt(
          now,
          r.createdAt + this.opts.maxAgeMs,
          backoffDelay(r.attempts, this.opts.baseDelayMs, this.opts.maxDelayMs, this.opts.random),
          result.retryAfterMs
        )
      : null;
    if (next === null) {
      const why = result.retryable ? `gave up after ${r.attempts} attempts: ${error}` : error;
      await store.markFailed(r.id, why);
      counter?.inc({ channel: r.channel, status: 'failed' });
      logger?.warn({ id: r.id, channel: r.channel, attempts: r.attempts, error: why }, 'notification failed');
      return;
    }
    await store.markRetry(r.id, next, error);
    counter?.inc({ channel: r.channel, status: 'retry' });
    logger?.debug({ id: r.id, channel: r.channel, attempts: r.attempts, next, error }, 'notification retry');
  }
}
