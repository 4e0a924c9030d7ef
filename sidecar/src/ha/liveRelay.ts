/**
 * The live stream across replicas (issue 14). Each replica publishes the changes it makes on its own
 * bus (the leader: alerts, incidents, anomalies; any replica: the API's acknowledgements). Here they also
 * go out on a PostgreSQL NOTIFY channel, batched, and every other replica publishes them on its bus, so
 * `GET /api/v1/stream` tells the same story on whichever replica a load balancer picked.
 *
 * NOTIFY takes at most 8,000 bytes: events go in batches measured in UTF-8 bytes, and an event too large
 * for one (an incident with many alerts) goes in parts (its UTF-8 bytes in base64 slices, one NOTIFY
 * each, in order) that the other replicas put back together before publishing it.
 *
 * Publishers build events only while someone listens (`subscribers > 0`). A replica whose stream has
 * clients says so on {@link LISTENERS_CHANNEL} every second (and at once when its first client comes);
 * the others count it as a listener for {@link LISTENER_GONE_MS}. So without clients anywhere nothing is
 * built or sent, as on one process.
 */
import type { StreamEvent } from '@vigil/core';
import type { LiveBus } from '../live/bus';

/**
 * The channel the events travel on: `{"from": replica id, "events": [...]}`, or one part of a large
 * event `{"from", "part": {"id", "i", "n", "data": base64}}`.
 */
export const LIVE_CHANNEL = 'vigil_live';
/** The channel on which a replica with stream clients beats (payload: its replica id). */
export const LISTENERS_CHANNEL = 'vigil_live_listeners';
const BEAT_MS = 1000;
const LISTENER_GONE_MS = 2500;
/** A NOTIFY payload must stay under 8000 bytes; a batch stays under this many. */
export const MAX_RELAY_PAYLOAD = 7500;
/** Bytes of a large event per part (base64: 6,668 characters). */
const PART_BYTES = 5000;
/** Most parts of one event taken (5 MB): a larger count is a damaged message. */
const MAX_PARTS = 1000;
/** A large event whose parts stop coming is forgotten after this. */
const PARTS_GONE_MS = 10_000;

/** A queued NOTIFY: an event for a batch (its JSON and UTF-8 size), or a whole part message. */
type Outgoing = { json: string; bytes: number } | { part: string };

/** How the relay reaches the other replicas (the lease backend's LISTEN/NOTIFY). */
export interface RelayChannel {
  subscribe(channel: string, cb: (payload: string) => void): void;
  signal(channel: string, payload: string): Promise<void>;
}

/** The relayed bus and how to stop its timer. */
export interface LiveRelay {
  bus: LiveBus;
  stop(): void;
}

/**
 * Wraps `local` (this process's bus): publishing also relays (when another replica listens), and the
 * other replicas' events are published on `local`. `onError` hears of a failed NOTIFY (events are a
 * notice of changes: a client reloads on reconnect, so a lost batch is not retried).
 */
