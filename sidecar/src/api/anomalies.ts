import { Router } from 'express';
import { ANOMALY_KIND } from '../detection/event';
import { badRequest } from '../errors';
import type { EventSeverity, Store } from '../store';
import { intParam, stringParam, timeParam } from './params';

const DAY_MS = 24 * 3600 * 1000;
/** Severities an anomaly event can have (the guide's mapping of confidence). */
export const ANOMALY_SEVERITIES: readonly EventSeverity[] = ['info', 'warning', 'error'];

/**
 * `GET /api/v1/anomalies?from&to[&detector][&severity][&limit]`: anomaly events (one per incident)
 * overlapping the window, newest first. `from`/`to` are epoch ms or ISO 8601 (default: the last 24
 * hours); `severity` is one severity or a comma-separated list.
 */
export function anomaliesRouter(store: Store): Router {
  const router = Router();
  router.get('/api/v1/anomalies', async (req, res) => {
    const now = Date.now();
    const to = timeParam(req.query.to, 'to', now);
    const from = timeParam(req.query.from, 'from', to - DAY_MS);
    if (from > to) {
      throw badRequest('from: must not be after to');
    }
    const detector = stringParam(req.query.detector, 'detector');
    const severity = stringParam(req.query.severity, 'severity');
    let severities: EventSeverity[] | undefined;
    if (severity !== undefined) {
      severities = severity.split(',').map((s) => s.trim()) as EventSeverity[];
      const bad = severities.find((s) => !ANOMALY_SEVERITIES.includes(s));
      if (bad !== undefined) {
        throw badRequest(
          `severity: expected ${ANOMALY_SEVERITIES.join(', ')} (comma-separated), got "${bad.slice(0, 32)}"`
        );
      }
    }
    const anomalies = await store.listEvents({
      from,
      to,
      kind: ANOMALY_KIND,
      seriesKeyPrefix: detector === undefined ? undefined : `${detector}{`,
      severities,
      limit: intParam(req.query.limit, 'limit', 1000, 1, 10000),
    });
    res.json({ from, to, anomalies });
  });
  return router;
}
