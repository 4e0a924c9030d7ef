/**
 * Schemas of the notification part of the OpenAPI document (paths in openapiNotify.ts): silences,
 * notifications, channels, routes and groups. The wire types are core's `notify/api.ts`.
 */
import { MATCH_OPS, SILENCE_STATES } from '@vigil/core';
import { RECEIVER_LIMITS } from '../receivers/types';
import { ref } from './openapiParts';
import { SILENCE_LIMITS } from './silenceBody';

const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const time = { type: 'string', format: 'date-time' };
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });
const stringMap = { type: 'object', additionalProperties: str };
const strings = { type: 'array', items: str };
/** Delivery states of a notification. */
export const NOTIFICATION_STATES = ['pending', 'sending', 'sent', 'failed'];
const states = NOTIFICATION_STATES;

const matcher = {
  type: 'object',
  required: ['name', 'op', 'value'],
  properties: {
    name: { type: 'string', maxLength: SILENCE_LIMITS.name },
    op: { enum: [...MATCH_OPS] },
    value: { type: 'string', maxLength: SILENCE_LIMITS.value, description: 'regexes are fully anchored' },
  },
};

const route: Record<string, unknown> = {
  type: 'object',
  properties: {
    id: str,
    receiver: nullable('string'),
    matchers: { ...strings, description: 'Alertmanager syntax, e.g. severity="critical"' },
    continue: bool,
    groupBy: { ...strings, description: "label names, or ['...'] for all labels" },
    groupWait: str,
    groupInterval: str,
    repeatInterval: str,
    muteTimeIntervals: strings,
    activeTimeIntervals: strings,
    routes: { type: 'array', items: ref('Route') },
  },
};

/** Schemas added to `components.schemas`. */
export const notifySchemas: Record<string, unknown> = {
  Matcher: matcher,
  Silence: {
    type: 'object',
    required: ['id', 'matchers', 'startsAt', 'endsAt', 'createdBy', 'comment', 'state', 'updatedAt'],
    properties: {
      id: str,
      matchers: { type: 'array', items: ref('Matcher') },
      startsAt: time,
      endsAt: time,
      createdBy: { type: 'string', description: 'the Grafana user who created or last changed it' },
      comment: str,
      state: { enum: [...SILENCE_STATES] },
      updatedAt: time,
    },
  },
  SilenceBody: {
    type: 'object',
    additionalProperties: false,
    required: ['matchers', 'endsAt', 'comment'],
    properties: {
      id: { type: 'string', description: 'replace this existing (not expired) silence' },
      matchers: {
        oneOf: [
          { type: 'array', minItems: 1, maxItems: SILENCE_LIMITS.matchers, items: ref('Matcher') },
          { type: 'string', description: 'Alertmanager syntax: {alertname="X", severity=~"crit.*"}' },
        ],
      },
      startsAt: { ...time, description: 'default: now (a past start of a new silence becomes now)' },
      endsAt: { ...time, description: 'in the future' },
      comment: { type: 'string', minLength: 1, maxLength: SILENCE_LIMITS.comment },
      createdBy: { type: 'string', description: 'ignored: the author is X-Grafana-User (or api)' },
    },
  },
  FieldErrors: {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: str,
          message: str,
          fields: {
            type: 'array',
            items: { type: 'object', required: ['field', 'message'], properties: { field: str, message: str } },
          },
        },
      },
    },
  },
  ReceiverError: {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { enum: ['invalid_payload', 'invalid_json'] },
          message: str,
          fields: {
            type: 'array',
            maxItems: RECEIVER_LIMITS.maxErrors,
            items: {
              type: 'object',
              required: ['path', 'message'],
              properties: { path: { type: 'string', description: 'JSON path, e.g. $.alerts[3].labels' }, message: str },
            },
          },
        },
      },
    },
  },
  Notification: {
    type: 'object',
    properties: {
      id: str,
      channel: str,
      groupKey: str,
      status: { enum: states },
      summary: { type: 'string', description: 'e.g. [FIRING:2] HighLatency' },
      attempts: int,
      createdAt: time,
      nextAttemptAt: nullable('string', { format: 'date-time' }),
      sentAt: nullable('string', { format: 'date-time' }),
      lastError: nullable('string'),
    },
  },
  Channel: {
    type: 'object',
    properties: {
      name: str,
      type: { enum: ['pagerduty', 'slack', 'email', 'webhook'] },
      target: { type: 'string', description: 'where it delivers, without secrets' },
      sendResolved: bool,
      lastDelivery: {
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            properties: { at: time, status: { enum: states }, error: nullable('string') },
          },
        ],
      },
      pending: int,
      failed: int,
    },
  },
  Route: route,
  Group: {
    type: 'object',
    properties: {
      key: str,
      receiver: str,
      groupLabels: stringMap,
      alerts: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            fingerprint: str,
            status: { enum: ['firing', 'resolved'] },
            labels: stringMap,
            silencedBy: { ...strings, description: 'ids of the silences muting it' },
            inhibited: bool,
          },
        },
      },
      lastNotifiedAt: nullable('string', { format: 'date-time' }),
      nextFlushAt: nullable('string', { format: 'date-time' }),
    },
  },
};
