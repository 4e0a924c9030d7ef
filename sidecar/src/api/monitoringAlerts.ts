/**
 * The guide's alert API ("Quick Reference" → "Alert Management"), as written there:
 * `GET /api/v1/monitoring/alerts?active_only=true` lists alert instances in the guide's AlertInstance
 * shape (snake_case: alert_id, instance_id, triggered_at, current_value, message, ...), and
 * `POST /api/v1/monitoring/alerts` with `{"name","metric_name","condition":"> 100","threshold":100}`
 * creates a threshold rule on that metric — the same rule `/api/v1/rules` would create.
 */
import { COMPARATORS, SEVERITIES, type AlertView, type Comparator, type FieldError, type RuleBody } from '@vigil/core';
import { Router } from 'express';
import { z } from 'zod';
import { badRequest } from '../errors';
import { RuleValidationError } from '../rules/schema';
import { alertViews } from './alerts';
import { listParam } from './params';
import { actorOf, toResource, RuleWriter, type RuleApiDeps } from './ruleWrites';

/** One alert instance in the guide's shape, plus Vigil's own fields. */
export interface GuideAlertInstance {
  alert_id: string;
  instance_id: string;
  name: string;
  severity: string;
  state: string;
  triggered_at: string;
  current_value: number | null;
  threshold: number | null;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  fingerprint: string;
  since: string;
  fired_at: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An AlertView in the guide's AlertInstance shape. */
export function toGuideAlert(a: AlertView): GuideAlertInstance {
  const value = a.value === null ? 'no value' : `value ${a.value}`;
  return {
    alert_id: a.ruleId,
    instance_id: a.fingerprint,
    name: a.ruleName,
    severity: a.severity,
    state: a.state,
    triggered_at: iso(a.firedAt ?? a.activeAt ?? a.since) as string,
    current_value: a.value,
    threshold: a.threshold,
    message:
      a.annotations.summary ||
      a.error ||
      `${a.ruleName}: ${value}${a.threshold !== null ? ` (threshold ${a.threshold})` : ''}`,
    labels: a.labels,
    annotations: a.annotations,
    fingerprint: a.fingerprint,
    since: iso(a.since) as string,
    fired_at: iso(a.firedAt),
  };
}

/** The guide's `Alert` as a create body (its optional fields included). */
const guideAlertSchema = z.strictObject({
  name: z.string(),
  metric_name: z.string().regex(/^[A-Za-z_:][A-Za-z0-9_:]{0,199}$/, 'expected a metric name'),
  condition: z.string().max(64),
  threshold: z.number().optional(),
  severity: z.enum(SEVERITIES).optional(),
  description: z.string().optional(),
  duration_seconds: z
    .number()
    .int()
    .min(0)
    .max(365 * 86400)
    .optional(),
  actions: z.array(z.string()).optional(),
  alert_id: z.string().optional(),
});

// Rule fields back to the guide's names, so a 400 speaks the caller's vocabulary.
const GUIDE_FIELD: Record<string, string> = {
  id: 'alert_id',
  for: 'duration_seconds',
  query: 'metric_name',
  datasource: 'metric_name',
  'condition.op': 'condition',
  'condition.threshold': 'threshold',
};
const toGuideField = (e: FieldError): FieldError => {
  const head = Object.keys(GUIDE_FIELD).find((k) => e.field === k || e.field.startsWith(`${k}.`));
  return head ? { ...e, field: GUIDE_FIELD[head] + e.field.slice(head.length) } : e;
};

/** Parses the guide's `condition` ("> 100"; the number may be left to `threshold`). */
function parseCondition(condition: string, threshold: number | undefined): { op: Comparator; threshold: number } {
  const m = /^\s*(>=|<=|==|!=|>|<)\s*(\S*)\s*$/.exec(condition);
  if (!m || !(COMPARATORS as readonly string[]).includes(m[1])) {
    throw new RuleValidationError([
      { field: 'condition', message: `expected an operator and a number, e.g. "> 100", got "${condition}"` },
    ]);
  }
  const inline = m[2] === '' ? undefined : Number(m[2]);
  if (inline !== undefined && !Number.isFinite(inline)) {
    throw new RuleValidationError([{ field: 'condition', message: `"${m[2]}" is not a number` }]);
  }
  if (inline !== undefined && threshold !== undefined && inline !== threshold) {
    throw new RuleValidationError([
      { field: 'threshold', message: `${threshold} disagrees with the condition's ${inline}` },
    ]);
  }
  const t = threshold ?? inline;
  if (t === undefined) {
    throw new RuleValidationError([
      { field: 'threshold', message: 'required (or give it in the condition, e.g. "> 100")' },
    ]);
  }
  return { op: m[1] as Comparator, threshold: t };
}

/** `GET` and `POST /api/v1/monitoring/alerts` (see the file comment). */
export function monitoringAlertsRouter(deps: RuleApiDeps): Router {
  const router = Router();
  const writer = new RuleWriter(deps);

  router.get('/api/v1/monitoring/alerts', async (req, res) => {
    const active = req.query.active_only;
    if (active !== undefined && !['true', 'false', '1', '0'].includes(String(active))) {
      throw badRequest('active_only: expected true or false');
    }
    const views = await alertViews(deps.store, {
      // Active as the guide means it: triggered and not yet resolved.
      states: active === 'true' || active === '1' ? ['firing', 'recovering'] : undefined,
      severities: listParam(req.query.severity, 'severity', SEVERITIES),
    });
    const alerts = views.map(toGuideAlert);
    res.json({ alerts, total: alerts.length });
  });

  router.post('/api/v1/monitoring/alerts', async (req, res) => {
    const parsed = guideAlertSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new RuleValidationError(
        parsed.error.issues.flatMap((i): FieldError[] =>
          i.code === 'unrecognized_keys'
            ? i.keys.map((k) => ({ field: k, message: 'unknown field' }))
            : [{ field: i.path.map(String).join('.') || '(body)', message: i.message }]
        )
      );
    }
    const g = parsed.data;
    const { op, threshold } = parseCondition(g.condition, g.threshold);
    const mapped = deps.config.metricNames[g.metric_name];
    const prometheus = deps.config.datasources.find((d) => d.type === 'prometheus');
    if (!mapped && !prometheus) {
      throw new RuleValidationError([
        {
          field: 'metric_name',
          message: `"${g.metric_name}" is not in metricNames and no Prometheus datasource is configured`,
        },
      ]);
    }
    const body: RuleBody = {
      ...(g.alert_id !== undefined ? { id: g.alert_id } : {}),
      name: g.name,
      description: g.description ?? '',
      severity: g.severity ?? 'warning',
      datasource: mapped ? mapped.datasource : prometheus!.name,
      query: mapped ? mapped.query : g.metric_name,
      condition: { kind: 'threshold', op, threshold },
      for: `${g.duration_seconds ?? 0}s`,
      actions: g.actions ?? [],
    };
    let record;
    try {
      record = await writer.create(body, actorOf(req));
    } catch (err) {
      if (err instanceof RuleValidationError) {
        throw new RuleValidationError(err.fields.map(toGuideField));
      }
      throw err;
    }
    const rule = toResource(record, deps.rules);
    res.status(201).json({
      alert_id: rule.id,
      name: rule.name,
      description: rule.description,
      severity: rule.severity,
      metric_name: g.metric_name,
      condition: `${op} ${threshold}`,
      threshold,
      duration_seconds: g.duration_seconds ?? 0,
      actions: rule.actions,
      rule,
    });
  });

  return router;
}
