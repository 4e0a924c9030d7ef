/**
 * The alert and monitoring part of the OpenAPI document (see openapi.ts): `/api/v1/alerts` and the
 * guide's Quick Reference routes (`/api/v1/monitoring/alerts`, `/api/v1/monitoring/metrics`).
 */
import { ALERT_STATES, SEVERITIES } from '@vigil/core';
import { errorResponse, jsonOf, ref } from './openapiParts';

const unauthorized = { $ref: '#/components/responses/Unauthorized' };
const str = { type: 'string' };
const int = { type: 'integer' };
const nullableNum = { type: ['number', 'null'] };
const labels = { type: 'object', additionalProperties: str };
const hours = (def: number) => ({
  name: 'hours',
  in: 'query',
  required: false,
  schema: { type: 'number', exclusiveMinimum: 0, maximum: 744, default: def },
});

const metricSeries = {
  type: 'object',
  properties: {
    labels,
    points: {
      type: 'array',
      items: { type: 'array', prefixItems: [{ type: 'string', format: 'date-time' }, nullableNum] },
    },
    current: nullableNum,
    min: nullableNum,
    max: nullableNum,
    avg: nullableNum,
  },
};
const metricReading = {
  type: 'object',
  properties: {
    unit: { type: ['string', 'null'] },
    series: { type: 'array', items: metricSeries },
    current: { type: ['number', 'null'], description: "mean of the series' last values" },
    min: nullableNum,
    max: nullableNum,
    avg: nullableNum,
  },
};

/** Schemas added to `components.schemas`. */
export const monitoringSchemas: Record<string, unknown> = {
  Alert: {
    type: 'object',
    description: 'an alert instance (a rule × a label set) with its rule name',
    properties: {
      ruleId: str,
      ruleName: str,
      fingerprint: str,
      labels,
      state: { enum: [...ALERT_STATES] },
      since: int,
      activeAt: { type: ['integer', 'null'] },
      firedAt: { type: ['integer', 'null'] },
      recoveringSince: { type: ['integer', 'null'] },
      value: nullableNum,
      threshold: nullableNum,
      severity: { enum: [...SEVERITIES] },
      missingEvals: int,
      lastEvalAt: int,
      annotations: labels,
      error: str,
    },
  },
  GuideAlertInstance: {
    type: 'object',
    description: "the guide's AlertInstance shape",
    properties: {
      alert_id: { type: 'string', description: 'the rule id' },
      instance_id: { type: 'string', description: 'the instance fingerprint' },
      name: str,
      severity: str,
      state: str,
      triggered_at: { type: 'string', format: 'date-time' },
      current_value: nullableNum,
      threshold: nullableNum,
      message: str,
      labels,
      annotations: labels,
      fingerprint: str,
      since: { type: 'string', format: 'date-time' },
      fired_at: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  MetricReading: metricReading,
};

/** Paths added to the document. */
export const monitoringPaths: Record<string, unknown> = {
  '/api/v1/alerts': {
    get: {
      summary: 'Alert instances, most severe first',
      parameters: [
        { name: 'state', in: 'query', required: false, description: 'comma-separated states', schema: str },
        { name: 'severity', in: 'query', required: false, description: 'comma-separated severities', schema: str },
        { name: 'rule', in: 'query', required: false, description: 'a rule id', schema: str },
      ],
      responses: {
        200: {
          description: 'the instances',
          content: jsonOf({ type: 'object', properties: { alerts: { type: 'array', items: ref('Alert') } } }),
        },
        400: errorResponse('a bad filter'),
        401: unauthorized,
      },
    },
  },
  '/api/v1/alerts/{fingerprint}/history': {
    get: {
      summary: "An instance's state transitions, newest first",
      parameters: [
        { name: 'fingerprint', in: 'path', required: true, schema: str },
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
        },
      ],
      responses: {
        200: {
          description: 'the history',
          content: jsonOf({
            type: 'object',
            properties: { fingerprint: str, history: { type: 'array', items: ref('Transition') } },
          }),
        },
        401: unauthorized,
        404: errorResponse('no instance or history with this fingerprint'),
      },
    },
  },
  '/api/v1/monitoring/alerts': {
    get: {
      summary: "Alert instances in the guide's shape",
      parameters: [
        {
          name: 'active_only',
          in: 'query',
          required: false,
          description: 'only firing (and recovering) instances',
          schema: { type: 'boolean' },
        },
        { name: 'severity', in: 'query', required: false, schema: str },
      ],
      responses: {
        200: {
          description: 'the instances',
          content: jsonOf({
            type: 'object',
            properties: { alerts: { type: 'array', items: ref('GuideAlertInstance') }, total: int },
          }),
        },
        400: errorResponse('a bad parameter'),
        401: unauthorized,
      },
    },
    post: {
      summary:
        "Creates a threshold rule from the guide's alert fields (query: metricNames[metric_name], else the metric itself on the first Prometheus)",
      requestBody: {
        required: true,
        content: jsonOf({
          type: 'object',
          additionalProperties: false,
          required: ['name', 'metric_name', 'condition'],
          properties: {
            name: str,
            metric_name: str,
            condition: { type: 'string', description: 'e.g. "> 100"' },
            threshold: { type: 'number' },
            severity: { enum: [...SEVERITIES], default: 'warning' },
            description: str,
            duration_seconds: { type: 'integer', minimum: 0, default: 0 },
            actions: { type: 'array', items: str },
            alert_id: str,
          },
        }),
      },
      responses: {
        201: {
          description: 'the created alert definition and its rule',
          content: jsonOf({ type: 'object', properties: { alert_id: str, rule: ref('Rule') } }),
        },
        400: {
          description: 'invalid alert, fields in the guide vocabulary',
          content: jsonOf(ref('RuleValidationError')),
        },
        401: unauthorized,
        409: errorResponse('the alert_id is taken'),
        502: errorResponse('the datasource could not run the query: nothing saved'),
      },
    },
  },
  '/api/v1/monitoring/metrics': {
    get: {
      summary: 'Mapped metrics (config metricNames) over the last hours, summarized',
      parameters: [
        {
          name: 'metric_names',
          in: 'query',
          required: false,
          description: 'comma-separated; default all',
          schema: str,
        },
        hours(24),
      ],
      responses: {
        200: {
          description: 'the readings',
          content: jsonOf({
            type: 'object',
            properties: {
              metrics: { type: 'object', additionalProperties: ref('MetricReading') },
              hours: { type: 'number' },
              step_seconds: int,
            },
          }),
        },
        400: errorResponse('a bad parameter'),
        401: unauthorized,
        404: errorResponse('an unknown metric name (the known ones listed)'),
      },
    },
  },
  '/api/v1/monitoring/metrics/timeseries/{name}': {
    get: {
      summary: 'One mapped metric as a time series (at most ~500 points per series)',
      parameters: [{ name: 'name', in: 'path', required: true, schema: str }, hours(24)],
      responses: {
        200: {
          description: 'the series',
          content: jsonOf({
            allOf: [ref('MetricReading'), { type: 'object', properties: { metric: str, step_seconds: int } }],
          }),
        },
        400: errorResponse('a bad parameter'),
        401: unauthorized,
        404: errorResponse('an unknown metric name (the known ones listed)'),
      },
    },
  },
};
