/**
 * Sends one stored channel body over HTTP (`httpPost.ts`, with a timeout) and classifies the answer with
 * `retry.ts`. Secrets — PagerDuty's routing key, a Slack webhook URL (the URL is the credential), a
 * webhook URL and its HMAC secret — live in the target, are added at send time (so the outbox never
 * stores them) and never appear in an error text: errors name the channel kind, the HTTP status or
 * the network error code, and a short excerpt of the answer with any secret masked.
 */
import { httpPost, HttpPostError, type HttpAnswer } from './httpPost';
import { classifyResponse } from './retry';
import { sign, SIGNATURE_HEADER } from './webhook/payload';

/** Where and how a channel delivers. */
export type ChannelTarget =
  | { kind: 'pagerduty'; /** Events API v2 enqueue URL. */ url: string; routingKey: string }
  | { kind: 'slack'; webhookURL: string }
  | { kind: 'webhook'; url: string; /** HMAC-SHA256 key of `X-Vigil-Signature`, when set. */ secret?: string };

/** Outcome of one send. */
export interface SendResult {
  /** The channel accepted the notification (2xx). */
  ok: boolean;
  /** Sending again may succeed (429, 5xx, network error, timeout). */
  retryable: boolean;
  /** The channel's `Retry-After`, ms. */
  retryAfterMs?: number;
  /** What failed, without secrets. */
  error?: string;
}

/** What the worker knows of the notification being sent. */
export interface SendMeta {
  /**
   * The outbox row's id: the same on every attempt of one notification and different for every other.
   * Sent as `Idempotency-Key` (webhooks) and in the `Message-ID` (email), so a receiver can drop the
   * resend of a notification it already took (a crash after the channel's 2xx and before `markSent`).
   */
  id: string;
  /**
   * The payload as JSON text (`JSON.stringify(payload)`), when the worker has it from the outbox: a
   * sender with `acceptsPayloadText` then posts it as it is and may be given no payload.
   */
  payloadText?: string;
}

/** Sends one stored payload; `signal` aborts it (worker stopping). Never throws. */
export type ChannelSender = ((payload: unknown, signal: AbortSignal, meta?: SendMeta) => Promise<SendResult>) & {
  /** Sends `meta.payloadText` when given, so the caller may skip parsing the payload (undefined: false). */
  acceptsPayloadText?: boolean;
};

/** Header carrying {@link SendMeta.id} (IETF draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Options of {@link createSender}. */
export interface SenderOptions {
  /** Per-request timeout, ms (default 10 s, Alertmanager's default HTTP timeout is of that order). */
  timeoutMs?: number;
}

/** Characters of the answer quoted in an error. */
const EXCERPT = 200;

function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s) {
      out = out.split(s).join('<secret>');
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The request for a target: URL, body text and headers; a string when the payload cannot be sent. */
function request(
  target: ChannelTarget,
  payload: unknown,
  meta: SendMeta | undefined
): { url: string; body: string; headers: Record<string, string> } | string {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (meta) {
    headers[IDEMPOTENCY_HEADER] = meta.id;
  }
  switch (target.kind) {
    case 'pagerduty': {
      // The dedup key is what makes an at-least-once resend harmless: PagerDuty folds an event with
      // the dedup key of an open incident into that incident.
      if (!isObject(payload) || typeof payload.dedup_key !== 'string' || payload.dedup_key === '') {
        return 'pagerduty: payload has no dedup_key';
      }
      return { url: target.url, body: JSON.stringify({ ...payload, routing_key: target.routingKey }), headers };
    }
    case 'slack':
      return { url: target.webhookURL, body: meta?.payloadText ?? JSON.stringify(payload), headers };
    case 'webhook': {
      const body = meta?.payloadText ?? JSON.stringify(payload);
      if (target.secret) {
        headers[SIGNATURE_HEADER] = sign(body, target.secret);
      }
      return { url: target.url, body, headers };
    }
  }
}

/**
 * A PagerDuty event as the outbox stores it: without its routing key, which the sender adds from the
 * channel's configuration at send time (secrets stay out of the store).
 */
export function withoutRoutingKey<T extends { routing_key?: string }>(event: T): Omit<T, 'routing_key'> {
  const { routing_key, ...rest } = event;
  return rest;
}

function secretsOf(target: ChannelTarget): string[] {
  switch (target.kind) {
    case 'pagerduty':
      return [target.routingKey];
    case 'slack':
      return [target.webhookURL, new URL(target.webhookURL).pathname];
    case 'webhook':
      return [target.url, target.secret ?? ''];
  }
}

/** A sender for one channel target. */
export function createSender(target: ChannelTarget, opts: SenderOptions = {}): ChannelSender {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const secrets = secretsOf(target);
  const kind = target.kind;
  const send: ChannelSender = async (payload, signal, meta) => {
    const req = request(target, payload, meta);
    if (typeof req === 'string') {
      return { ok: false, retryable: false, error: req };
    }
    let res: HttpAnswer;
    try {
      res = await httpPost(req.url, req.headers, req.body, signal, timeoutMs);
    } catch (err) {
      const reason = err instanceof HttpPostError ? err.reason : 'network';
      const why =
        reason === 'timeout'
          ? `timed out after ${timeoutMs} ms`
          : reason === 'aborted'
            ? 'aborted'
            : `request failed (${err instanceof HttpPostError ? err.code : 'network error'})`;
      return { ok: false, retryable: true, error: `${kind}: ${why}` };
    }
    // httpPost read the whole answer (the connection is reused) and kept its first 64 KB.
    const text = res.text;
    const cls = classifyResponse(res.status, res.headers);
    if (cls.ok) {
      return cls;
    }
    // Mask before cutting, so a secret straddling the cut cannot leak half of itself.
    const excerpt = mask(text.slice(0, 64 * 1024), secrets)
      .slice(0, EXCERPT)
      .replace(/\s+/g, ' ')
      .trim();
    return { ...cls, error: `${kind}: HTTP ${res.status}${excerpt ? `: ${excerpt}` : ''}` };
  };
  // Slack and webhooks post the payload as it is; PagerDuty adds the routing key to the parsed event.
  send.acceptsPayloadText = kind !== 'pagerduty';
  return send;
}
