/**
 * Stands in for the browser's EventSource in jsdom (which has none): records each stream a page opens
 * and lets a test open it, send it events and make it fail, as the sidecar's stream and the browser
 * would. The real one is exercised by the browser test (host/test/incidentCases.mjs).
 */
import type { EventSourceLike } from '../api/stream';

/** One stream the code under test opened. */
export class FakeEventSource implements EventSourceLike {
  static readonly instances: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  onopen: EventSourceLike['onopen'] = null;
  onerror: EventSourceLike['onerror'] = null;
  private listeners = new Map<string, Array<(ev: MessageEvent<string>) => void>>();

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  /** The stream opened by the code under test last. */
  static last(): FakeEventSource {
    const es = FakeEventSource.instances[FakeEventSource.instances.length - 1];
    if (!es) {
      throw new Error('no EventSource was opened');
    }
    return es;
  }

  /** Installs the fake as `window.EventSource` (and forgets earlier instances); returns a restore function. */
  static install(): () => void {
    FakeEventSource.instances.length = 0;
    const w = window as unknown as { EventSource?: unknown };
    const before = w.EventSource;
    w.EventSource = FakeEventSource;
    return () => {
      w.EventSource = before;
    };
  }

  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  /** The connection is up (HTTP 200, text/event-stream). */
  open(): void {
    this.readyState = 1;
    this.onopen?.call(this, new Event('open'));
  }

  /** One SSE message: `event: <type>` and `data: <data>` (an object is sent as JSON). */
  emit(type: string, data: unknown): void {
    const ev = new MessageEvent<string>(type, { data: typeof data === 'string' ? data : JSON.stringify(data) });
    for (const l of this.listeners.get(type) ?? []) {
      l(ev);
    }
  }

  /** The connection failed: `retrying` as the browser does for a dropped connection, else given up (HTTP error). */
  fail(retrying: boolean): void {
    this.readyState = retrying ? 0 : 2;
    this.onerror?.call(this, new Event('error'));
  }
}
