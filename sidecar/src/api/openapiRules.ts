/**
 * The alert-rule part of the OpenAPI document (see openapi.ts): `/api/v1/rules` (CRUD, preview,
 * export) with their schemas. The wire types are core's `rules/api.ts`.
 */
import { COMPARATORS, ERROR_HANDLING, NO_DATA_HANDLING, SEVERITIES } from '@vigil/core';
import { RULE_LIMITS } from '../rules/schemaZod';
import { errorResponse, jsonOf, ref, timeParam } from './openapiParts';

const unauthorized = { $ref: '#/components/responses/Unauthorized' };
const str = { type: 'string' };
const num = { type: 'number' };
const int = { type: 'integer' };
const duration = { type: 'string', description: 'Prometheus duration, e.g. "30s", "5m", "1h30m"' };
const stringMap = {
  type: 'object',
  maxProperties: RULE_LIMITS.labels,
  additionalProperties: { type: 'string', maxLength: RULE_LIMITS.labelValue },
};
const idParam = { name: 'id', in: 'path', required: true, schema: str };
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: "the rule's version as read (ETag); a different stored version is a 409",
  schema: str,
};
const rangeParams = [
  timeParam('from', 'backtest start (default: to - 24h); the range spans at most 31 days'),
  timeParam('to', 'backtest end (default: now)'),
];
const invalid = {
  description: 'invalid rule: every field problem listed',
  content: jsonOf(ref('RuleValidationError')),
};

const condition = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'op', 'threshold'],
      properties: { kind: { const: 'threshold' }, op: { enum: [...COMPARATORS] }, threshold: num },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'op', 'threshold'],
      description:
        "the guide's AdaptiveThresholdManager: mean + stddevs·stddev·seasonal factor, clamped to 0.5–2× threshold",
      properties: {
        kind: { const: 'adaptive' },
        op: { enum: ['>', '>=', '<', '<='] },
        threshold: { type: 'number', description: 'base threshold' },
        baselineDays: { type: 'integer', minimum: 1, maximum: 28, default: 7 },
        stddevs: { type: 'number', exclusiveMinimum: 0, default: 2 },
        minSamples: { type: 'integer', minimum: 1, default: 100 },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'op', 'threshold'],
      description: 'percent change against the average of the last baselineDays at the same hour',
      properties: {
        kind: { const: 'baseline' },
        op: { enum: [...COMPARATORS] },
        threshold: { type: 'number', description: 'percent, e.g. -20' },
        baselineDays: { type: 'integer', minimum: 1, maximum: 28, default: 7 },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'detector', 'minConfidence'],
      properties: {
        kind: { const: 'anomaly' },
        detector: { type: 'string', description: 'a configured detector' },
        minConfidence: { type: 'number', minimum: 0, maximum: 1 },
        fixedSeverity: { type: 'boolean', default: false },
      },
    },
  ],
};

const ruleBodyProperties = {
  id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,127}$', description: 'default: from the name' },
  name: { type: 'string', minLength: 1, maxLength: RULE_LIMITS.name },
  description: { type: 'string', maxLength: RULE_LIMITS.description, default: '' },
  severity: { enum: [...SEVERITIES] },
  datasource: { type: 'string', description: 'default: the first configured; unused by anomaly conditions' },
  query: { type: 'string', maxLength: RULE_LIMITS.query, description: 'PromQL, or read-only InfluxQL (SELECT/SHOW)' },
  condition: ref('RuleCondition'),
  for: { ...duration, default: '0s' },
  keepFiringFor: { ...duration, default: '0s' },
  interval: { ...duration, default: '1m', description: 'at least 1s' },
  labels: stringMap,
  annotations: { ...stringMap, description: 'templates over {{ $value }}, {{ $threshold }}, {{ $labels.x }}' },
  actions: { type: 'array', maxItems: RULE_LIMITS.actions, items: str },
  noDataState: { enum: [...NO_DATA_HANDLING], default: 'NoData' },
  execErrState: { enum: [...ERROR_HANDLING], default: 'Error' },
  missingSeriesEvalsToResolve: { type: 'integer', minimum: 1, default: 2 },
  enabled: { type: 'boolean', default: true },
};

const transition = {
  type: 'object',
  properties: {
    ruleId: str,
    fingerprint: str,
    labels: { type: 'object', additionalProperties: str },
    from: str,
    to: str,
    at: int,
    value: { type: ['number', 'null'] },
    threshold: { type: ['number', 'null'] },
    severity: str,
    event: { enum: ['firing', 'resolved'] },
    reason: str,
  },
};

