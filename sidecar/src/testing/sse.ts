/**
 * A Server-Sent Events client for tests: a real HTTP request (node:http) whose body is parsed as the
 * event-stream format as it arrives — events and comments each wait in a queue for the test to take.
 */
import http, { type IncomingHttpHeaders } from 'node:http';

/** One parsed event. */
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/** An open stream. */
export interface SseClient {
  status: number;
  headers: IncomingHttpHeaders;
  /** The next event (waits for it); rejects when the stream ends first. */
  next(): Promise<SseEvent>;
  /** The next comment line, without the colon (waits for it); rejects when the stream ends first. */
  nextComment(): Promise<string>;
  /** Settles when the response ends: `end` (the server finished it) or `error` (cut). */
  done: Promise<'end' | 'error'>;
  /** The start of the raw body (its first 64 KiB). */
  raw(): string;
  close(): void;
}

class Queue<T> {
  private readonly items: T[] = [];
  private readonly waiters: Array<{ resolve: (v: T) => void; reject: (e: Error) => void }> = [];
  private ended: Error | null = null;

  push(v: T): void {
    const w = this.waiters.shift();
    if (w) {
      w.resolve(v);
    } else {
      this.items.push(v);
    }
  }

  take(): Promise<T> {
    if (this.items.length > 0) {
      return Promise.resolve(this.items.shift()!);
    }
    if (this.ended) {
      return Promise.reject(this.ended);
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  end(err: Error): void {
    this.ended = err;
    for (const w of this.waiters.splice(0)) {
      w.reject(err);
    }
  }
}

/** Opens `url` with the bearer token (none with `token: null`); resolves once the headers arrived. */
export function openSse(url: string, token: string | null): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (token !== null) {
      headers.authorization = `Bearer ${token}`;
    }
    const req = http.get(url, { headers }, (res) => {
      const events = new Queue<SseEvent>();
      const comments = new Queue<string>();
      let body = '';
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 65_536) {
          body += chunk.slice(0, 65_536 - body.length);
        }
        pending += chunk;
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const e: SseEvent = { id: null, event: 'message', data: '' };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) {
              comments.push(line.slice(1).trim());
            } else if (line.startsWith('id: ')) {
              e.id = line.slice(4);
            } else if (line.startsWith('event: ')) {
              e.event = line.slice(7);
            } else if (line.startsWith('data: ')) {
              e.data = e.data ? `${e.data}\n${line.slice(6)}` : line.slice(6);
              isEvent = true;
            }
          }
          if (isEvent) {
            events.push(e);
          }
        }
      });
      const done = new Promise<'end' | 'error'>((settle) => {
        res.on('end', () => settle('end'));
        res.on('error', () => settle('error'));
        res.on('aborted', () => settle('error'));
      });
      void done.then((how) => {
        const err = new Error(`stream ended (${how})`);
        events.end(err);
        comments.end(err);
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        next: () => events.take(),
        nextComment: () => comments.take(),
        done,
        raw: () => body,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
