/**
 * The alert stream of the notification benchmark and how it is measured, the same for both sides.
 *
 * 10k alerts in 500 groups: alert i belongs to group i mod 500 (`alertname`), so every POST of 100
 * alerts touches 100 groups and each group's 20 alerts arrive spread over the whole stream, as alerts
 * from many rules do. The stream is POSTed as fast as the receiver takes it (a few requests in flight);
 * it fires every alert, then, once every firing alert was delivered, resolves every alert.
 *
 * Figures: alerts/s ingested = alerts / (first POST sent → last POST answered); per alert, the
 * ingest-to-delivery latency = first arrival at the sink of a notification that holds the alert in the
 * phase's status − the moment the POST that carried it was sent; a phase's time = first POST sent →
 * last alert delivered.
 */
import type { ReceivedRequest } from '../../test/harness';

/** One alert of the stream (Alertmanager's postable shape, without status). */
export interface StreamAlert {
  id: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
}

/** The stream: `alerts` alerts in `groups` groups, interleaved. */
export function makeStream(alerts: number, groups: number, startsAt: number): StreamAlert[] {
  const iso = new Date(startsAt).toISOString();
  return Array.from({ length: alerts }, (_, i) => {
    const g = i % groups;
    const id = `a${String(i).padStart(5, '0')}`;
    return {
      id,
      labels: {
        alertname: `BenchGroup${String(g).padStart(3, '0')}`,
        severity: 'warning',
        service: `svc-${g}`,
        instance: `host-${Math.floor(i / groups)}:9100`,
        id,
      },
      annotations: { summary: `bench alert ${id}` },
      startsAt: iso,
    };
  });
}

/** Splits a list into chunks of `size`. */
export function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) {
    out.push(xs.slice(i, i + size));
  }
  return out;
}

/** When each batch's POST was sent, and when the last one was answered. */
export interface PostTimes {
  sentAt: number[];
  first: number;
  lastAnswered: number;
}

