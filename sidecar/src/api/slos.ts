/**
 * `/api/v1/slos` (issue 10): SLO CRUD in Vigil's spec (YAML-shaped JSON; 400 naming the field), each
 * SLO with its latest status (SLI now, budget remaining and status, burn rate per alert window, time
 * to exhaustion), sorted by budget remaining; the guide's SLO dashboard data; an SLO's burn-down; and
 * its generated Prometheus rules. Writes record the Grafana user (`X-Grafana-User`); an update may carry
 * `If-Match: <version>`. The SLO service keeps each SLO's burn-rate rule in step.
 */
import { overallCompliance, parseDuration, SloRulesError, windowBounds, windowName, type Slo } from '@vigil/core';
import { Router } from 'express';
import { badRequest, notFound } from '../errors';
import { sloBurnDown } from '../slo/burnDown';
import { evaluateSlo, type SloStatus } from '../slo/evaluate';
import type { Source } from '../sources/source';
import { ruleFileYaml } from '../slo/rulesYaml';
import type { SloService } from '../slo/service';
import { parseSloSpec, SloSpecError, sloToSpec } from '../slo/spec';
import type { SloRecord, SloStatusRecord, SloStore } from '../store/sloStore';
import { stringParam, timeParam } from './params';
import { actorOf, ifMatchVersion } from './ruleWrites';

const MINUTE = 60_000;

/** The default burn-down step: about 500 steps over the span, whole minutes. */
const burnDownStep = (from: number, to: number) => Math.max(MINUTE, Math.ceil((to - from) / 500 / MINUTE) * MINUTE);

/** An SLO as the API shows it. */
export interface SloView {
  id: string;
  name: string;
  description: string;
  service: string;
  target: number;
  window: string;
  /** The SLO in Vigil's spec format (what POST and PUT take). */
  spec: Record<string, unknown>;
  version: number;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  updatedBy: string;
  /** The latest evaluation; null before the first. */
  status: SloStatusView | null;
}

/** An SLO's latest evaluation. */
export interface SloStatusView {
  evaluatedAt: number;
  /** Set when the last evaluation failed (the figures are then absent). */
  error: string | null;
  sliNow: number | null;
  sli: number | null;
  budgetRemaining: number | null;
  budgetConsumed: number | null;
  budgetStatus: string | null;
  burnRate: number | null;
  timeToExhaustionMs: number | null;
  burnRates: SloStatus['burnRates'];
  windowStart: number | null;
  windowEnd: number | null;
}

function statusView(r: SloStatusRecord | undefined): SloStatusView | null {
  if (!r) {
    return null;
  }
  const s = r.status as SloStatus | null;
  return {
    evaluatedAt: r.evaluatedAt,
    error: r.error,
    sliNow: s?.sliNow ?? null,
    sli: s?.budget.sli ?? null,
    budgetRemaining: s?.budget.remaining ?? null,
    budgetConsumed: s?.budget.consumed ?? null,
    budgetStatus: s?.budget.status ?? null,
    burnRate: s?.burnRate ?? null,
    timeToExhaustionMs: s?.timeToExhaustionMs ?? null,
    burnRates: s?.burnRates ?? [],
    windowStart: s?.window.start ?? null,
    windowEnd: s?.window.end ?? null,
  };
}

/** A stored SLO and its status as the API shows them. */
export function toSloView(r: SloRecord, status: SloStatusRecord | undefined): SloView {
  const slo = r.slo;
  return {
    id: slo.id,
    name: slo.name,
    description: slo.description,
    service: slo.service,
    target: slo.target,
    window: windowName(slo.window),
    spec: sloToSpec(slo),
    version: r.version,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
    status: statusView(status),
  };
}

/** Budget remaining ascending (the SLOs closest to running out first); never evaluated last. */
function byBudget(a: SloView, b: SloView): number {
  const ra = a.status?.budgetRemaining ?? Infinity;
  const rb = b.status?.budgetRemaining ?? Infinity;
  return ra - rb || a.id.localeCompare(b.id);
}

/** What the SLO endpoints need. */
export interface SloApiDeps {
  store: SloStore;
  slos: SloService;
  /** Names of the configured datasources (an SLO must name one). */
  datasources: readonly string[];
  /** The source an SLO queries (its burn-down). */
  sourceFor?: (name: string) => Source | undefined;
  now?: () => number;
}

