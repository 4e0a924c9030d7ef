// Loopback fake of a Slack incoming webhook (https://api.slack.com/messaging/webhooks): `POST
// /services/…` answers 200 `ok`, or 400 with Slack's error strings (`invalid_payload` for a body that
// is not a JSON object, `no_text` for an empty message, `invalid_blocks` for blocks beyond Block Kit's
// documented limits, https://api.slack.com/reference/block-kit/blocks), 404 `no_service` elsewhere.
import { startLoopbackServer, type LoopbackServer } from './loopback';

/** A running Slack fake; `count(key)` counts accepted messages per `keyOf` (default: the `text`). */
export interface SlackFake extends LoopbackServer {
  /** A webhook URL on the fake, `${url}/services/T0000/B0000/XXXXXXXX`. */
  webhookURL: string;
}

/** Block Kit limits checked by the fake (characters). */
export const BLOCK_KIT_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  actionsElements: 25,
  buttonText: 75,
  url: 3000,
  contextElements: 10,
} as const;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function textOf(v: unknown): string | undefined {
  return isObject(v) && typeof v.text === 'string' && (v.type === 'plain_text' || v.type === 'mrkdwn')
    ? v.text
    : undefined;
}

function chars(s: string): number {
  return Array.from(s).length;
}

/** Why a block breaks Block Kit's limits, or undefined when it is fine. */
function blockError(b: unknown, i: number): string | undefined {
  const L = BLOCK_KIT_LIMITS;
  if (!isObject(b)) {
    return `block ${i} is not an object`;
  }
  const tooLong = (t: string | undefined, max: number): boolean => t === undefined || chars(t) > max;
  switch (b.type) {
    case 'header':
      return isObject(b.text) && b.text.type === 'plain_text' && !tooLong(textOf(b.text), L.headerText)
        ? undefined
        : `header ${i}: plain_text of at most ${L.headerText} characters required`;
    case 'section': {
      const fields = b.fields;
      if (b.text === undefined && fields === undefined) {
        return `section ${i}: text or fields required`;
      }
      if (b.text !== undefined && tooLong(textOf(b.text), L.sectionText)) {
        return `section ${i}: text over ${L.sectionText} characters`;
      }
      if (
        fields !== undefined &&
        (!Array.isArray(fields) || fields.length > L.fields || fields.some((f) => tooLong(textOf(f), L.fieldText)))
      ) {
        return `section ${i}: at most ${L.fields} fields of at most ${L.fieldText} characters`;
      }
      return undefined;
    }
    case 'context':
      return Array.isArray(b.elements) &&
        b.elements.length > 0 &&
        b.elements.length <= L.contextElements &&
        b.elements.every((e) => !tooLong(textOf(e), L.sectionText))
        ? undefined
        : `context ${i}: 1 to ${L.contextElements} text elements`;
    case 'actions': {
      const els = b.elements;
      const ok =
        Array.isArray(els) &&
        els.length > 0 &&
        els.length <= L.actionsElements &&
        els.every(
          (e) =>
            isObject(e) &&
            e.type === 'button' &&
            !tooLong(textOf(e.text), L.buttonText) &&
            (e.url === undefined || (typeof e.url === 'string' && chars(e.url) <= L.url))
        );
      return ok ? undefined : `actions ${i}: 1 to ${L.actionsElements} buttons, text ≤ ${L.buttonText}, url ≤ ${L.url}`;
    }
    case 'divider':
      return undefined;
    default:
      return `block ${i}: unsupported type ${String(b.type)}`;
  }
}

/** Slack's answer to a message body: undefined when accepted, else the error string (and why). */
export function slackMessageError(body: unknown): { error: string; why: string } | undefined {
  if (!isObject(body)) {
    return { error: 'invalid_payload', why: 'body is not a JSON object' };
  }
  const attachments = body.attachments;
  if (attachments !== undefined && (!Array.isArray(attachments) || !attachments.every(isObject))) {
    return { error: 'invalid_attachments', why: 'attachments must be an array of objects' };
  }
  const lists: unknown[] = [body.blocks, ...((attachments as Obj[] | undefined) ?? []).map((a) => a.blocks)];
  let any = typeof body.text === 'string' && body.text !== '';
  for (const list of lists) {
    if (list === undefined) {
      continue;
    }
    if (!Array.isArray(list) || list.length > BLOCK_KIT_LIMITS.blocks) {
      return { error: 'invalid_blocks', why: `at most ${BLOCK_KIT_LIMITS.blocks} blocks` };
    }
    const why = list.map(blockError).find((e) => e !== undefined);
    if (why) {
      return { error: 'invalid_blocks', why };
    }
    any ||= list.length > 0;
  }
  return any ? undefined : { error: 'no_text', why: 'neither text nor blocks' };
}

/**
 * Starts the fake. `failNext(n, { status: 429, retryAfterSeconds })` makes the next n requests fail, as
 * Slack rate-limits a webhook to about one message per second. `keyOf` names what `count()` counts.
 */
export async function startSlackFake(opts: { keyOf?: (body: Obj) => string } = {}): Promise<SlackFake> {
  const keyOf = opts.keyOf ?? ((b: Obj) => String(b.text ?? ''));
  const server = await startLoopbackServer(({ method, path, body }) => {
    if (!path.startsWith('/services/') || method !== 'POST') {
      return { status: 404, body: 'no_service' };
    }
    const problem = slackMessageError(body);
    if (problem) {
      return { status: 400, body: problem.error };
    }
    return { status: 200, body: 'ok', key: keyOf(body as Obj) };
  });
  return { ...server, webhookURL: `${server.url}/services/T0000/B0000/XXXXXXXX` };
}