/** POSTs every batch with `concurrency` requests in flight; `post` throws on a non-2xx answer. */
export async function postAll<T>(
  batches: readonly T[],
  post: (batch: T) => Promise<void>,
  concurrency: number
): Promise<PostTimes> {
  const sentAt = new Array<number>(batches.length).fill(0);
  let next = 0;
  const first = Date.now();
  const lane = async (): Promise<void> => {
    while (next < batches.length) {
      const i = next++;
      sentAt[i] = Date.now();
      await post(batches[i]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { sentAt, first, lastAnswered: Date.now() };
}

interface WebhookAlert {
  status?: string;
  labels?: Record<string, string>;
}

/**
 * First arrival (epoch ms) per alert id of a notification, on `path`, that holds the alert with
 * `status`. Both Alertmanager's webhook and Vigil's webhook channel send Alertmanager-v4 bodies.
 * Incremental: each call reads only the requests that arrived since the last one, so polling it does
 * not load the process that also runs the sink (a busy sink would answer late and stamp late).
 */
export class FirstDeliveries {
  readonly at = new Map<string, number>();
  private seen = 0;

  constructor(
    private readonly path: string,
    private readonly status: 'firing' | 'resolved',
    /** Requests that arrived before this phase are skipped. */
    skip: number
  ) {
    this.seen = skip;
  }

  /** Reads the new requests; returns how many alerts have been delivered so far. */
  update(received: readonly ReceivedRequest[]): number {
    for (; this.seen < received.length; this.seen++) {
      const r = received[this.seen];
      if (r.path !== this.path || r.status !== 200) {
        continue;
      }
      const alerts = ((r.body as { alerts?: WebhookAlert[] })?.alerts ?? []) as WebhookAlert[];
      for (const a of alerts) {
        const id = a.labels?.id;
        if (id && a.status === this.status && !this.at.has(id)) {
          this.at.set(id, r.at);
        }
      }
    }
    return this.at.size;
  }
}

/** The p-th percentile (0-100) of a list, nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) {
    return NaN;
  }
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** One phase (firing or resolving) of one side, measured. */
export interface PhaseResult {
  status: 'firing' | 'resolved';
  alerts: number;
  /** First POST sent → last POST answered, s. */
  ingestSeconds: number;
  /** First POST sent → last alert delivered, s. */
  seconds: number;
  /** Ingest-to-delivery latency per alert, ms. */
  latenciesMs: number[];
  /** Notifications (webhook requests) the sink received in this phase. */
  notifications: number;
  /**
   * The phase's last burst of notifications (its final group_interval tick): arrivals no more than
   * {@link BURST_GAP_MS} apart, counted back from the last one; its first → last arrival, ms, and size.
   * How long the side takes to send a tick's notifications, whatever the intake's timing.
   */
  lastBurst: { ms: number; notifications: number };
  /** Every burst of the phase, oldest first (see {@link bursts}); the last one is `lastBurst`. */
  bursts: Burst[];
}

/** Arrivals further apart than this start a new burst (group_interval is ≥ 1 s; a burst's sends are ms apart). */
export const BURST_GAP_MS = 200;

/** One burst of notifications: first and last arrival, ms after the phase's first POST, and how many. */
export interface Burst {
  fromMs: number;
  toMs: number;
  notifications: number;
}

/**
 * The bursts of `arrivals` (epoch ms, any order), oldest first, timed from `origin`: arrivals no more
 * than {@link BURST_GAP_MS} apart belong to one burst. The phase's timeline: when each tick's
 * notifications began to arrive, and how long the side took to send them.
 */
export function bursts(arrivals: readonly number[], origin: number): Burst[] {
  const a = [...arrivals].sort((x, y) => x - y);
  const out: Burst[] = [];
  for (let i = 0; i < a.length; i++) {
    const last = out[out.length - 1];
    if (last && a[i] - origin - last.toMs <= BURST_GAP_MS) {
      last.toMs = a[i] - origin;
      last.notifications++;
    } else {
      out.push({ fromMs: a[i] - origin, toMs: a[i] - origin, notifications: 1 });
    }
  }
  return out;
}

/**
 * Runs one phase: POSTs the batches, waits until every alert of the stream has a delivery in
 * `status`, and measures it. `bodies` carries alert ids per batch; `post` sends one batch.
 */
export async function runPhase<T>(opts: {
  status: 'firing' | 'resolved';
  batches: readonly T[];
  idsOf: (batch: T) => string[];
  post: (batch: T) => Promise<void>;
  concurrency: number;
  received: () => ReceivedRequest[];
  path: string;
  timeoutMs: number;
}): Promise<PhaseResult> {
  const start = opts.received();
  const before = start.filter((r) => r.path === opts.path).length;
  const first = new FirstDeliveries(opts.path, opts.status, start.length);
  const times = await postAll(opts.batches, opts.post, opts.concurrency);
  const total = opts.batches.reduce((n, b) => n + opts.idsOf(b).length, 0);
  const deadline = Date.now() + opts.timeoutMs;
  while (first.update(opts.received()) < total) {
    if (Date.now() > deadline) {
      throw new Error(`${opts.path}: only ${first.at.size} of ${total} alerts delivered ${opts.status} in time`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const got = first.at;
  const latenciesMs: number[] = [];
  let last = 0;
  opts.batches.forEach((b, i) => {
    for (const id of opts.idsOf(b)) {
      const at = got.get(id)!;
      latenciesMs.push(at - times.sentAt[i]);
      last = Math.max(last, at);
    }
  });
  const mine = opts
    .received()
    .slice(start.length)
    .filter((r) => r.path === opts.path && r.status === 200);
  const timeline = bursts(
    mine.map((r) => r.at),
    times.first
  );
  const final = timeline[timeline.length - 1];
  return {
    lastBurst: final
      ? { ms: final.toMs - final.fromMs, notifications: final.notifications }
      : { ms: 0, notifications: 0 },
    bursts: timeline,
    status: opts.status,
    alerts: total,
    ingestSeconds: (times.lastAnswered - times.first) / 1000,
    seconds: (last - times.first) / 1000,
    latenciesMs,
    notifications: opts.received().filter((r) => r.path === opts.path).length - before,
  };
}
