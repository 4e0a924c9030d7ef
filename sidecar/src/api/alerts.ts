import { ALERT_STATES, SEVERITIES, type AlertState, type AlertView, type Severity } from '@vigil/core';
import { Router } from 'express';
import { badRequest, notFound } from '../errors';
import type { Store } from '../store';
import { intParam, listParam } from './params';

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, error: 1, warning: 2, info: 3 };

/** Alert instances with their rule's name, filtered; most severe first, then the newest state first. */
export async function alertViews(
  store: Store,
  filter: { states?: AlertState[]; severities?: Severity[]; ruleId?: string } = {}
): Promise<AlertView[]> {
  const [instances, rules] = await Promise.all([
    store.listInstances({ ruleId: filter.ruleId, states: filter.states }),
    store.listRules(),
  ]);
  const names = new Map(rules.map((r) => [r.id, r.body.name]));
  return instances
    .filter((a) => !filter.severities || filter.severities.includes(a.severity))
    .map((a) => ({ ...a, ruleName: names.get(a.ruleId) ?? a.ruleId }))
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.since - a.since);
}

/**
 * `GET /api/v1/alerts?state=&severity=&rule=`: alert instances (state, value, since, labels,
 * annotations) with their rule's name; `state` and `severity` take comma-separated lists.
 * `GET /api/v1/alerts/:fingerprint/history`: the instance's transitions, newest first.
 */
export function alertsRouter(store: Store): Router {
  const router = Router();

  router.get('/api/v1/alerts', async (req, res) => {
    const rule = req.query.rule;
    if (rule !== undefined && typeof rule !== 'string') {
      throw badRequest('rule: expected one rule id');
    }
    const alerts = await alertViews(store, {
      states: listParam<AlertState>(req.query.state, 'state', ALERT_STATES),
      severities: listParam<Severity>(req.query.severity, 'severity', SEVERITIES),
      ruleId: rule || undefined,
    });
    res.json({ alerts });
  });

  router.get('/api/v1/alerts/:fingerprint/history', async (req, res) => {
    const fingerprint = req.params.fingerprint;
    const history = await store.listHistory(fingerprint, intParam(req.query.limit, 'limit', 1000, 1, 10000));
    if (history.length === 0 && !(await store.listInstances()).some((a) => a.fingerprint === fingerprint)) {
      throw notFound(`no alert instance with fingerprint "${fingerprint.slice(0, 64)}"`);
    }
    res.json({ fingerprint, history });
  });

  return router;
}
