/**
 * `/api/v1/incidents`: the incidents correlation formed (list by state, one with its alerts and
 * timeline), and a user's acknowledge and resolve. Who acted is the Grafana user (`X-Grafana-User`,
 * sent by the app's route proxy): it goes into the incident, a timeline entry and the store's change
 * log, all in one transaction; then the change is published on the live stream.
 */
import {
  INCIDENT_STATES,
  type IncidentActionBody,
  type IncidentDetail,
  type IncidentsResponse,
  type IncidentState,
} from '@vigil/core';
import { type Request, Router } from 'express';
import type { Config } from '../config/schema';
import { badRequest, notFound, VigilError } from '../errors';
import type { LiveBus } from '../live/bus';
import type { Store } from '../store';
import { toIncidentDetail, toIncidentView, viewOf } from './incidentViews';
import { intParam, listParam } from './params';
import { actorOf } from './ruleWrites';

/** Longest comment of an acknowledge / resolve. */
export const MAX_COMMENT_LENGTH = 2000;

/** What the incident endpoints need. */
export interface IncidentApiDeps {
  config: Config;
  store: Store;
  live: LiveBus;
}

type Action = 'acknowledge' | 'resolve';

/** The optional body of acknowledge / resolve: `{ "comment": "…" }`. */
export function parseActionBody(body: unknown): IncidentActionBody {
  if (body === undefined || body === null) {
    return {};
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('the body must be a JSON object, e.g. {"comment": "on it"}');
  }
  const { comment, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw badRequest(`unknown field "${unknown[0].slice(0, 40)}" (expected only comment)`);
  }
  if (comment === undefined) {
    return {};
  }
  if (typeof comment !== 'string' || comment.length > MAX_COMMENT_LENGTH) {
    throw badRequest(`comment: expected a string of at most ${MAX_COMMENT_LENGTH} characters`);
  }
  const trimmed = comment.trim();
  return trimmed ? { comment: trimmed } : {};
}

/** The incident endpoints. */
export function incidentsRouter(deps: IncidentApiDeps): Router {
  const router = Router();
  const { store, live } = deps;
  const serviceLabel = deps.config.correlation.config.serviceLabel;

  const detail = async (id: string): Promise<IncidentDetail> => {
    const incident = await store.getIncident(id);
    if (!incident) {
      throw notFound(`incident "${id}" not found`);
    }
    const [alerts, timeline] = await Promise.all([store.incidentAlerts([id]), store.incidentTimeline(id)]);
    return toIncidentDetail(incident, alerts.get(id) ?? [], timeline, serviceLabel);
  };

  router.get('/api/v1/incidents', async (req, res) => {
    const states = listParam<IncidentState>(req.query.state, 'state', INCIDENT_STATES);
    const limit = intParam(req.query.limit, 'limit', 100, 1, 1000);
    const incidents = await store.listIncidents({ states, limit });
    const alerts = await store.incidentAlerts(incidents.map((i) => i.id));
    const body: IncidentsResponse = {
      incidents: incidents.map((i) => toIncidentView(i, alerts.get(i.id) ?? [], serviceLabel)),
    };
    res.json(body);
  });

  router.get('/api/v1/incidents/:id', async (req, res) => {
    res.json(await detail(req.params.id));
  });

  const act = async (req: Request<{ id: string }>, action: Action): Promise<IncidentDetail> => {
    const { comment } = parseActionBody(req.body);
    const id = req.params.id;
    const now = Date.now();
    // Decided and written by the store under a lock: two users (or replicas) acting at once act once.
    const done = await store.actOnIncident({
      incidentId: id,
      action,
      user: actorOf(req),
      at: now,
      comment: comment ?? null,
    });
    if (!done) {
      const current = await store.getIncident(id);
      if (!current) {
        throw notFound(`incident "${id}" not found`);
      }
      if (action === 'acknowledge' && current.state === 'resolved') {
        throw new VigilError('conflict', `incident "${id}" is resolved: only an open incident can be acknowledged`, {
          status: 409,
        });
      }
      // Both are idempotent: a second click (or a retried request) changes and records nothing.
      return detail(id);
    }
    const d = await detail(id);
    live.publish({ type: 'incident', at: new Date(now).toISOString(), incident: viewOf(d) });
    return d;
  };

  router.post('/api/v1/incidents/:id/acknowledge', async (req, res) => {
    res.json(await act(req, 'acknowledge'));
  });

  router.post('/api/v1/incidents/:id/resolve', async (req, res) => {
    res.json(await act(req, 'resolve'));
  });

  return router;
}
