/**
 * The SLO part of the OpenAPI document (see openapi.ts): `/api/v1/slos` (issue 10). A spec body is
 * Vigil's SLO spec (sidecar/src/slo/specSchema.ts, documented in sidecar/src/slo/README.md).
 */
import { errorResponse, jsonOf, ref } from './openapiParts';

const unauthorized = { $ref: '#/components/responses/Unauthorized' };
const str = { type: 'string' };
const num = { type: 'number' };
const int = { type: 'integer' };
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });
const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  ...extra,
});

/** Schemas added to `components.schemas`. */
export const sloSchemas: Record<string, unknown> = {
  SloSpec: {
    type: 'object',
    description:
      "Vigil's SLO spec: id, name, description, service, target (percent), window (`30d`, or `{calendar: month|quarter|week, timeZone}`), " +
      'sli (one of ratio {good|bad, total}, latency {histogram, matchers, threshold}, timeslice {query, op, threshold, slice}), ' +
      'datasource, measurementWindow, minEvents, alerting {page, ticket}, labels',
    required: ['id', 'name', 'service', 'target', 'sli', 'datasource'],
    additionalProperties: true,
  },
  SloBurnRate: object({
    name: { enum: ['page_1h', 'page_6h', 'ticket_1d', 'ticket_3d'] },
    kind: { enum: ['page', 'ticket'] },
    severity: str,
    factor: num,
    longWindowMs: int,
    shortWindowMs: int,
    longRate: nullable('number'),
    shortRate: nullable('number'),
    firing: { type: 'boolean' },
    lowTraffic: { type: 'boolean', description: 'fewer events than minEvents in the long window' },
  }),
  SloStatus: object({
    evaluatedAt: { ...int, description: 'epoch ms' },
    error: nullable('string', { description: 'why the last evaluation failed' }),
    sliNow: nullable('number', { description: 'over the measurement window' }),
    sli: nullable('number', { description: 'over the compliance window so far' }),
    budgetRemaining: nullable('number'),
    budgetConsumed: nullable('number'),
    budgetStatus: nullable('string', { description: 'healthy, warning (60% spent), critical (80%), exhausted' }),
    burnRate: nullable('number', { description: 'over the last hour' }),
    timeToExhaustionMs: nullable('number'),
    burnRates: { type: 'array', items: ref('SloBurnRate') },
    windowStart: nullable('integer'),
    windowEnd: nullable('integer'),
  }),
  Slo: object({
    id: str,
    name: str,
    description: str,
    service: str,
    target: num,
    window: { ...str, description: 'e.g. 30d, month (Europe/Berlin)' },
    spec: ref('SloSpec'),
    version: int,
    createdAt: int,
    createdBy: str,
    updatedAt: int,
    updatedBy: str,
    status: { oneOf: [ref('SloStatus'), { type: 'null' }] },
  }),
};

const idParam = { name: 'id', in: 'path', required: true, schema: str };
const one = (description: string) => ({ description, content: jsonOf(ref('Slo')) });
const specBody = { required: true, content: jsonOf(ref('SloSpec')) };

export const sloPaths: Record<string, unknown> = {
  '/api/v1/slos': {
    get: {
      summary: 'SLOs with their latest status, the least budget remaining first',
      responses: {
        200: { description: 'the SLOs', content: jsonOf(object({ slos: { type: 'array', items: ref('Slo') } })) },
        401: unauthorized,
      },
    },
    post: {
      summary: 'Creates an SLO (and its burn-rate rule) as the Grafana user',
      requestBody: specBody,
      responses: {
        201: one('the SLO'),
        400: errorResponse('an invalid spec (`fields` names each problem) or an unknown datasource'),
        401: unauthorized,
        409: errorResponse('an SLO with that id exists'),
      },
    },
  },
  '/api/v1/slos/preview': {
    post: {
      summary: 'Evaluates an unsaved SLO spec now (status and burn-down since its window started); stores nothing',
      requestBody: specBody,
      responses: {
        200: {
          description: 'what the SLO would show',
          content: jsonOf(
            object({
              status: ref('SloStatus'),
              burnDown: { type: 'array', items: object({ t: int, remaining: num, consumed: num }) },
            })
          ),
        },
        400: errorResponse('an invalid spec (`fields` names each problem) or an unknown datasource'),
        401: unauthorized,
        502: errorResponse('the datasource failed'),
      },
    },
  },
  '/api/v1/slos/dashboard': {
    get: {
      summary: "The guide's SLO dashboard data: overall compliance, compliant and total SLOs, per-SLO status",
      responses: {
        200: {
          description: 'the dashboard figures (the guide field names)',
          content: jsonOf(
            object({
              overall_compliance: num,
              compliant_slos: int,
              total_slos: int,
              slo_statuses: { type: 'object', additionalProperties: { type: 'object' } },
              timestamp: { type: 'string', format: 'date-time' },
            })
          ),
        },
        401: unauthorized,
      },
    },
  },
  '/api/v1/slos/{id}': {
    get: {
      summary: 'One SLO with its latest status',
      parameters: [idParam],
      responses: { 200: one('the SLO'), 401: unauthorized, 404: errorResponse('no such SLO') },
    },
    put: {
      summary: 'Replaces an SLO (`If-Match: <version>` to refuse a concurrent change) and its rule',
      parameters: [idParam],
      requestBody: specBody,
      responses: {
        200: one('the SLO'),
        400: errorResponse("an invalid spec, or an id that is not the path's"),
        401: unauthorized,
        404: errorResponse('no such SLO'),
        409: errorResponse('the SLO changed meanwhile'),
      },
    },
    delete: {
      summary: 'Deletes an SLO, its status and its rule',
      parameters: [idParam],
      responses: { 204: { description: 'deleted' }, 401: unauthorized, 404: errorResponse('no such SLO') },
    },
  },
  '/api/v1/slos/{id}/budget': {
    get: {
      summary: "The SLO's burn-down: budget remaining at each step, counting the events since `from`",
      parameters: [
        idParam,
        {
          name: 'from',
          in: 'query',
          required: false,
          description: "epoch ms or ISO time (default: the window's start)",
          schema: str,
        },
        { name: 'to', in: 'query', required: false, description: 'epoch ms or ISO time (default: now)', schema: str },
        {
          name: 'step',
          in: 'query',
          required: false,
          description: 'a duration, e.g. 1h (default: about 500 steps; a timeslice SLI steps by its slice)',
          schema: str,
        },
      ],
      responses: {
        200: {
          description: 'the burn-down',
          content: jsonOf(
            object({
              from: int,
              to: int,
              stepMs: int,
              points: { type: 'array', items: object({ t: int, remaining: num, consumed: num }) },
            })
          ),
        },
        400: errorResponse('a bad time or step, too many steps, or an unknown datasource'),
        401: unauthorized,
        404: errorResponse('no such SLO'),
        502: errorResponse('the datasource failed'),
      },
    },
  },
  '/api/v1/slos/{id}/prometheus-rules': {
    get: {
      summary: "The SLO's recording and burn-rate alerting rules as a Prometheus rule file",
      parameters: [idParam],
      responses: {
        200: { description: 'a promtool-valid rule file', content: { 'application/yaml': { schema: str } } },
        400: errorResponse('a timeslice or InfluxQL SLI (no Prometheus rules)'),
        401: unauthorized,
        404: errorResponse('no such SLO'),
      },
    },
  },
};
