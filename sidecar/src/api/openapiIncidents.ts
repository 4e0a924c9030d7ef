/**
 * The incidents and live-stream part of the OpenAPI document (see openapi.ts). The wire types are
 * core's `correlation/api.ts`.
 */
import { INCIDENT_STATES, SEVERITIES } from '@vigil/core';
import { STREAM_EVENT_TYPES } from '../live/bus';
import { MAX_COMMENT_LENGTH } from './incidents';
import { errorResponse, jsonOf, ref } from './openapiParts';

const unauthorized = { $ref: '#/components/responses/Unauthorized' };
const str = { type: 'string' };
const int = { type: 'integer' };
const time = { type: 'string', format: 'date-time' };
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });
const stringMap = { type: 'object', additionalProperties: str };
const severity = { enum: [...SEVERITIES] };
const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  ...extra,
});
const kind = (k: string) => ({ const: k });

const incidentView = {
  id: str,
  title: str,
  state: { enum: [...INCIDENT_STATES] },
  severity: { ...severity, description: 'the highest of its alerts' },
  rootCause: ref('RootCause'),
  openedAt: time,
  updatedAt: time,
  acknowledgedAt: nullable('string', { format: 'date-time' }),
  acknowledgedBy: nullable('string', { description: 'the Grafana user' }),
  resolvedAt: nullable('string', { format: 'date-time' }),
  resolvedBy: nullable('string', { description: 'the Grafana user; null when resolved with its alerts' }),
  alertCount: { ...int, description: 'members and suppressed alerts' },
  suppressedCount: int,
  services: { type: 'array', items: str, description: 'services of its alerts (correlation.serviceLabel)' },
};

/** Schemas added to `components.schemas`. */
export const incidentSchemas: Record<string, unknown> = {
  RootCause: object({
    fingerprint: str,
    service: nullable('string'),
    reason: { ...str, description: 'why it was chosen, e.g. "most upstream service with an active alert (database)"' },
  }),
  CorrelationReason: {
    description: 'why the alert joined the incident (`with`: the fingerprint of the alert it correlates with)',
    oneOf: [
      object({ kind: kind('same_service'), service: str, with: str }),
      object({ kind: kind('dependency'), upstream: str, downstream: str, with: str }),
      object({ kind: kind('symptom'), group: str, with: str }),
    ],
  },
  SuppressionReason: {
    description: 'why the alert is not notified (`by`: the fingerprint of the alert that suppresses it)',
    oneOf: [
      object({ kind: kind('higher_severity'), by: str, severity }),
      object({ kind: kind('downstream'), by: str, upstream: str }),
    ],
  },
  IncidentAlert: object({
    fingerprint: str,
    role: { enum: ['member', 'suppressed'] },
    labels: stringMap,
    severity,
    status: { enum: ['firing', 'resolved'] },
    startsAt: time,
    endsAt: nullable('string', { format: 'date-time' }),
    correlation: {
      oneOf: [ref('CorrelationReason'), { type: 'null' }],
      description: 'null for the alert that opened it',
    },
    suppression: { oneOf: [ref('SuppressionReason'), { type: 'null' }], description: 'null for members' },
    summary: nullable('string'),
    generatorURL: nullable('string'),
    annotations: { ...stringMap, description: 'summary, description, runbook_url, dashboard_url, …' },
  }),
  IncidentTimelineEntry: object({
    at: time,
    kind: {
      enum: [
        'opened',
        'alert_joined',
        'alert_suppressed',
        'alert_resolved',
        'root_cause',
        'acknowledged',
        'resolved',
        'reopened',
      ],
    },
    message: str,
    user: nullable('string', { description: 'the Grafana user for acknowledge / resolve; null for the system' }),
  }),
  Incident: object(incidentView),
  IncidentDetail: object({
    ...incidentView,
    alerts: { type: 'array', items: ref('IncidentAlert'), description: 'by start time' },
    timeline: { type: 'array', items: ref('IncidentTimelineEntry'), description: 'oldest first' },
  }),
  IncidentActionBody: {
    type: 'object',
    additionalProperties: false,
    properties: { comment: { type: 'string', maxLength: MAX_COMMENT_LENGTH } },
  },
};

const idParam = { name: 'id', in: 'path', required: true, schema: str };
const detail = (description: string) => ({ description, content: jsonOf(ref('IncidentDetail')) });
const action = (summary: string, ok: string, extra: Record<string, unknown>) => ({
  post: {
    summary,
    parameters: [idParam],
    requestBody: { required: false, content: jsonOf(ref('IncidentActionBody')) },
    responses: {
      200: detail(ok),
      400: errorResponse('a body that is not {"comment": "…"}'),
      401: unauthorized,
      404: errorResponse('no such incident'),
      ...extra,
    },
  },
});

/** Paths added to the document. */
export const incidentPaths: Record<string, unknown> = {
  '/api/v1/incidents': {
    get: {
      summary: 'Incidents, most recently updated first',
      parameters: [
        {
          name: 'state',
          in: 'query',
          required: false,
          description: `comma-separated: ${INCIDENT_STATES.join(', ')} (default all)`,
          schema: str,
        },
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        },
      ],
      responses: {
        200: {
          description: 'the incidents',
          content: jsonOf(object({ incidents: { type: 'array', items: ref('Incident') } })),
        },
        400: errorResponse('an unknown state or a bad limit'),
        401: unauthorized,
      },
    },
  },
  '/api/v1/incidents/{id}': {
    get: {
      summary: 'One incident with its alerts (members and suppressed, with reasons) and timeline',
      parameters: [idParam],
      responses: { 200: detail('the incident'), 401: unauthorized, 404: errorResponse('no such incident') },
    },
  },
  '/api/v1/incidents/{id}/acknowledge': action(
    'Acknowledges an open incident as the Grafana user (timeline and change log); idempotent',
    'acknowledged (or already was)',
    { 409: errorResponse('the incident is resolved') }
  ),
  '/api/v1/incidents/{id}/resolve': action(
    'Resolves an incident as the Grafana user (timeline and change log); idempotent',
    'resolved (or already was)',
    {}
  ),
  '/api/v1/stream': {
    get: {
      summary: 'Live alert, incident and anomaly changes as Server-Sent Events',
      description:
        'Starts with the comment `: connected`; then per change `id: <n>`, `event: <type>` and `data: <StreamEvent JSON>` ' +
        '(core correlation/api.ts), and a `: heartbeat` comment every 15 s. A client too slow to read is disconnected ' +
        '(EventSource reconnects; reload the state from the other endpoints then).',
      parameters: [
        {
          name: 'types',
          in: 'query',
          required: false,
          description: `comma-separated: ${STREAM_EVENT_TYPES.join(', ')} (default all)`,
          schema: str,
        },
      ],
      responses: {
        200: { description: 'the event stream', content: { 'text/event-stream': { schema: str } } },
        400: errorResponse('an unknown type'),
        401: unauthorized,
      },
    },
  },
};
