import { Router } from 'express';
import { badRequest } from '../errors';
import type { Store } from '../store';
import { intParam, stringParam, timeParam } from './params';

const DAY_MS = 24 * 3600 * 1000;

/**
 * `GET /api/v1/events?from&to&kind&seriesKey&limit`: recorded events (anomalies first) overlapping
 * the window, newest first. Defaults to the last 24 hours and 1000 events.
 */
export function eventsRouter(store: Store): Router {
  const router = Router();
  router.get('/api/v1/events', async (req, res) => {
    const now = Date.now();
    const to = timeParam(req.query.to, 'to', now);
    const from = timeParam(req.query.from, 'from', to - DAY_MS);
    if (from > to) {
      throw badRequest('from: must not be after to');
    }
    const events = await store.listEvents({
      from,
      to,
      kind: stringParam(req.query.kind, 'kind'),
      seriesKey: stringParam(req.query.seriesKey, 'seriesKey'),
      limit: intParam(req.query.limit, 'limit', 1000, 1, 10000),
    });
    res.json({ from, to, events });
  });
  return router;
}
