import { Router } from 'express';
import { detectionPaths, detectionSchemas } from './openapiDetection';
import { incidentPaths, incidentSchemas } from './openapiIncidents';
import { monitoringPaths, monitoringSchemas } from './openapiMonitoring';
import { notifyPaths, notifySchemas } from './openapiNotify';
import { rulePaths, ruleSchemas } from './openapiRules';
import { sloPaths, sloSchemas } from './openapiSlos';
import { errorResponse, jsonOf, limitParam, ref, timeParam } from './openapiParts';

/**
 * The sidecar's OpenAPI 3.1 document, served at `GET /api/v1/openapi.json`. Each route adds its
 * operation here; `openapi.test.ts` walks the app's route table and fails when a route is missing
 * from this document or the document lists a route the app does not serve.
 */

type Schema = Record<string, unknown>;

const schemas: Record<string, Schema> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  Health: {
    type: 'object',
    required: ['status', 'timestamp', 'datasources', 'store'],
    properties: {
      status: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'] },
      timestamp: { type: 'string', format: 'date-time' },
      datasources: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'type', 'url', 'reachable', 'latencyMs'],
          properties: {
            name: { type: 'string' },
            type: { type: 'string', enum: ['prometheus', 'influxdb'] },
            url: { type: 'string' },
            reachable: { type: 'boolean' },
            latencyMs: { type: 'number' },
            error: { type: 'string' },
          },
        },
      },
      store: {
        type: 'object',
        required: ['type', 'ok', 'schemaVersion'],
        properties: {
          type: { type: 'string' },
          ok: { type: 'boolean' },
          schemaVersion: { type: 'integer' },
          error: { type: 'string' },
        },
      },
      ha: {
        type: 'object',
        description: 'replicas on one PostgreSQL store: this one, and the one that evaluates (issue 14)',
        required: ['replicaId', 'leader', 'leaderId', 'term', 'leaseAgeSeconds', 'changes'],
        properties: {
          replicaId: { type: 'string' },
          leader: { type: 'boolean', description: 'this replica holds the lease and evaluates' },
          leaderId: { type: ['string', 'null'] },
          term: { type: 'integer', description: 'fencing term, +1 at every takeover' },
          leaseAgeSeconds: { type: ['number', 'null'], description: 'since the lease was last renewed' },
          changes: { type: 'integer', description: 'times this replica started or stopped leading' },
        },
      },
    },
  },
  HealthStatus: {
    type: 'object',
    description: 'what a caller without the bearer token sees',
    required: ['status'],
    additionalProperties: false,
    properties: { status: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'] } },
  },
  Datasource: {
    type: 'object',
    required: ['name', 'type', 'url', 'timeoutSeconds'],
    properties: {
      name: { type: 'string' },
      type: { type: 'string', enum: ['prometheus', 'influxdb'] },
      url: { type: 'string', description: 'a password in the URL is masked' },
      timeoutSeconds: { type: 'number' },
      database: { type: 'string' },
      retentionPolicy: { type: 'string' },
      basicAuth: {
        type: 'object',
        properties: { username: { type: 'string' }, password: { type: 'string', const: '••••••' } },
      },
      token: { type: 'string', const: '••••••' },
    },
  },
  Event: {
    type: 'object',
    required: ['id', 'kind', 'seriesKey', 'startedAt', 'endedAt', 'severity', 'message', 'metadata'],
    properties: {
      id: { type: 'string' },
      kind: { type: 'string' },
      seriesKey: { type: 'string' },
      startedAt: { type: 'integer', description: 'epoch milliseconds' },
      endedAt: { type: ['integer', 'null'] },
      severity: { type: 'string', enum: ['info', 'warning', 'error', 'critical'] },
      message: { type: 'string' },
      metadata: { type: 'object' },
    },
  },
};

/** Builds the document (a fresh object each call, so callers may not corrupt a shared one). */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Vigil sidecar API', version: '1' },
    components: {
      schemas: {
        ...schemas,
        ...detectionSchemas,
        ...ruleSchemas,
        ...monitoringSchemas,
        ...notifySchemas,
        ...incidentSchemas,
        ...sloSchemas,
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      responses: { Unauthorized: errorResponse('missing or invalid bearer token') },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/monitoring/health': {
        get: {
          summary:
            'Reachability of each datasource and the state of the store; without the bearer token, the status only',
          security: [],
          responses: {
            200: {
              description: 'healthy or degraded',
              content: jsonOf({ oneOf: [ref('Health'), ref('HealthStatus')] }),
            },
            503: {
              description: 'unhealthy: the store is not ok',
              content: jsonOf({ oneOf: [ref('Health'), ref('HealthStatus')] }),
            },
          },
        },
      },
      '/api/v1/datasources': {
        get: {
          summary: 'Configured datasources, credentials masked',
          responses: {
            200: {
              description: 'the datasources',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { datasources: { type: 'array', items: ref('Datasource') } },
                  },
                },
              },
            },
            401: { $ref: '#/components/responses/Unauthorized' },
          },
        },
      },
      '/api/v1/events': {
        get: {
          summary: 'Stored events overlapping [from, to], newest first',
          parameters: [
            timeParam('from', 'window start (default: to - 24h)'),
            timeParam('to', 'window end (default: now)'),
            { name: 'kind', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'seriesKey', in: 'query', required: false, schema: { type: 'string' } },
            limitParam,
          ],
          responses: {
            200: {
              description: 'the events',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      from: { type: 'integer' },
                      to: { type: 'integer' },
                      events: { type: 'array', items: ref('Event') },
                    },
                  },
                },
              },
            },
            400: errorResponse('a bad query parameter, named in the message'),
            401: { $ref: '#/components/responses/Unauthorized' },
          },
        },
      },
      ...detectionPaths,
      ...rulePaths,
      ...monitoringPaths,
      ...notifyPaths,
      ...incidentPaths,
      ...sloPaths,
      '/api/v1/openapi.json': {
        get: {
          summary: 'This document',
          responses: {
            200: { description: 'OpenAPI 3.1 document' },
            401: { $ref: '#/components/responses/Unauthorized' },
          },
        },
      },
    },
  };
}

/** `GET /api/v1/openapi.json`. */
export function openApiRouter(): Router {
  const router = Router();
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  return router;
}