/** Schemas added to `components.schemas`. */
export const ruleSchemas: Record<string, unknown> = {
  RuleCondition: condition,
  RuleBody: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'severity', 'condition'],
    properties: ruleBodyProperties,
  },
  Rule: {
    type: 'object',
    description: 'a stored rule: the normalized body (every default filled in), metadata and evaluation status',
    properties: {
      ...ruleBodyProperties,
      origin: { enum: ['api', 'file'] },
      file: { type: 'string', description: 'rule files: the file' },
      readOnly: { type: 'boolean' },
      createdAt: int,
      createdBy: { type: 'string', description: 'X-Grafana-User, or api / file:<name>' },
      updatedAt: int,
      updatedBy: str,
      version: int,
      status: {
        type: 'object',
        properties: {
          health: { enum: ['ok', 'error', 'nodata', 'unknown'] },
          lastEvaluation: { type: ['integer', 'null'] },
          lastDurationMs: { type: ['number', 'null'] },
          lastError: { type: ['string', 'null'] },
          seriesCount: int,
          states: { type: 'object', additionalProperties: int },
        },
      },
    },
  },
  RuleValidationError: {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'fields'],
        properties: {
          code: { const: 'invalid_rule' },
          message: str,
          fields: {
            type: 'array',
            items: {
              type: 'object',
              required: ['field', 'message'],
              properties: {
                field: { type: 'string', description: 'dotted path, e.g. condition.threshold' },
                message: str,
                position: { type: 'integer', description: '0-based offset of a query syntax error' },
              },
            },
          },
        },
      },
    },
  },
  Transition: transition,
  Preview: {
    type: 'object',
    properties: {
      from: int,
      to: int,
      stepMs: int,
      series: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            fingerprint: str,
            labels: { type: 'object', additionalProperties: str },
            points: { type: 'array', items: { type: 'array', prefixItems: [int, { type: ['number', 'null'] }] } },
            thresholds: { type: 'array', items: { type: 'array', prefixItems: [int, { type: ['number', 'null'] }] } },
          },
        },
      },
      intervals: {
        type: 'array',
        items: { type: 'object', properties: { fingerprint: str, state: str, from: int, to: int } },
      },
      events: { type: 'array', items: ref('Transition') },
      warnings: { type: 'array', items: str },
    },
  },
};

const ruleResponse = (description: string) => ({ description, content: jsonOf(ref('Rule')) });
const previewResponses = {
  200: { description: 'the backtest', content: jsonOf(ref('Preview')) },
  400: invalid,
  401: unauthorized,
  502: errorResponse('the datasource failed (504 on a timeout)'),
};

/** Paths added to the document. */
export const rulePaths: Record<string, unknown> = {
  '/api/v1/rules': {
    get: {
      summary: 'Every rule (API and file ones) with its evaluation status',
      parameters: [
        { name: 'severity', in: 'query', required: false, description: 'comma-separated severities', schema: str },
        { name: 'state', in: 'query', required: false, description: 'comma-separated instance states', schema: str },
        {
          name: 'q',
          in: 'query',
          required: false,
          description: 'text in id, name, description, query or labels',
          schema: str,
        },
      ],
      responses: {
        200: {
          description: 'the rules',
          content: jsonOf({ type: 'object', properties: { rules: { type: 'array', items: ref('Rule') } } }),
        },
        400: errorResponse('a bad filter'),
        401: unauthorized,
      },
    },
    post: {
      summary: 'Creates a rule after validating it and test-running its query (X-Grafana-User is recorded)',
      requestBody: { required: true, content: jsonOf(ref('RuleBody')) },
      responses: {
        201: ruleResponse('created (Location and ETag headers)'),
        400: invalid,
        401: unauthorized,
        409: errorResponse('the id is taken'),
        502: errorResponse('the datasource could not run the query: nothing saved'),
      },
    },
  },
  '/api/v1/rules/preview': {
    post: {
      summary: 'Backtests an unsaved rule: the body is the rule (from/to in the query), or { rule, from, to }',
      parameters: rangeParams,
      requestBody: {
        required: true,
        content: jsonOf({
          oneOf: [
            ref('RuleBody'),
            { type: 'object', required: ['rule'], properties: { rule: ref('RuleBody'), from: int, to: int } },
          ],
        }),
      },
      responses: previewResponses,
    },
  },
  '/api/v1/rules/export': {
    get: {
      summary: 'Every rule as a rule file (YAML), or the threshold rules as a Prometheus rule file',
      parameters: [
        { name: 'format', in: 'query', required: false, schema: { enum: ['yaml', 'prometheus'], default: 'yaml' } },
      ],
      responses: {
        200: { description: 'YAML', content: { 'application/yaml': { schema: str } } },
        400: errorResponse('unknown format'),
        401: unauthorized,
      },
    },
  },
  '/api/v1/rules/{id}': {
    get: {
      summary: 'One rule',
      parameters: [idParam],
      responses: {
        200: ruleResponse('the rule (ETag: its version)'),
        401: unauthorized,
        404: errorResponse('no such rule'),
      },
    },
    put: {
      summary: 'Replaces an API rule (validated and test-run like a create)',
      parameters: [idParam, ifMatch],
      requestBody: { required: true, content: jsonOf(ref('RuleBody')) },
      responses: {
        200: ruleResponse('the updated rule'),
        400: invalid,
        401: unauthorized,
        403: errorResponse('a rule from a file: read-only (names the file)'),
        404: errorResponse('no such rule'),
        409: errorResponse('If-Match differs from the stored version'),
        502: errorResponse('the datasource could not run the query: nothing saved'),
      },
    },
    delete: {
      summary: 'Deletes an API rule, its alert instances and status (history is kept)',
      parameters: [idParam, ifMatch],
      responses: {
        204: { description: 'deleted' },
        401: unauthorized,
        403: errorResponse('a rule from a file: read-only'),
        404: errorResponse('no such rule'),
        409: errorResponse('If-Match differs from the stored version'),
      },
    },
  },
  '/api/v1/rules/{id}/preview': {
    get: {
      summary: 'Backtests a saved rule over [from, to]: series, thresholds, Pending/Firing intervals, events',
      parameters: [idParam, ...rangeParams],
      responses: { ...previewResponses, 404: errorResponse('no such rule') },
    },
  },
};
