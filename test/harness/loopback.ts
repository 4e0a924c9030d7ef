// A tiny recording HTTP server on a free 127.0.0.1 port, the base of the loopback fakes of services
// that cannot run here (PagerDuty, Slack). It records every request, counts accepted ones per key,
// and can be told to fail the next n requests (429 with Retry-After, 500, …) for retry tests.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake saw it, with the answer it gave. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Raw body text. */
  raw: string;
  /** Parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  /** Status the fake answered. */
  status: number;
  /** When the request's body had arrived (epoch ms), for tests of retry gaps. */
  at: number;
}

/** How the next requests fail (see `failNext`). */
export interface FailSpec {
  /** Status to answer (default 429). */
  status?: number;
  /** Sent as `Retry-After` (seconds) when set. */
  retryAfterSeconds?: number;
  /** Body to answer (default a short text per status). */
  body?: string;
}

/** A fake's answer to one request; `key` counts an accepted request (e.g. its dedup key). */
export interface Reply {
  status: number;
  body: string;
  contentType?: string;
  key?: string;
}

/** A running loopback fake. */
export interface LoopbackServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Every request received, oldest first (including refused ones). */
  received(): ReceivedRequest[];
  /** Accepted (2xx) requests per key. */
  counts(): Record<string, number>;
  /** Accepted requests with this key. */
  count(key: string): number;
  /** Answers the next `n` requests with a failure instead of handling them. */
  failNext(n: number, spec?: FailSpec): void;
  /** Closes the server and its connections. Safe to call twice. */
  stop(): Promise<void>;
}

/** Largest body read (bigger ones get 413), well above the services' own limits. */
const MAX_BODY = 4 * 1024 * 1024;

/** Options of {@link startLoopbackServer}. */
export interface LoopbackOptions {
  /**
   * Port to listen on (default 0: the kernel picks a free one). A test that stops a fake to make a
   * channel "down" starts it again on the same port, since the sidecar's config names the URL.
   */
  port?: number;
  /**
   * Delay of each answer, ms (a number, or a function drawing one per request): a real service's
   * latency. The request counts when it arrives (the service has taken it), the answer comes later, so
   * a sender killed in between has been served but never learns it.
   */
  replyDelayMs?: number | (() => number);
}

/** Starts a recording server that answers with `handle` (called with the raw body and parsed JSON). */
export async function startLoopbackServer(
  handle: (req: { method: string; path: string; headers: IncomingHttpHeaders; raw: string; body: unknown }) => Reply,
  opts: LoopbackOptions = {}
): Promise<LoopbackServer> {
  const log: ReceivedRequest[] = [];
  const counts: Record<string, number> = {};
  const failures: FailSpec[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) {
        chunks.push(c);
      }
    });
    req.on('end', () => {
      const arrivedAt = Date.now();
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const base = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, raw, body };
      const fail = failures.shift();
      let reply: Reply;
      const headers: Record<string, string> = {};
      if (size > MAX_BODY) {
        reply = { status: 413, body: 'request entity too large' };
      } else if (fail) {
        const status = fail.status ?? 429;
        reply = { status, body: fail.body ?? (status === 429 ? 'rate_limited' : 'error') };
        if (fail.retryAfterSeconds !== undefined) {
          headers['Retry-After'] = String(fail.retryAfterSeconds);
        }
      } else {
        reply = handle(base);
      }
      if (reply.status >= 200 && reply.status < 300 && reply.key !== undefined) {
        counts[reply.key] = (counts[reply.key] ?? 0) + 1;
      }
      log.push({ ...base, status: reply.status, at: arrivedAt });
      headers['Content-Type'] = reply.contentType ?? 'text/plain; charset=utf-8';
      const delay = typeof opts.replyDelayMs === 'function' ? opts.replyDelayMs() : (opts.replyDelayMs ?? 0);
      const answer = () => {
        if (!res.destroyed) {
          res.writeHead(reply.status, headers).end(reply.body);
        }
      };
      if (delay > 0) {
        setTimeout(answer, delay);
      } else {
        answer();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Port 0: the kernel picks a free port, no race with other tests.
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received: () => [...log],
    counts: () => ({ ...counts }),
    count: (key) => counts[key] ?? 0,
    failNext: (n, spec = {}) => {
      for (let i = 0; i < n; i++) {
        failures.push(spec);
      }
    },
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** A notification as an Alertmanager-v4 webhook body carries it (what a webhook sink needs of it). */
interface WebhookBody {
  groupKey?: unknown;
  status?: unknown;
  alerts?: Array<{ status?: unknown; fingerprint?: unknown; labels?: Record<string, unknown> }>;
}

/**
 * The identity of one notification in an Alertmanager-v4 webhook body (Alertmanager's or Vigil's
 * webhook channel): group key, group status, and each alert's fingerprint and status, sorted. Two
 * deliveries with the same key are the same notification sent twice.
 */
export function webhookNotificationKey(body: unknown): string {
  const b = (body ?? {}) as WebhookBody;
  const alerts = (Array.isArray(b.alerts) ? b.alerts : [])
    .map((a) => `${String(a.fingerprint)}:${String(a.status)}`)
    .sort()
    .join(',');
  return `${String(b.groupKey)}|${String(b.status)}|${alerts}`;
}

/** The header a webhook sink honours: a request repeating an accepted key is a replay, not counted. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * Starts a webhook receiver: any POST with a JSON object body is accepted (200) and counted by
 * `keyOf` (default {@link webhookNotificationKey}); anything else gets 400. A request whose
 * `Idempotency-Key` header (IETF draft-ietf-httpapi-idempotency-key-header) repeats one already
 * accepted is answered 200 but not counted, as a receiver that honours the header would drop it.
 * `failNext` stands for an outage; `received()` holds every body with its arrival time.
 */
export async function startWebhookSink(
  opts: LoopbackOptions & { keyOf?: (body: unknown) => string } = {}
): Promise<LoopbackServer> {
  const keyOf = opts.keyOf ?? webhookNotificationKey;
  const seen = new Set<string>();
  return startLoopbackServer(({ method, headers, body }) => {
    if (method !== 'POST' || typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { status: 400, body: 'expected a POST with a JSON object' };
    }
    const idempotencyKey = headers[IDEMPOTENCY_HEADER];
    if (typeof idempotencyKey === 'string') {
      if (seen.has(idempotencyKey)) {
        return { status: 200, body: 'ok (replay of an accepted request)' };
      }
      seen.add(idempotencyKey);
    }
    return { status: 200, body: 'ok', key: keyOf(body) };
  }, opts);
}
