/**
 * The notification part of the OpenAPI document (see openapi.ts): receivers, silences, the
 * notification log and `/api/v1/notify/*` (schemas in openapiNotifySchemas.ts). The wire types are
 * core's `notify/api.ts`.
 */
import { SILENCE_STATES } from '@vigil/core';
import { RECEIVER_LIMITS } from '../receivers/types';
import { NOTIFICATION_STATES } from './openapiNotifySchemas';
import { errorResponse, jsonOf, ref } from './openapiParts';

export { notifySchemas } from './openapiNotifySchemas';

const unauthorized = { $ref: '#/components/responses/Unauthorized' };
const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const strings = { type: 'array', items: str };
const states = NOTIFICATION_STATES;
const path = (name: string, description?: string) => ({
  name,
  in: 'path',
  required: true,
  schema: str,
  ...(description ? { description } : {}),
});
const receiverBody = (what: string, doc: string) => ({
  required: true,
  description: `${what} (${doc}); at most ${RECEIVER_LIMITS.maxAlerts} alerts, server.bodyLimit bytes`,
  content: jsonOf({ type: 'object', required: ['status', 'alerts'] }),
});

const receiverResponses = {
  200: {
    description: 'every alert queued durably for routing',
    content: jsonOf({ type: 'object', required: ['accepted'], properties: { accepted: int } }),
  },
  400: {
    description:
      'invalid JSON (invalid_json) or an invalid body (invalid_payload, each problem with its JSON path); nothing stored',
    content: jsonOf(ref('ReceiverError')),
  },
  401: unauthorized,
  413: errorResponse('the body is larger than server.bodyLimit'),
  415: errorResponse('the body is not application/json'),
};

const silenceResponse = (description: string) => ({ description, content: jsonOf(ref('Silence')) });
const noSilence = errorResponse('no such silence');

/** Paths added to the document. */
export const notifyPaths: Record<string, unknown> = {
  '/api/v1/receivers/alertmanager': {
    post: {
      summary: "Receives Alertmanager's webhook (version 4): each alert is routed like Vigil's own",
      requestBody: receiverBody(
        'Alertmanager webhook payload',
        'https://prometheus.io/docs/alerting/latest/configuration/#webhook_config'
      ),
      responses: receiverResponses,
    },
  },
  '/api/v1/receivers/grafana': {
    post: {
      summary: "Receives Grafana Alerting's webhook contact point: each alert is routed like Vigil's own",
      requestBody: receiverBody(
        'Grafana webhook payload',
        'https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/'
      ),
      responses: receiverResponses,
    },
  },
  '/api/v1/silences': {
    get: {
      summary: 'Silences, newest first; expired ones for 24 h after they ended',
      parameters: [
        {
          name: 'state',
          in: 'query',
          required: false,
          description: `comma-separated: ${SILENCE_STATES.join(', ')} (default all)`,
          schema: str,
        },
      ],
      responses: {
        200: {
          description: 'the silences',
          content: jsonOf({ type: 'object', properties: { silences: { type: 'array', items: ref('Silence') } } }),
        },
        400: errorResponse('an unknown state'),
        401: unauthorized,
      },
    },
    post: {
      summary: 'Creates a silence, or with `id` replaces one (X-Grafana-User is the author)',
      requestBody: { required: true, content: jsonOf(ref('SilenceBody')) },
      responses: {
        200: silenceResponse('replaced'),
        201: silenceResponse('created (Location header)'),
        400: {
          description: 'invalid silence (invalid_silence, every field problem), or an expired silence to change',
          content: jsonOf(ref('FieldErrors')),
        },
        401: unauthorized,
        404: errorResponse('`id` names no silence'),
      },
    },
  },
  '/api/v1/silences/{id}': {
    get: {
      summary: 'One silence',
      parameters: [path('id')],
      responses: { 200: silenceResponse('the silence'), 401: unauthorized, 404: noSilence },
    },
    delete: {
      summary: 'Expires a silence now (recorded with the user); an expired one is answered unchanged',
      parameters: [path('id')],
      responses: { 200: silenceResponse('the expired silence'), 401: unauthorized, 404: noSilence },
    },
  },
  '/api/v1/notifications': {
    get: {
      summary: 'The notification log (outbox), newest first',
      parameters: [
        { name: 'status', in: 'query', required: false, schema: { enum: states } },
        { name: 'channel', in: 'query', required: false, schema: str },
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        },
      ],
      responses: {
        200: {
          description: 'the notifications',
          content: jsonOf({
            type: 'object',
            properties: { notifications: { type: 'array', items: ref('Notification') } },
          }),
        },
        400: errorResponse('a bad status or limit'),
        401: unauthorized,
      },
    },
  },
  '/api/v1/notifications/{id}/retry': {
    post: {
      summary: 'Puts a failed notification back in the queue, due now',
      parameters: [path('id')],
      responses: {
        200: { description: 'the notification, pending', content: jsonOf(ref('Notification')) },
        401: unauthorized,
        404: errorResponse('no such notification'),
        409: errorResponse('the notification is not failed'),
      },
    },
  },
  '/api/v1/notify/channels': {
    get: {
      summary: 'Configured channels, secrets masked, with their last delivery and queue counts',
      responses: {
        200: {
          description: 'the channels',
          content: jsonOf({ type: 'object', properties: { channels: { type: 'array', items: ref('Channel') } } }),
        },
        401: unauthorized,
      },
    },
  },
  '/api/v1/notify/channels/{name}/test': {
    post: {
      summary: 'Sends a test notification to one channel directly (not through the outbox)',
      parameters: [path('name', 'channel name')],
      responses: {
        200: {
          description: "the channel's answer: ok false (with the error, no secrets) when it refused",
          content: jsonOf({
            type: 'object',
            required: ['ok', 'durationMs'],
            properties: { ok: bool, error: str, durationMs: { type: 'number' } },
          }),
        },
        401: unauthorized,
        404: errorResponse('no such channel'),
      },
    },
  },
  '/api/v1/notify/routing': {
    get: {
      summary: 'The routing tree (every setting resolved), inhibition rules and time intervals',
      responses: {
        200: {
          description: 'routing',
          content: jsonOf({
            type: 'object',
            properties: {
              route: ref('Route'),
              inhibitRules: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { sourceMatchers: strings, targetMatchers: strings, equal: strings },
                },
              },
              timeIntervals: {
                type: 'array',
                items: { type: 'object', properties: { name: str, activeNow: bool } },
              },
            },
          }),
        },
        401: unauthorized,
      },
    },
  },
  '/api/v1/notify/groups': {
    get: {
      summary: 'Aggregation groups with their alerts (silenced and inhibited ones marked)',
      responses: {
        200: {
          description: 'the groups',
          content: jsonOf({ type: 'object', properties: { groups: { type: 'array', items: ref('Group') } } }),
        },
        401: unauthorized,
      },
    },
  },
};
