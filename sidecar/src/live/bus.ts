/**
 * The live bus: in-process publish/subscribe of the stream's events (alert, incident and anomaly
 * changes) for `GET /api/v1/stream`. Publishing never waits for a subscriber: each one has a bounded
 * queue, and one that falls that far behind (a slow or stalled client) is dropped — it reconnects and
 * reloads, as an EventSource does — rather than holding the publisher or growing without bound.
 * Only a notice of changes: the state itself is in the store, which a client reads on (re)connect.
 */
import type { StreamEvent } from '@vigil/core';

/** The event types, as `?types=` and the SSE `event:` field name them. */
export const STREAM_EVENT_TYPES = ['alert', 'incident', 'anomaly'] as const satisfies ReadonlyArray<
  StreamEvent['type']
>;
/** One of {@link STREAM_EVENT_TYPES}. */
export type StreamEventType = (typeof STREAM_EVENT_TYPES)[number];

/** Events a subscriber may have waiting before it is dropped (default). */
export const DEFAULT_MAX_BUFFERED = 256;

/** An event with its bus-wide sequence number (the SSE `id:`; increasing, gaps where filtered). */
export interface SequencedEvent {
  id: number;
  event: StreamEvent;
}

/** Why a subscription ended. */
export type SubscriptionEnd = 'unsubscribed' | 'overflow' | 'bus_closed';

/** One subscriber's view of the bus. */
export interface Subscription {
  /** The next event, waiting for one; null once the subscription ended (see {@link ended}). */
  next(): Promise<SequencedEvent | null>;
  /** Ends the subscription (idempotent); a pending `next()` answers null. */
  close(): void;
  /** Why it ended; null while it runs. */
  readonly ended: SubscriptionEnd | null;
  /** Settles when it ends, with why (a reader blocked elsewhere, e.g. on a full socket, learns of a drop). */
  readonly done: Promise<SubscriptionEnd>;
}

/** Options of {@link LiveBus.subscribe}. */
export interface SubscribeOptions {
  /** Only these event types (default all). */
  types?: readonly StreamEventType[];
  /** Queue bound of this subscriber (default the bus's). */
  maxBuffered?: number;
}

/** The bus on `AppDeps.live`: the incident API, the dispatcher and detection publish to it. */
export interface LiveBus {
  /** Hands the event to every subscriber that wants it; never blocks, never throws. */
  publish(event: StreamEvent): void;
  subscribe(opts?: SubscribeOptions): Subscription;
  /** Current subscribers. */
  readonly subscribers: number;
  /** Subscribers dropped for falling behind, since start. */
  readonly dropped: number;
  /**
   * Ends every subscription, and any made later (server shutdown: open streams end, so the drain does
   * not wait for them). Publishing after it is a no-op.
   */
  close(): void;
}

/** Options of {@link createLiveBus}. */
export interface LiveBusOptions {
  /** Default queue bound per subscriber ({@link DEFAULT_MAX_BUFFERED}). */
  maxBuffered?: number;
}

class Sub implements Subscription {
  private readonly queue: SequencedEvent[] = [];
  private waiting: ((e: SequencedEvent | null) => void) | null = null;
  ended: SubscriptionEnd | null = null;
  private settle: (why: SubscriptionEnd) => void = () => undefined;
  readonly done = new Promise<SubscriptionEnd>((resolve) => (this.settle = resolve));

  constructor(
    private readonly types: ReadonlySet<string> | null,
    private readonly max: number,
    private readonly onEnd: (s: Sub, why: SubscriptionEnd) => void
  ) {}

  offer(e: SequencedEvent): void {
    if (this.ended || (this.types && !this.types.has(e.event.type))) {
      return;
    }
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(e);
    } else if (this.queue.length >= this.max) {
      this.end('overflow');
    } else {
      this.queue.push(e);
    }
  }

  next(): Promise<SequencedEvent | null> {
    const e = this.queue.shift();
    if (e) {
      return Promise.resolve(e);
    }
    if (this.ended) {
      return Promise.resolve(null);
    }
    // One reader per subscription: a second concurrent next() replaces the first's wait.
    return new Promise((resolve) => {
      this.waiting?.(null);
      this.waiting = resolve;
    });
  }

  close(): void {
    this.end('unsubscribed');
  }

  end(why: SubscriptionEnd): void {
    if (this.ended) {
      return;
    }
    this.ended = why;
    // What was queued is dropped with it: after an overflow the client reloads anyway.
    this.queue.length = 0;
    this.waiting?.(null);
    this.waiting = null;
    this.settle(why);
    this.onEnd(this, why);
  }
}

/** Creates an empty bus. */
export function createLiveBus(opts: LiveBusOptions = {}): LiveBus {
  const defaultMax = Math.max(1, Math.floor(opts.maxBuffered ?? DEFAULT_MAX_BUFFERED));
  const subs = new Set<Sub>();
  let seq = 0;
  let dropped = 0;
  let closed = false;
  const onEnd = (s: Sub, why: SubscriptionEnd) => {
    subs.delete(s);
    if (why === 'overflow') {
      dropped++;
    }
  };
  return {
    publish(event) {
      const e = { id: ++seq, event };
      for (const s of subs) {
        s.offer(e);
      }
    },
    subscribe(o = {}) {
      const s = new Sub(o.types ? new Set(o.types) : null, Math.max(1, Math.floor(o.maxBuffered ?? defaultMax)), onEnd);
      subs.add(s);
      if (closed) {
        // A stream asked for during shutdown ends at once rather than holding the drain.
        s.end('bus_closed');
      }
      return s;
    },
    get subscribers() {
      return subs.size;
    },
    get dropped() {
      return dropped;
    },
    close() {
      closed = true;
      for (const s of [...subs]) {
        s.end('bus_closed');
      }
    },
  };
}