export function relayLive(
  local: LiveBus,
  channel: RelayChannel,
  replicaId: string,
  onError: (err: unknown) => void = () => undefined
): LiveRelay {
  /** Other replicas with stream clients: replica id → when last heard. */
  const listeners = new Map<string, number>();
  const remoteListening = (): boolean => {
    const now = Date.now();
    for (const [id, at] of listeners) {
      if (now - at < LISTENER_GONE_MS) {
        return true;
      }
      listeners.delete(id);
    }
    return false;
  };
  const beat = (): void => {
    if (local.subscribers > 0) {
      channel.signal(LISTENERS_CHANNEL, replicaId).catch(onError);
    }
  };
  const timer = setInterval(beat, BEAT_MS);
  timer.unref();

  channel.subscribe(LISTENERS_CHANNEL, (from) => {
    if (from && from !== replicaId) {
      listeners.set(from, Date.now());
    }
  });
  const assembling = new Map<string, { parts: Buffer[]; got: number; at: number }>();
  /** A large event's part: kept until all have come (a sender's NOTIFYs arrive in order). */
  const receivePart = (from: string, part: { id?: unknown; i?: unknown; n?: unknown; data?: unknown }): void => {
    const { id, i, n, data } = part;
    const valid =
      typeof id === 'string' &&
      typeof data === 'string' &&
      typeof n === 'number' &&
      Number.isInteger(n) &&
      n >= 1 &&
      n <= MAX_PARTS &&
      typeof i === 'number' &&
      Number.isInteger(i) &&
      i >= 0 &&
      i < n;
    if (!valid) {
      return;
    }
    const now = Date.now();
    for (const [key, a] of assembling) {
      if (now - a.at > PARTS_GONE_MS) {
        assembling.delete(key);
      }
    }
    const key = `${from}\u0000${id}`;
    const a = assembling.get(key) ?? { parts: new Array<Buffer>(n), got: 0, at: now };
    if (i >= a.parts.length || a.parts[i] !== undefined) {
      return;
    }
    a.parts[i] = Buffer.from(data, 'base64');
    a.got++;
    assembling.set(key, a);
    if (a.got === a.parts.length) {
      assembling.delete(key);
      try {
        local.publish(JSON.parse(Buffer.concat(a.parts).toString('utf8')) as StreamEvent);
      } catch {
        // A damaged event is dropped, as a lost NOTIFY would be.
      }
    }
  };
  channel.subscribe(LIVE_CHANNEL, (payload) => {
    let msg: { from?: unknown; events?: unknown; part?: unknown };
    try {
      msg = JSON.parse(payload) as typeof msg;
    } catch {
      return;
    }
    if (typeof msg.from !== 'string' || msg.from === replicaId) {
      return;
    }
    if (msg.part && typeof msg.part === 'object') {
      receivePart(msg.from, msg.part);
      return;
    }
    if (Array.isArray(msg.events)) {
      for (const e of msg.events as StreamEvent[]) {
        local.publish(e);
      }
    }
  });

  // One NOTIFY in flight; events published meanwhile go out in the next batches.
  let queue: Outgoing[] = [];
  let sending = false;
  let partsSent = 0;
  const fromJson = JSON.stringify(replicaId);
  const head = `{"from":${fromJson},"events":[`;
  const headBytes = Buffer.byteLength(head) + 2;
  /** The next NOTIFY's payload: a part alone, or as many events as fit. */
  const nextPayload = (): string => {
    const first = queue[0];
    if ('part' in first) {
      queue = queue.slice(1);
      return first.part;
    }
    let size = headBytes;
    let n = 0;
    for (; n < queue.length; n++) {
      const q = queue[n];
      if ('part' in q || (n > 0 && size + q.bytes + 1 > MAX_RELAY_PAYLOAD)) {
        break;
      }
      size += q.bytes + 1;
    }
    const batch = queue.slice(0, n) as Array<{ json: string }>;
    queue = queue.slice(n);
    return `${head}${batch.map((q) => q.json).join(',')}]}`;
  };
  const send = (): void => {
    if (sending || queue.length === 0) {
      return;
    }
    sending = true;
    channel
      .signal(LIVE_CHANNEL, nextPayload())
      .catch(onError)
      .finally(() => {
        sending = false;
        send();
      });
  };
  /** Queues an event: for a batch, or in parts when one NOTIFY cannot hold it. */
  const enqueue = (json: string): void => {
    const bytes = Buffer.byteLength(json);
    if (headBytes + bytes <= MAX_RELAY_PAYLOAD) {
      queue.push({ json, bytes });
      return;
    }
    const data = Buffer.from(json, 'utf8');
    const n = Math.ceil(data.length / PART_BYTES);
    const id = `${Date.now().toString(36)}-${(partsSent++).toString(36)}`;
    for (let i = 0; i < n; i++) {
      const slice = data.subarray(i * PART_BYTES, (i + 1) * PART_BYTES).toString('base64');
      queue.push({ part: `{"from":${fromJson},"part":{"id":"${id}","i":${i},"n":${n},"data":"${slice}"}}` });
    }
  };

  const bus: LiveBus = {
    publish(event) {
      local.publish(event);
      if (remoteListening()) {
        enqueue(JSON.stringify(event));
        send();
      }
    },
    subscribe(opts) {
      const first = local.subscribers === 0;
      const sub = local.subscribe(opts);
      if (first) {
        beat(); // the others start sending now, not at the next beat
      }
      return sub;
    },
    get subscribers() {
      return local.subscribers + (remoteListening() ? 1 : 0);
    },
    get dropped() {
      return local.dropped;
    },
    close() {
      clearInterval(timer);
      local.close();
    },
  };
  return { bus, stop: () => clearInterval(timer) };
}
