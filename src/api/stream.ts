/**
 * The sidecar's live stream (`GET /api/v1/stream`, Server-Sent Events: `event: incident|alert|anomaly`,
 * `data:` a StreamEvent as JSON) through Grafana's plugin proxy, as a React hook. The browser's
 * EventSource sends Grafana's session cookie like any same-origin request, and the proxy's Viewer
 * GET route adds the sidecar token server-side, as for every other read.
 *
 * Pages use it instead of polling: each event updates what is on screen. While the stream is down
 * they fall back to a poll (every 30 s), and each time it opens they reload once, since events sent
 * before it opened are lost (the stream has no replay).
 */
import { useEffect, useRef, useState } from 'react';
import { config } from '@grafana/runtime';
import type { IncidentView, StreamEvent } from '@vigil/core';
import { PLUGIN_ID } from '../constants';
import { isIncidentView } from './incidents';

/** The stream's path under Grafana's root (its sub-path, if any, goes in front). */
export const STREAM_PATH = `/api/plugin-proxy/${PLUGIN_ID}/sidecar/api/v1/stream`;

/** The `event:` names the sidecar sends. */
export const STREAM_EVENT_TYPES = ['incident', 'alert', 'anomaly'] as const;
/** One of {@link STREAM_EVENT_TYPES}. */
export type StreamEventType = (typeof STREAM_EVENT_TYPES)[number];

/** How often a page reloads while the stream is down. */
export const POLL_MS = 30_000;
/** Waits before reopening a stream the browser gave up on (HTTP error): doubled each time up to the last. */
export const RECONNECT_MS = [1_000, 2_000, 5_000, 10_000, 30_000] as const;

/** The stream URL with Grafana's sub-path (`appSubUrl`, e.g. `/grafana`) when it is served under one. */
export function streamUrl(): string {
  const sub = (config.appSubUrl ?? '').replace(/\/+$/, '');
  return `${sub}${STREAM_PATH}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLabels = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * One SSE message as a {@link StreamEvent}, or null when it is not one this page understands: not JSON,
 * a kind it does not know (a newer sidecar), a `type` that contradicts the `event:` name, or a field
 * missing. `eventName` is the SSE `event:` (`message` when the sidecar sent none: the JSON's `type`
 * decides).
 */
export function parseStreamEvent(eventName: string, data: string): StreamEvent | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(v) || typeof v.at !== 'string') {
    return null;
  }
  const type = v.type ?? eventName;
  if (eventName !== 'message' && type !== eventName) {
    return null;
  }
  switch (type as StreamEventType) {
    case 'incident':
      return isIncidentView(v.incident) ? { type: 'incident', at: v.at, incident: v.incident as IncidentView } : null;
    case 'alert':
      return typeof v.fingerprint === 'string' &&
        (v.status === 'firing' || v.status === 'resolved') &&
        isLabels(v.labels) &&
        (v.incidentId === null || v.incidentId === undefined || typeof v.incidentId === 'string')
        ? {
            type: 'alert',
            at: v.at,
            fingerprint: v.fingerprint,
            status: v.status,
            labels: v.labels,
            incidentId: (v.incidentId as string | null | undefined) ?? null,
          }
        : null;
    case 'anomaly':
      return typeof v.id === 'string' &&
        typeof v.seriesKey === 'string' &&
        typeof v.severity === 'string' &&
        typeof v.message === 'string'
        ? { type: 'anomaly', at: v.at, id: v.id, seriesKey: v.seriesKey, severity: v.severity, message: v.message }
        : null;
    default:
      return null;
  }
}

/** The stream as a page sees it: `live` (events arrive), `connecting`, or `polling` (down; reloading every 30 s). */
export type StreamStatus = 'connecting' | 'live' | 'polling';

/** The part of the browser's EventSource the hook uses (a test passes its own). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((this: EventSourceLike, ev: Event) => unknown) | null;
  onerror: ((this: EventSourceLike, ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void;
  close(): void;
}

/** Opens an event source on a URL. */
export type EventSourceFactory = (url: string) => EventSourceLike;

/** EventSource.CLOSED: the browser gave up (an HTTP error or a non-SSE answer) and will not retry. */
const CLOSED = 2;

/** Options of {@link useSidecarStream}. */
export interface StreamOptions {
  /** The event kinds the page wants (default: all). */
  types?: readonly StreamEventType[];
  /** Reloads what the page shows: every {@link POLL_MS} while the stream is down, and once each time it opens. */
  onResync?: () => void;
  pollMs?: number;
  /** Where EventSources come from (default: the browser's; none there: the page only polls). */
  eventSource?: EventSourceFactory;
  /** False: no stream and no poll (a panel whose sidecar source is off). Default true. */
  enabled?: boolean;
}

function browserEventSource(): EventSourceFactory | undefined {
  return typeof EventSource === 'function' ? (url) => new EventSource(url) as unknown as EventSourceLike : undefined;
}

/**
 * Subscribes to the sidecar's stream while the component is mounted and calls `onEvent` for each event
 * of the wanted kinds. Reconnects by itself: the browser retries a dropped connection, and when it gives
 * up (an HTTP error) the hook opens a new one after 1, 2, 5, 10, then every 30 s. While it is down,
 * `onResync` runs every `pollMs`; when it is back, once. Returns the stream's status for the page to show.
 */
export function useSidecarStream(onEvent: (event: StreamEvent) => void, opts: StreamOptions = {}): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  // The latest callbacks, so that a re-render does not reopen the stream.
  const onEventRef = useRef(onEvent);
  const onResyncRef = useRef(opts.onResync);
  useEffect(() => {
    onEventRef.current = onEvent;
    onResyncRef.current = opts.onResync;
  });
  const types = (opts.types ?? STREAM_EVENT_TYPES).join(',');
  const pollMs = opts.pollMs ?? POLL_MS;
  const factory = opts.eventSource;
  const enabled = opts.enabled ?? true;

  useEffect(() => {
    if (!enabled) {
      return;
    }
    const open = factory ?? browserEventSource();
    const wanted = new Set(types.split(','));
    let source: EventSourceLike | undefined;
    let poll: ReturnType<typeof setInterval> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;

    const startPolling = () => {
      setStatus('polling');
      if (poll === undefined) {
        poll = setInterval(() => onResyncRef.current?.(), pollMs);
      }
    };
    const stopPolling = () => {
      if (poll !== undefined) {
        clearInterval(poll);
        poll = undefined;
      }
    };
    const connect = () => {
      if (stopped || !open) {
        return;
      }
      const es = open(streamUrl());
      source = es;
      es.onopen = () => {
        failures = 0;
        stopPolling();
        setStatus('live');
        // What changed before the stream (re)opened was not streamed: between the page's first load
        // and the first open, or while it was down.
        onResyncRef.current?.();
      };
      es.onerror = () => {
        startPolling();
        if (es.readyState === CLOSED) {
          es.close();
          const wait = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)];
          failures++;
          retry = setTimeout(connect, wait);
        }
      };
      const listener = (name: string) => (ev: MessageEvent<string>) => {
        const event = parseStreamEvent(name, ev.data);
        if (event && wanted.has(event.type)) {
          onEventRef.current(event);
        }
      };
      for (const name of [...STREAM_EVENT_TYPES, 'message']) {
        es.addEventListener(name, listener(name));
      }
    };

    if (open) {
      connect();
    } else {
      startPolling();
    }
    return () => {
      stopped = true;
      stopPolling();
      clearTimeout(retry);
      source?.close();
    };
  }, [types, pollMs, factory, enabled]);

  return status;
}
