import { ALERT_STATES, SEVERITIES, type AlertState, type RuleResource, type Severity } from '@vigil/core';
import { Router, type Request } from 'express';
import { badRequest, notFound } from '../errors';
import { exportHandler } from '../rules/export';
import { checkRuleBody, RuleValidationError } from '../rules/schema';
import { listParam, timeParam } from './params';
import { actorOf, ifMatchVersion, toResource, RuleWriter, type RuleApiDeps } from './ruleWrites';

const DAY_MS = 86_400_000;
/** Longest backtest range. */
export const MAX_PREVIEW_MS = 31 * DAY_MS;

/** The backtest range: `from`/`to` (epoch ms or ISO), default the last 24 h, at most 31 days. */
export function previewRange(fromRaw: unknown, toRaw: unknown, now = Date.now()): { from: number; to: number } {
  const to = timeParam(typeof toRaw === 'number' ? String(toRaw) : toRaw, 'to', now);
  const from = timeParam(typeof fromRaw === 'number' ? String(fromRaw) : fromRaw, 'from', to - DAY_MS);
  if (from >= to) {
    throw badRequest('from: must be before to');
  }
  if (to - from > MAX_PREVIEW_MS) {
    throw badRequest('from: the range may span at most 31 days');
  }
  return { from, to };
}

function matches(r: RuleResource, q: string): boolean {
  const needle = q.toLowerCase();
  return [r.id, r.name, r.description, r.query, ...Object.values(r.labels)].some((s) =>
    s.toLowerCase().includes(needle)
  );
}

function filterRules(rules: RuleResource[], req: Request): RuleResource[] {
  const severities = listParam<Severity>(req.query.severity, 'severity', SEVERITIES);
  const states = listParam<AlertState>(req.query.state, 'state', ALERT_STATES);
  const q = req.query.q;
  if (q !== undefined && typeof q !== 'string') {
    throw badRequest('q: expected one value');
  }
  return rules.filter(
    (r) =>
      (!severities || severities.includes(r.severity)) &&
      // `normal` also matches a rule without instances: nothing of it is alerting.
      (!states ||
        states.some(
          (s) => (r.status.states[s] ?? 0) > 0 || (s === 'normal' && Object.keys(r.status.states).length === 0)
        )) &&
      (!q || matches(r, q))
  );
}

/**
 * `/api/v1/rules`: list (with evaluation status; filters `severity`, `state`, `q`), create, read,
 * replace (`If-Match: <version>` optional), delete, and backtest previews of saved and unsaved rules.
 * Rules from files are read-only here (403 naming the file).
 */
export function rulesRouter(deps: RuleApiDeps): Router {
  const router = Router();
  const writer = new RuleWriter(deps);
  const engine = deps.rules;

  router.get('/api/v1/rules', async (req, res) => {
    const rules = (await deps.store.listRules()).map((r) => toResource(r, engine));
    res.json({ rules: filterRules(rules, req) });
  });

  router.post('/api/v1/rules', async (req, res) => {
    const record = await writer.create(req.body, actorOf(req));
    res
      .status(201)
      .set('Location', `/api/v1/rules/${encodeURIComponent(record.id)}`)
      .set('ETag', `"${record.version}"`)
      .json(toResource(record, engine));
  });

  // Before `/:id` routes: fixed paths under /api/v1/rules/ (their names are reserved ids).
  router.get(
    '/api/v1/rules/export',
    exportHandler(deps.store, (name) => deps.config.datasources.find((d) => d.name === name)?.type)
  );

  router.post('/api/v1/rules/preview', async (req, res) => {
    const raw: unknown = req.body;
    // Either the rule itself (from/to in the query), or { rule, from?, to? }.
    const wrapped =
      typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'rule' in raw
        ? (raw as Record<string, unknown>)
        : null;
    if (wrapped) {
      const extra = Object.keys(wrapped).filter((k) => !['rule', 'from', 'to'].includes(k));
      if (extra.length > 0) {
        throw new RuleValidationError(extra.map((k) => ({ field: k, message: 'unknown field' })));
      }
    }
    const checked = checkRuleBody(wrapped ? wrapped.rule : raw, writer.context);
    if (!checked.ok) {
      throw new RuleValidationError(
        wrapped ? checked.errors.map((e) => ({ ...e, field: `rule.${e.field}` })) : checked.errors
      );
    }
    const { from, to } = previewRange(wrapped?.from ?? req.query.from, wrapped?.to ?? req.query.to);
    res.json(await engine.preview(checked.body, from, to));
  });

  router.get('/api/v1/rules/:id', async (req, res) => {
    const record = await deps.store.getRule(req.params.id);
    if (!record) {
      throw notFound(`rule "${req.params.id}" not found`);
    }
    res.set('ETag', `"${record.version}"`).json(toResource(record, engine));
  });

  router.put('/api/v1/rules/:id', async (req, res) => {
    const record = await writer.update(req.params.id, req.body, actorOf(req), ifMatchVersion(req));
    res.set('ETag', `"${record.version}"`).json(toResource(record, engine));
  });

  router.delete('/api/v1/rules/:id', async (req, res) => {
    await writer.remove(req.params.id, actorOf(req), ifMatchVersion(req));
    res.status(204).end();
  });

  router.get('/api/v1/rules/:id/preview', async (req, res) => {
    const record = await deps.store.getRule(req.params.id);
    if (!record) {
      throw notFound(`rule "${req.params.id}" not found`);
    }
    const { from, to } = previewRange(req.query.from, req.query.to);
    res.json(await engine.preview(record.body, from, to));
  });

  return router;
}
