/**
 * The live stream across replicas (issue 14). Each replica publishes the changes it makes on its own
 * bus (the leader: alerts, incidents, anomalies; any replica: the API's acknowledgements). Here they also
 * go out on a PostgreSQL NOTIFY channel, batched, and every other replica publishes them on its bus, so
 * `GET /api/v1/stream` tells the same story on whichever replica a load balancer picked.
 *
 * Publishers build events only while someone listens (`subscribers > 0`). A replica whose stream has
 * clients says so on {@link LISTENERS_CHANNEL} every second (and at once when its first client comes);
 * the others count it as a listener for {@link LISTENER_GONE_MS}. So without clients anywhere nothing is
 * built or sent, as on one process.
 */
import type { StreamEvent } from '@vigil/core';
import type { LiveBus } from '../live/bus';

/** The channel the events travel on: `{"from": replica id, "events": [...]}`. */
export const LIVE_CHANNEL = 'vigil_live';
/** The channel on which a replica with stream clients beats (payload: its replica id). */
export const LISTENERS_CHANNEL = 'vigil_live_listeners';
const BEAT_MS = 1000;
const LISTENER_GONE_MS = 2500;
/** A NOTIFY payload must stay under 8000 bytes; a batch stays under this. */
export const MAX_RELAY_PAYLOAD = 7500;

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
  channel.subscribe(LIVE_CHANNEL, (payload) => {
    let msg: { from?: unknown; events?: unknown };
    try {
      msg = JSON.parse(payload) as typeof msg;
    } catch {
      return;
    }
    if (msg.from === replicaId || !Array.isArray(msg.events)) {
      return;
    }
    for (const e of msg.events as StreamEvent[]) {
      local.publish(e);
    }
  });

  // One NOTIFY in flight; events published meanwhile go out in the next batches.
  let queue: string[] = [];
  let sending = false;
  const head = `{"from":${JSON.stringify(replicaId)},"events":[`;
  const send = (): void => {
    if (sending || queue.length === 0) {
      return;
    }
    let size = head.length + 2;
    let n = 0;
    while (n < queue.length && (n === 0 || size + queue[n].length + 1 <= MAX_RELAY_PAYLOAD)) {
      size += queue[n].length + 1;
      n++;
    }
    const batch = queue.slice(0, n);
    queue = queue.slice(n);
    sending = true;
    channel
      .signal(LIVE_CHANNEL, `${head}${batch.join(',')}]}`)
      .catch(onError)
      .finally(() => {
        sending = false;
        send();
      });
  };

  const bus: LiveBus = {
    publish(event) {
      local.publish(event);
      if (remoteListening()) {
        const json = JSON.stringify(event);
        // An event too large for one NOTIFY is not relayed: the other replicas' clients see it on reload.
        if (head.length + json.length + 2 <= MAX_RELAY_PAYLOAD) {
          queue.push(json);
          send();
        }
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
