/**
 * One HTTP(S) POST on `node:http` with keep-alive connections, for the channel senders.
 *
 * Why not `fetch`: on the notification path it cost about 0.3 ms of CPU per request (WHATWG streams,
 * `Headers`, two `AbortSignal`s per call) — a third of the sidecar's CPU in `npm run bench:notify`,
 * more than routing and storing the alerts. `node:http` does the same request for a fraction of it.
 * Behaviour kept from the fetch version: redirects are not followed (a redirect is a network-level
 * failure, as `redirect: 'error'` made it), one deadline covers the whole exchange, and errors carry
 * only a code, never the URL.
 */
import http from 'node:http';
import https from 'node:https';

/** An answer: status, headers (lower-case names, as `node:http` gives them) and body text. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Why a request got no answer: the deadline, the caller's signal, or a network error with its code. */
export class HttpPostError extends Error {
  constructor(
    readonly reason: 'timeout' | 'aborted' | 'network',
    /** `ECONNREFUSED`, …; `network error` when the socket gave none. */
    readonly code: string
  ) {
    super(reason === 'network' ? `request failed (${code})` : reason);
  }
}

/** Longest answer body kept: enough for an error excerpt; the rest is read (so the connection can be reused) and dropped. */
const MAX_BODY = 64 * 1024;
/** Statuses `fetch` follows as redirects (and refuses with `redirect: 'error'`). */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

// One pool per scheme, shared by every channel: connections to the same host are reused. An idle
// connection is closed after 4 s (or sooner when the server's Keep-Alive hint says so), before servers
// close theirs (Node's and many proxies' 5 s): reusing a connection the server is closing would fail the
// send (it would be retried, but late). undici, behind fetch, keeps the same 1 s margin.
const IDLE_MS = 4000;
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_MS }),
};

/**
 * POSTs `body` to `url`; resolves with the answer, rejects with {@link HttpPostError}. `timeoutMs`
 * bounds connect, send and the answer together; `signal` aborts it.
 */
export function httpPost(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
  timeoutMs: number
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new HttpPostError('aborted', 'aborted'));
      return;
    }
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new HttpPostError('network', 'ERR_INVALID_URL'));
      return;
    }
    const scheme = target.protocol === 'https:' ? 'https:' : target.protocol === 'http:' ? 'http:' : null;
    if (!scheme) {
      reject(new HttpPostError('network', 'ERR_UNSUPPORTED_PROTOCOL'));
      return;
    }
    let failure: HttpPostError | undefined;
    const finish = (err: HttpPostError | undefined, answer?: HttpAnswer) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (err) {
        reject(err);
      } else {
        resolve(answer as HttpAnswer);
      }
    };
    const fail = (err: HttpPostError) => {
      failure ??= err;
      req.destroy();
    };
    const onAbort = () => fail(new HttpPostError('aborted', 'aborted'));
    const timer = setTimeout(() => fail(new HttpPostError('timeout', 'timeout')), timeoutMs);
    const mod = scheme === 'https:' ? https : http;
    const req = mod.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        agent: agents[scheme],
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (REDIRECTS.has(status)) {
          res.resume();
          fail(new HttpPostError('network', 'network error'));
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < MAX_BODY) {
            text += chunk;
          }
        });
        res.on('end', () => {
          if (failure) {
            return;
          }
          finish(undefined, { status, headers: res.headers, text: text.slice(0, MAX_BODY) });
        });
        res.on('error', () => undefined);
      }
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      finish(failure ?? new HttpPostError('network', typeof err.code === 'string' ? err.code : 'network error'));
    });
    req.on('close', () => {
      if (failure) {
        finish(failure);
      }
    });
    signal.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}
