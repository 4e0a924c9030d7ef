/**
 * The anomaly-detection part of the OpenAPI document (see openapi.ts): `/api/v1/anomalies`,
 * `/api/v1/detectors` and `/api/v1/detect`, with their schemas.
 */

import { ANOMALY_TYPES } from '@vigil/core';
import { epochOrIso, errorResponse, jsonOf, limitParam, ref, timeParam } from './openapiParts';

const unauthorized = { $ref: '#/components/responses/Unauthorized' };
const num = { type: 'number' };
const nullableNum = { type: ['number', 'null'] };

const detectorOptions = {
  type: 'object',
  additionalProperties: false,
  description: "Options of the streaming detector (@vigil/core); defaults are the guide's",
  properties: {
    windowSize: { type: 'integer', minimum: 20, default: 100 },
    sensitivity: { type: 'number', exclusiveMinimum: 0, default: 3 },
    trendLength: { type: 'integer', minimum: 4, default: 20 },
    minSamples: { type: 'integer', minimum: 2, default: 10 },
    utcOffsetMinutes: { type: 'number', minimum: -840, maximum: 840, default: 0 },
    scoring: { type: 'string', enum: ['guide', 'likelihood'], default: 'likelihood' },
    alertThreshold: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.5 },
  },
};

const run = {
  type: ['object', 'null'],
  properties: {
    at: { type: 'integer' },
    durationMs: num,
    ok: { type: 'boolean' },
    error: { type: 'string' },
    points: { type: 'integer' },
    coldPoints: { type: 'integer', description: 'points judged without enough history' },
    series: { type: 'integer' },
    anomalies: { type: 'integer', description: 'events opened' },
  },
};

/** Schemas added to `components.schemas`. */
export const detectionSchemas: Record<string, unknown> = {
  DetectorOptions: detectorOptions,
  DetectPoint: {
    type: 'object',
    required: ['t', 'value', 'expected', 'lower', 'upper', 'score', 'isAnomaly', 'type', 'confidence', 'reason'],
    properties: {
      t: { type: 'integer' },
      value: num,
      expected: nullableNum,
      lower: nullableNum,
      upper: nullableNum,
      score: { type: 'number', minimum: 0, maximum: 1 },
      isAnomaly: { type: 'boolean' },
      type: { type: 'string', enum: [...ANOMALY_TYPES] },
      confidence: num,
      reason: { type: 'string', enum: ['ok', 'insufficient_data', 'zero_variance', 'invalid_value', 'out_of_order'] },
    },
  },
  DetectAnomaly: {
    type: 'object',
    properties: {
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      t: { type: 'integer' },
      value: num,
      expected: num,
      lower: num,
      upper: num,
      type: { type: 'string' },
      confidence: num,
      zScore: num,
      score: num,
      severity: { type: 'string', enum: ['info', 'warning', 'error'] },
      message: { type: 'string' },
    },
  },
  DetectorStatus: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      datasource: { type: 'string' },
      query: { type: 'string' },
      intervalMs: { type: 'integer' },
      stepMs: { type: 'integer' },
      lookbackMs: { type: 'integer' },
      warm: { type: 'boolean' },
      warmStart: {
        type: ['object', 'null'],
        properties: {
          source: { type: 'string', enum: ['state', 'history'] },
          at: { type: 'integer' },
          from: { type: 'integer' },
          to: { type: 'integer' },
          series: { type: 'integer' },
          historyPoints: { type: 'integer' },
          caughtUpPoints: { type: 'integer' },
          discardedStates: { type: 'integer' },
        },
      },
      runs: { type: 'integer' },
      lastSuccessAt: { type: ['integer', 'null'] },
      firstRun: run,
      lastRun: run,
      series: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            key: { type: 'string' },
            labels: { type: 'object', additionalProperties: { type: 'string' } },
            lastTimestamp: { type: ['integer', 'null'] },
            lastReason: { type: ['string', 'null'] },
            baseline: { type: ['object', 'null'] },
            lastScore: nullableNum,
            openEventId: { type: ['string', 'null'] },
          },
        },
      },
    },
  },
};

/** Paths added to `paths`. */
export const detectionPaths: Record<string, unknown> = {
  '/api/v1/anomalies': {
    get: {
      summary: 'Anomaly events (one per incident) overlapping [from, to], newest first',
      parameters: [
        timeParam('from', 'default: to - 24h'),
        timeParam('to', 'default: now'),
        { name: 'detector', in: 'query', required: false, schema: { type: 'string' } },
        {
          name: 'severity',
          in: 'query',
          required: false,
          description: 'info, warning or error; comma-separated for several',
          schema: { type: 'string' },
        },
        limitParam,
      ],
      responses: {
        200: {
          description:
            "the anomaly events; metadata carries the guide's anomaly_type, z_score, baseline_mean, baseline_stdev, confidence, severity, detection_method",
          content: jsonOf({
            type: 'object',
            properties: {
              from: { type: 'integer' },
              to: { type: 'integer' },
              anomalies: { type: 'array', items: ref('Event') },
            },
          }),
        },
        400: errorResponse('a bad query parameter, named in the message'),
        401: unauthorized,
      },
    },
  },
  '/api/v1/detectors': {
    get: {
      summary: 'Configured detectors: warm start, evaluation runs, per-series baseline',
      responses: {
        200: {
          description: 'the detectors',
          content: jsonOf({
            type: 'object',
            properties: { detectors: { type: 'array', items: ref('DetectorStatus') } },
          }),
        },
        401: unauthorized,
      },
    },
  },
  '/api/v1/detect': {
    post: {
      summary: 'Run the detector on a series, or on a query over a range: per-point band, score and anomalies',
      requestBody: {
        required: true,
        content: jsonOf({
          oneOf: [
            {
              type: 'object',
              required: ['series'],
              additionalProperties: false,
              properties: {
                series: {
                  type: 'array',
                  minItems: 1,
                  maxItems: 100,
                  items: {
                    type: 'object',
                    required: ['points'],
                    properties: {
                      labels: { type: 'object', additionalProperties: { type: 'string' } },
                      points: {
                        type: 'array',
                        description: '[epoch ms, value or null], timestamps increasing; at most 100000 points in total',
                        items: {
                          type: 'array',
                          prefixItems: [{ type: 'integer' }, nullableNum],
                          minItems: 2,
                          maxItems: 2,
                        },
                      },
                    },
                  },
                },
                options: ref('DetectorOptions'),
              },
            },
            {
              type: 'object',
              required: ['datasource', 'query', 'from', 'to', 'step'],
              additionalProperties: false,
              properties: {
                datasource: { type: 'string' },
                query: { type: 'string', description: 'PromQL or InfluxQL' },
                from: epochOrIso,
                to: epochOrIso,
                step: {
                  oneOf: [
                    { type: 'number', description: 'seconds' },
                    { type: 'string', description: 'duration, e.g. "30s"' },
                  ],
                },
                options: ref('DetectorOptions'),
              },
            },
          ],
        }),
      },
      responses: {
        200: {
          description: 'per series per point the verdict, and the anomalous points',
          content: jsonOf({
            type: 'object',
            properties: {
              series: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    labels: { type: 'object', additionalProperties: { type: 'string' } },
                    points: { type: 'array', items: ref('DetectPoint') },
                  },
                },
              },
              anomalies: { type: 'array', items: ref('DetectAnomaly') },
            },
          }),
        },
        400: errorResponse('a bad body, naming the field; too many points or series; unknown datasource; bad query'),
        401: unauthorized,
        413: errorResponse('body larger than server.bodyLimit'),
        502: errorResponse('the datasource failed'),
      },
    },
  },
};
