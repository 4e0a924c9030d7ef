/**
 * `GET /api/v1/stream`: the live bus as Server-Sent Events (https://html.spec.whatwg.org/multipage/server-sent-events.html),
 * what the guide's WebSocket updates are in Grafana's idiom: it passes Grafana's plugin proxy (plain
 * HTTP) and the browser's EventSource reconnects by itself. Each event is `id:` (the bus sequence),
 * `event:` (its type) and `data:` (the StreamEvent as JSON); a comment every `heartbeatMs` keeps
 * proxies from closing an idle connection and lets a dead client be noticed. A client that cannot keep
 * up is dropped (the bus bounds its queue); a write that the socket cannot take waits for `drain`
 * while the bus queues, so a stalled client never holds the publisher or grows the server's memory.
 */
import { type Request, type Response, Router } from 'express';
import { type LiveBus, type SequencedEvent, STREAM_EVENT_TYPES, type Subscription } from '../live/bus';
import { listParam } from './params';

/** Heartbeat interval of the stream (default). */
export const STREAM_HEARTBEAT_MS = 15_000;

/** Options of {@link streamRouter}. */
export interface StreamOptions {
  live: LiveBus;
  /** Comment interval (default {@link STREAM_HEARTBEAT_MS}). */
  heartbeatMs?: number;
}

/** One SSE message; JSON has no raw newlines, so `data:` is one line. */
export const sseMessage = (e: SequencedEvent): string =>
  `id: ${e.id}\nevent: ${e.event.type}\ndata: ${JSON.stringify(e.event)}\n\n`;

/** Resolves when the response can take more data, it closed, or the subscription ended (dropped). */
function writable(res: Response, sub: Subscription): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
    void sub.done.then(done);
  });
}

async function serve(req: Request, res: Response, opts: StreamOptions): Promise<void> {
  const types = listParam(req.query.types, 'types', STREAM_EVENT_TYPES);
  const sub = opts.live.subscribe({ types });
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    // nginx (and proxies that honour it) must pass each event on at once, not buffer the response.
    'X-Accel-Buffering': 'no',
    Connection: 'keep-alive',
  });
  res.flushHeaders();
  // The reconnection delay for EventSource, then the first bytes (some clients wait for a body).
  res.write('retry: 3000\n: connected\n\n');
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), opts.heartbeatMs ?? STREAM_HEARTBEAT_MS);
  res.on('close', () => {
    clearInterval(heartbeat);
    sub.close();
  });
  for (let e = await sub.next(); e !== null; e = await sub.next()) {
    if (res.destroyed) {
      break;
    }
    if (!res.write(sseMessage(e))) {
      await writable(res, sub);
    }
  }
  clearInterval(heartbeat);
  if (sub.ended === 'overflow') {
    // Too far behind: the socket holds unsent data the client may never read; cut it.
    res.destroy();
  } else if (!res.destroyed) {
    res.end();
  }
}

/** The stream endpoint (authenticated like all of `/api`). */
export function streamRouter(opts: StreamOptions): Router {
  const router = Router();
  router.get('/api/v1/stream', (req, res) => serve(req, res, opts));
  return router;
}
