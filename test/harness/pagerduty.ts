// Loopback fake of the PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/
// overview/): `POST /v2/enqueue` answers 202 {status:"success", message:"Event processed", dedup_key}
// for a valid event and 400 {status:"invalid event", message:"Event object is invalid", errors:[…]} for
// one that breaks the documented schema, so tests check bodies against the real contract.
import { randomUUID } from 'node:crypto';
import { startLoopbackServer, type LoopbackOptions, type LoopbackServer } from './loopback';

/**
 * What PagerDuty made of an accepted event (https://developer.pagerduty.com/docs/events-api-v2/overview/,
 * "Alert de-duplication"): a trigger opens an alert unless one with its dedup key is open, in which case
 * it is appended to that alert's log (`deduplicated`: nobody is paged again); a resolve closes the open
 * alert, and does nothing (`ignored`) when none is open; an acknowledge marks an open alert.
 */
export type PagerDutyOutcome = 'opened' | 'deduplicated' | 'acknowledged' | 'resolved' | 'ignored';

/** One accepted event's effect on the fake's alerts. */
export interface PagerDutyAlertEvent {
  dedupKey: string;
  action: string;
  outcome: PagerDutyOutcome;
  at: number;
}

/** A running PagerDuty fake; `count(dedupKey)` counts accepted events per dedup key. */
export interface PagerDutyFake extends LoopbackServer {
  /** `${url}/v2/enqueue`. */
  enqueueURL: string;
  /** Every accepted event with what it did to the alert of its dedup key, oldest first. */
  alertLog(): PagerDutyAlertEvent[];
}

const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
/** Documented limits: summary 1024 characters, dedup_key 255, whole event 512 KB. */
const MAX_SUMMARY = 1024;
const MAX_DEDUP_KEY = 255;
const MAX_EVENT_BYTES = 512000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Characters as PagerDuty counts them (code points, not UTF-16 units). */
function chars(s: string): number {
  return Array.from(s).length;
}

/** Schema errors of an event body, in PagerDuty's wording style; empty when valid. */
export function pagerDutyEventErrors(raw: string, body: unknown): string[] {
  if (Buffer.byteLength(raw) > MAX_EVENT_BYTES) {
    return [`Event exceeds the maximum size of ${MAX_EVENT_BYTES} bytes`];
  }
  if (!isObject(body)) {
    return ['Event object is not valid JSON'];
  }
  const errors: string[] = [];
  if (typeof body.routing_key !== 'string' || body.routing_key === '') {
    errors.push("'routing_key' is missing or blank");
  }
  if (typeof body.event_action !== 'string' || !ACTIONS.includes(body.event_action)) {
    errors.push("'event_action' is missing or invalid (expected trigger, acknowledge or resolve)");
  }
  if (body.dedup_key !== undefined && (typeof body.dedup_key !== 'string' || chars(body.dedup_key) > MAX_DEDUP_KEY)) {
    errors.push(`'dedup_key' must be a string of at most ${MAX_DEDUP_KEY} characters`);
  }
  if (body.event_action !== 'trigger' && (typeof body.dedup_key !== 'string' || body.dedup_key === '')) {
    errors.push("'dedup_key' is required for acknowledge and resolve events");
  }
  const p = body.payload;
  if (body.event_action === 'trigger' && !isObject(p)) {
    errors.push("'payload' is missing or not an object");
  }
  if (isObject(p)) {
    if (typeof p.summary !== 'string' || p.summary === '') {
      errors.push("'payload.summary' is missing or blank");
    } else if (chars(p.summary) > MAX_SUMMARY) {
      errors.push(`Length of 'payload.summary' is incorrect (should be at most ${MAX_SUMMARY} characters)`);
    }
    if (typeof p.source !== 'string' || p.source === '') {
      errors.push("'payload.source' is missing or blank");
    }
    if (typeof p.severity !== 'string' || !SEVERITIES.includes(p.severity)) {
      errors.push("'payload.severity' is invalid (expected critical, error, warning or info)");
    }
    for (const key of ['component', 'group', 'class', 'timestamp']) {
      if (p[key] !== undefined && typeof p[key] !== 'string') {
        errors.push(`'payload.${key}' must be a string`);
      }
    }
    if (p.custom_details !== undefined && !isObject(p.custom_details)) {
      errors.push("'payload.custom_details' must be an object");
    }
  }
  for (const key of ['links', 'images']) {
    const list = body[key];
    if (
      list !== undefined &&
      (!Array.isArray(list) || !list.every((l) => isObject(l) && typeof (l.href ?? l.src) === 'string'))
    ) {
      errors.push(`'${key}' must be an array of objects with ${key === 'links' ? 'href' : 'src'}`);
    }
  }
  return errors;
}

/**
 * Starts the fake. `failNext(n, { status: 429, retryAfterSeconds })` makes the next n requests fail
 * (PagerDuty throttles with 429; a 5xx stands for an outage).
 */
export async function startPagerDutyFake(opts: LoopbackOptions = {}): Promise<PagerDutyFake> {
  const open = new Map<string, 'triggered' | 'acknowledged'>();
  const log: PagerDutyAlertEvent[] = [];
  const apply = (dedupKey: string, action: string): void => {
    const state = open.get(dedupKey);
    let outcome: PagerDutyOutcome;
    if (action === 'trigger') {
      outcome = state ? 'deduplicated' : 'opened';
      open.set(dedupKey, state ?? 'triggered');
    } else if (action === 'acknowledge') {
      outcome = state ? 'acknowledged' : 'ignored';
      if (state) {
        open.set(dedupKey, 'acknowledged');
      }
    } else {
      outcome = state ? 'resolved' : 'ignored';
      open.delete(dedupKey);
    }
    log.push({ dedupKey, action, outcome, at: Date.now() });
  };
  const server = await startLoopbackServer(({ method, path, raw, body }) => {
    const json = 'application/json';
    if (path !== '/v2/enqueue') {
      return { status: 404, body: JSON.stringify({ status: 'not found' }), contentType: json };
    }
    if (method !== 'POST') {
      return { status: 405, body: JSON.stringify({ status: 'method not allowed' }), contentType: json };
    }
    const errors = pagerDutyEventErrors(raw, body);
    if (errors.length > 0) {
      return {
        status: 400,
        contentType: json,
        body: JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors }),
      };
    }
    const event = body as { dedup_key?: string; event_action: string };
    // PagerDuty generates a dedup key for a trigger without one.
    const dedupKey = event.dedup_key || randomUUID().replace(/-/g, '');
    apply(dedupKey, event.event_action);
    return {
      status: 202,
      contentType: json,
      key: dedupKey,
      body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: dedupKey }),
    };
  }, opts);
  return { ...server, enqueueURL: `${server.url}/v2/enqueue`, alertLog: () => [...log] };
}