/** The SLO endpoints. */
export function slosRouter(deps: SloApiDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;

  const views = async (): Promise<SloView[]> => {
    const [records, statuses] = await Promise.all([deps.store.listSlos(), deps.store.sloStatuses()]);
    return records.map((r) => toSloView(r, statuses.get(r.id))).sort(byBudget);
  };
  const existing = async (id: string): Promise<SloRecord> => {
    const r = await deps.store.getSlo(id);
    if (!r) {
      throw notFound(`SLO "${id}" not found`);
    }
    return r;
  };
  const bodyOf = (body: unknown): Slo => {
    if (body === undefined) {
      throw badRequest('the body must be a JSON SLO spec (Content-Type: application/json)');
    }
    const slo = parseSloSpec(body);
    if (!deps.datasources.includes(slo.datasource)) {
      throw new SloSpecError([
        {
          field: 'datasource',
          message: `unknown datasource "${slo.datasource}" (configured: ${deps.datasources.join(', ') || 'none'})`,
        },
      ]);
    }
    return slo;
  };

  router.get('/api/v1/slos', async (_req, res) => {
    res.json({ slos: await views() });
  });

  // The guide's SLOMonitor.get_slo_dashboard_data, with its field names.
  router.get('/api/v1/slos/dashboard', async (_req, res) => {
    const list = await views();
    const figures = overallCompliance(
      list.map((v) => ({ sli: v.status?.error ? null : (v.status?.sli ?? null), objective: v.target / 100 }))
    );
    res.json({
      overall_compliance: figures.overallCompliance,
      compliant_slos: figures.compliant,
      total_slos: figures.total,
      slo_statuses: Object.fromEntries(
        list.map((v) => [
          v.id,
          {
            slo_id: v.id,
            name: v.name,
            description: v.description,
            status: v.status?.sli == null ? 'no_data' : v.status.sli >= v.target / 100 ? 'compliant' : 'violated',
            current_value: v.status?.sli == null ? null : v.status.sli * 100,
            target: v.target,
            compliance: v.status?.sli != null && v.status.sli >= v.target / 100,
            error_budget:
              v.status?.budgetRemaining == null
                ? null
                : {
                    error_budget_remaining: v.status.budgetRemaining,
                    error_budget_consumed: v.status.budgetConsumed,
                    status: v.status.budgetStatus,
                  },
            last_updated: v.status ? new Date(v.status.evaluatedAt).toISOString() : null,
          },
        ])
      ),
      timestamp: new Date(now()).toISOString(),
    });
  });

  router.get('/api/v1/slos/:id', async (req, res) => {
    const r = await existing(req.params.id);
    res.json(toSloView(r, (await deps.store.sloStatuses()).get(r.id)));
  });

  // The burn-down: budget remaining per step since `from` (default: the compliance window's start).
  router.get('/api/v1/slos/:id/budget', async (req, res) => {
    const r = await existing(req.params.id);
    const at = now();
    const bounds = windowBounds(r.slo.window, at);
    const to = timeParam(req.query.to, 'to', at);
    const from = timeParam(req.query.from, 'from', bounds.start);
    const stepText = stringParam(req.query.step, 'step');
    let stepMs = burnDownStep(from, to);
    if (stepText !== undefined) {
      try {
        stepMs = parseDuration(stepText);
      } catch {
        throw badRequest(`step: expected a duration such as 5m or 1h, got "${stepText.slice(0, 32)}"`);
      }
    }
    const source = deps.sourceFor?.(r.slo.datasource);
    if (!source) {
      throw badRequest(`SLO "${r.id}": unknown datasource "${r.slo.datasource}"`);
    }
    res.json(await sloBurnDown(r.slo, source, from, to, stepMs));
  });

  router.get('/api/v1/slos/:id/prometheus-rules', async (req, res) => {
    const r = await existing(req.params.id);
    let text: string;
    try {
      text = ruleFileYaml([r.slo]);
    } catch (err) {
      // Timeslice and InfluxQL SLIs have no Prometheus rules: the error names the field.
      throw err instanceof SloRulesError ? badRequest(err.message) : err;
    }
    res.type('application/yaml').send(text);
  });

  // An unsaved spec evaluated now (status and burn-down since its window started), for the editor's
  // preview: nothing is stored, every query is read-only.
  router.post('/api/v1/slos/preview', async (req, res) => {
    const slo = bodyOf(req.body);
    const source = deps.sourceFor?.(slo.datasource);
    if (!source) {
      throw badRequest(`datasource: unknown datasource "${slo.datasource}"`);
    }
    const at = now();
    const status = await evaluateSlo(slo, source, at);
    const bounds = windowBounds(slo.window, at);
    const stepMs = burnDownStep(bounds.start, at);
    const down = await sloBurnDown(slo, source, bounds.start, at, stepMs);
    res.json({
      status: statusView({ sloId: slo.id, evaluatedAt: at, status, error: null }),
      burnDown: down.points,
    });
  });

  router.post('/api/v1/slos', async (req, res) => {
    const slo = bodyOf(req.body);
    const r = await deps.slos.put(slo, actorOf(req), 0);
    res.status(201).json(toSloView(r, undefined));
  });

  router.put('/api/v1/slos/:id', async (req, res) => {
    const slo = bodyOf(req.body);
    if (slo.id !== req.params.id) {
      throw badRequest(`id: the body's id "${slo.id}" differs from the path's "${req.params.id}"`);
    }
    const current = await existing(slo.id);
    const r = await deps.slos.put(slo, actorOf(req), ifMatchVersion(req) ?? current.version);
    res.json(toSloView(r, (await deps.store.sloStatuses()).get(r.id)));
  });

  router.delete('/api/v1/slos/:id', async (req, res) => {
    if (!(await deps.slos.delete(req.params.id, actorOf(req)))) {
      throw notFound(`SLO "${req.params.id}" not found`);
    }
    res.status(204).end();
  });

  return router;
}
