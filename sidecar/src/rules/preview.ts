/**
 * Backtest preview: the rule's query as a range query on its evaluation grid (step = interval, start
 * on the grid with the rule's offset), each step turned into an evaluation result by the same
 * {@link evaluationAt} as live evaluation, then core's `backtest` (the live state machine from an
 * empty state) and `previewSeries`. Prometheus answers a range query at each step exactly as an
 * instant query at that time, so a series the engine sees at t is the preview's point at t.
 */
import { backtest, previewSeries, type EvaluationResult, type PreviewResponse, type RuleSpec } from '@vigil/core';
import { badRequest, isVigilError, VigilError } from '../errors';
import type { Series, Source } from '../sources';
import type { Store } from '../store';
import { ANOMALY_EVENT_KIND, anomalySamples, detectorPrefix, evaluationAt, samplesAt, stateRule } from './evaluation';
import { ruleOffset, ruleTimesBetween } from './grid';
import {
  baselineDays,
  buildProfiles,
  fetchHistory,
  historyRange,
  HOUR_MS,
  needsHistory,
  profileContext,
  profileHour,
  type ProfileSet,
} from './profiles';

/** Most steps a preview may have (Prometheus' own limit of points per range query). */
export const MAX_PREVIEW_STEPS = 11_000;
/** Most anomaly events a preview reads. */
const MAX_PREVIEW_EVENTS = 100_000;

/** What a preview needs from the engine. */
export interface PreviewDeps {
  store: Store;
  sourceFor(name: string): Source | undefined;
  maxSeriesPerRule: number;
  /** Timeout of the preview's queries. */
  timeoutMs(rule: RuleSpec): number;
  signal?: AbortSignal;
}

/** Backtests `rule` over [from, to]; throws a 400 VigilError for a bad range or too many steps. */
export async function previewRule(
  rule: RuleSpec,
  from: number,
  to: number,
  deps: PreviewDeps
): Promise<PreviewResponse> {
  if (!Number.isFinite(from) || !Number.isFinite(to)) {
    throw badRequest('preview: from and to must be epoch milliseconds');
  }
  if (to < from) {
    throw badRequest('preview: to is before from');
  }
  const stepMs = rule.intervalMs;
  // Counted before the grid is listed, so an absurd range costs nothing.
  const approxSteps = Math.floor((to - from) / stepMs) + 1;
  if (approxSteps > MAX_PREVIEW_STEPS) {
    throw badRequest(
      `preview: ${approxSteps} evaluation steps of ${stepMs / 1000}s between from and to, more than ${MAX_PREVIEW_STEPS}: shorten the range`
    );
  }
  const times = ruleTimesBetween(rule, from, to);
  const warnings: string[] = [];
  const steps = times.length === 0 ? [] : await previewSteps(rule, times, deps, warnings);
  const errors = steps.filter((s) => s.kind === 'error');
  if (errors.length > 0 && errors[0].kind === 'error') {
    warnings.push(`${errors.length} of ${steps.length} steps failed: ${errors[0].message}`);
  }
  const { intervals, events } = backtest(stateRule(rule), steps, { from, to, stepMs });
  return { from, to, stepMs, series: previewSeries(rule, steps), intervals, events, warnings };
}

/** The evaluation result at each grid time, built as live evaluation builds them. */
async function previewSteps(
  rule: RuleSpec,
  times: number[],
  deps: PreviewDeps,
  warnings: string[]
): Promise<EvaluationResult[]> {
  const cond = rule.condition;
  const first = times[0];
  const last = times[times.length - 1];
  const max = deps.maxSeriesPerRule;
  if (cond.kind === 'slo') {
    throw badRequest('preview: an SLO rule has no backtest; its SLO shows the burn rates over time');
  }
  if (cond.kind === 'anomaly') {
    const events = await deps.store.listEvents({
      from: first,
      to: last,
      kind: ANOMALY_EVENT_KIND,
      seriesKeyPrefix: detectorPrefix(cond.detector),
      limit: MAX_PREVIEW_EVENTS,
    });
    return times.map((t) =>
      evaluationAt(rule, t, { ok: true, samples: anomalySamples(events, cond.detector, t) }, {}, max)
    );
  }
  const source = deps.sourceFor(rule.datasource);
  if (!source) {
    throw badRequest(`preview: unknown datasource "${rule.datasource}"`);
  }
  if (source.type === 'influxdb') {
    warnings.push(
      'InfluxDB: the preview reads the query over the whole range ($timeFilter, GROUP BY time($__interval)); live evaluation reads the last value of the 5 minutes before each evaluation'
    );
  }
  const opts = { timeoutMs: deps.timeoutMs(rule), signal: deps.signal };
  const [series, profiles] = await Promise.all([
    asPreviewError(source.queryRange(rule.query, first, last, rule.intervalMs / 1000, opts)),
    needsHistory(cond) ? hourlyProfiles(rule, source, times, opts) : Promise.resolve(new Map<number, ProfileSet>()),
  ]);
  return times.map((t) => {
    const ctx = profileContext(profiles.get(profileHour(t)));
    return evaluationAt(rule, t, { ok: true, samples: samplesAt(series, t) }, ctx, max);
  });
}

/** Profiles for every hour of the preview from one history query (the 7 days before each hour). */
async function hourlyProfiles(
  rule: RuleSpec,
  source: Source,
  times: number[],
  opts: { timeoutMs: number; signal?: AbortSignal }
): Promise<Map<number, ProfileSet>> {
  const cond = rule.condition;
  if (!needsHistory(cond)) {
    return new Map();
  }
  const firstHour = profileHour(times[0]);
  const lastHour = profileHour(times[times.length - 1]);
  const range = historyRange(baselineDays(cond), firstHour, lastHour);
  const points = Math.floor((range.end - range.start) / range.stepMs) + 1;
  if (points > MAX_PREVIEW_STEPS) {
    throw badRequest(
      `preview: the baseline history of this range needs ${points} points per series, more than ${MAX_PREVIEW_STEPS}: shorten the range`
    );
  }
  const history = await asPreviewError(fetchHistory(source, rule.query, range, opts));
  const out = new Map<number, ProfileSet>();
  for (let h = firstHour; h <= lastHour; h += HOUR_MS) {
    out.set(h, buildProfiles(cond, history, h));
  }
  return out;
}

/** A datasource failure keeps its status (a bad query is the caller's 400; an outage a 502/504). */
async function asPreviewError(p: Promise<Series[]>): Promise<Series[]> {
  try {
    return await p;
  } catch (err) {
    if (isVigilError(err)) {
      throw new VigilError(err.code, `preview: ${err.message}`, { status: err.status, retryable: err.retryable });
    }
    throw err;
  }
}

/** The grid offset of a rule, for callers that show where its evaluations fall. */
export const previewOffset = ruleOffset;
