/**
 * The pieces of an OpenSLO import that do not depend on the document's version: metric sources to
 * query templates, operators, time windows, alert policies. Every failure names the OpenSLO field.
 */
import { hasWindow, tryParseDuration, type SliQueryLanguage, type TimesliceOp } from '@vigil/core';
import { SloSpecError } from './spec';

/** A decoded YAML object. */
export type Obj = Record<string, unknown>;

/** True for a plain object. */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fails naming an OpenSLO field (`SLO/checkout.spec.budgetingMethod`). */
export function fail(field: string, message: string): never {
  throw new SloSpecError([{ field, message }], 'unsupported OpenSLO spec');
}

/** A query and the language it is written in. */
export interface SourcedQuery {
  query: string;
  language: SliQueryLanguage;
  /** The datasource it names (`metricSourceRef`), if any. */
  datasource?: string;
  /** Where it was read (`SLO/x.spec.indicator.spec.ratioMetric.good`), for messages. */
  at: string;
}

/** `metric_name` or `metric_name{label="v"}`: a bare counter selector a window can be appended to. */
const SELECTOR = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?$/;

/** OpenSLO source type → Vigil's query language. */
function languageOf(type: unknown, at: string): SliQueryLanguage {
  const t = typeof type === 'string' ? type.toLowerCase() : 'prometheus';
  if (t === 'prometheus' || t === 'promql' || t === 'thanos' || t === 'mimir' || t === 'cortex') {
    return 'promql';
  }
  if (t === 'influxdb' || t === 'influxql') {
    return 'influxql';
  }
  return fail(at, `source type ${JSON.stringify(type)} is not supported (Prometheus or InfluxDB)`);
}

/** `rate(…[1m])` / `increase(…[1m])`: a counter over a fixed range (no subquery, no nested call). */
const FIXED_RANGE = /\b(rate|increase)\(([^()[\]]*)\[\d+[smhdwy]\]\)/g;

/**
 * A ratio side's query as a window template: as written when it names its window (`{{.window}}`,
 * `$__range`); a bare counter selector is counted with `sum(increase(…[$__range]))`; when every range
 * in it is a `rate` or `increase` over a fixed range (OpenSLO examples write `rate(x[1m])`), those
 * ranges become the window: a ratio of rates over the window is the ratio of its events. Anything
 * else cannot be evaluated over the alerts' windows.
 */
export function windowTemplate(q: SourcedQuery): SourcedQuery {
  if (hasWindow(q.query)) {
    return q;
  }
  if (q.language === 'promql' && SELECTOR.test(q.query)) {
    return { ...q, query: `sum(increase(${q.query}[$__range]))` };
  }
  const ranges = (q.query.match(/\[[^\]]*\]/g) ?? []).length;
  const fixed = (q.query.match(FIXED_RANGE) ?? []).length;
  if (q.language === 'promql' && fixed > 0 && fixed === ranges) {
    return { ...q, query: q.query.replace(FIXED_RANGE, (_m, fn: string, sel: string) => `${fn}(${sel}[$__range])`) };
  }
  return fail(
    q.at,
    'a ratio query must name its window with {{.window}} or $__range, or count a counter with rate/increase'
  );
}

/** v1 `{ metricSource: { metricSourceRef, type, spec: { query } } }`. */
export function v1Query(side: unknown, at: string): SourcedQuery {
  const ms = isObj(side) && isObj(side.metricSource) ? side.metricSource : undefined;
  if (!ms) {
    return fail(`${at}.metricSource`, 'required');
  }
  const spec = isObj(ms.spec) ? ms.spec : {};
  const query = spec.query ?? spec.promql ?? spec.influxql;
  if (typeof query !== 'string' || query.trim() === '') {
    return fail(`${at}.metricSource.spec.query`, 'required');
  }
  const ref = typeof ms.metricSourceRef === 'string' ? { datasource: ms.metricSourceRef } : {};
  return {
    query: query.trim(),
    language: languageOf(ms.type, `${at}.metricSource.type`),
    ...ref,
    at: `${at}.metricSource.spec.query`,
  };
}

/** v1alpha `{ source, queryType, query }`. */
export function v1alphaQuery(side: unknown, at: string): SourcedQuery {
  if (!isObj(side)) {
    return fail(at, 'required');
  }
  if (typeof side.query !== 'string' || side.query.trim() === '') {
    return fail(`${at}.query`, 'required');
  }
  return {
    query: side.query.trim(),
    language: languageOf(side.source ?? side.queryType, `${at}.source`),
    at: `${at}.query`,
  };
}

const OPS: Record<string, TimesliceOp> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** OpenSLO's `lt | lte | gt | gte`. */
export function opOf(op: unknown, at: string): TimesliceOp {
  const o = typeof op === 'string' ? OPS[op] : undefined;
  return o ?? fail(at, 'expected one of lt, lte, gt, gte');
}

/** Vigil's window spec (`30d` or `{ calendar, timeZone }`) from a period and whether it rolls. */
function windowSpec(
  rolling: boolean,
  ms: number | null,
  unit: 'week' | 'month' | 'quarter' | null,
  timeZone: unknown,
  at: string
) {
  if (rolling) {
    if (ms === null) {
      return fail(at, 'a rolling window must be a whole number of minutes, hours, days or weeks');
    }
    return `${ms / 60_000}m`;
  }
  if (unit === null) {
    return fail(at, 'a calendar window must be one week, month or quarter');
  }
  return { calendar: unit, timeZone: typeof timeZone === 'string' ? timeZone : 'UTC' };
}

const CAL_V1: Record<string, 'week' | 'month' | 'quarter'> = {
  '1w': 'week',
  '7d': 'week',
  '1M': 'month',
  '1Q': 'quarter',
};

/** v1 `timeWindow: [{ duration: 28d, isRolling, calendar: { startTime, timeZone } }]`. */
export function v1Window(tw: unknown, at: string) {
  if (tw === undefined) {
    return undefined;
  }
  const w = Array.isArray(tw) ? tw[0] : undefined;
  if (!isObj(w) || (Array.isArray(tw) && tw.length !== 1)) {
    return fail(at, 'expected a list of one time window');
  }
  const d = typeof w.duration === 'string' ? w.duration : '';
  const rolling = w.isRolling !== false && w.calendar === undefined;
  const ms = /^\d+[mhdw]$/.test(d) ? tryParseDuration(d) : null;
  const tz = isObj(w.calendar) ? w.calendar.timeZone : undefined;
  return windowSpec(rolling, ms, CAL_V1[d] ?? null, tz, `${at}.0.duration`);
}

const UNIT_MS: Record<string, number> = { Minute: 60_000, Hour: 3_600_000, Day: 86_400_000, Week: 604_800_000 };

/** v1alpha `timeWindows: [{ unit: Day, count: 28, isRolling, calendar }]`. */
export function v1alphaWindow(tw: unknown, at: string) {
  if (tw === undefined) {
    return undefined;
  }
  const w = Array.isArray(tw) ? tw[0] : undefined;
  if (!isObj(w) || (Array.isArray(tw) && tw.length !== 1)) {
    return fail(at, 'expected a list of one time window');
  }
  const count = typeof w.count === 'number' && Number.isInteger(w.count) && w.count > 0 ? w.count : null;
  const unit = typeof w.unit === 'string' ? w.unit : '';
  const rolling = w.isRolling !== false && w.calendar === undefined;
  const ms = count !== null && UNIT_MS[unit] ? count * UNIT_MS[unit] : null;
  const cal = count === 1 ? ({ Week: 'week', Month: 'month', Quarter: 'quarter' } as const)[unit as 'Week'] : undefined;
  const tz = isObj(w.calendar) ? w.calendar.timeZone : undefined;
  return windowSpec(rolling, ms, cal ?? null, tz, `${at}.0`);
}

/** Severity names read as a page; every other severity opens a ticket. */
const PAGE_SEVERITIES = new Set(['page', 'critical', 'high', 'p1', 'sev1']);

/**
 * Which of Vigil's alert kinds an SLO's alert policies ask for. Vigil raises the workbook's burn-rate
 * alerts, so a policy contributes only its conditions' severities: page-like severities turn the
 * pages on, any other the tickets. Conditions are inline, `conditionRef`s, or named AlertConditions.
 */
export function alertingOf(
  policies: unknown[],
  named: { policies: Map<string, Obj>; conditions: Map<string, Obj> },
  at: string
): { page: boolean; ticket: boolean } {
  const out = { page: false, ticket: false };
  policies.forEach((p, i) => {
    const ref = typeof p === 'string' ? p : isObj(p) && typeof p.alertPolicyRef === 'string' ? p.alertPolicyRef : null;
    const policy = ref !== null ? named.policies.get(ref) : isObj(p) ? p : undefined;
    if (!policy) {
      fail(`${at}.${i}`, ref !== null ? `unknown AlertPolicy ${JSON.stringify(ref)}` : 'expected an AlertPolicy');
    }
    const conditions = isObj(policy.spec) && Array.isArray(policy.spec.conditions) ? policy.spec.conditions : [];
    conditions.forEach((c, j) => {
      const cref = isObj(c) && typeof c.conditionRef === 'string' ? c.conditionRef : null;
      const cond = cref !== null ? named.conditions.get(cref) : isObj(c) ? c : undefined;
      if (!cond) {
        fail(
          `${at}.${i}.spec.conditions.${j}`,
          cref !== null ? `unknown AlertCondition ${JSON.stringify(cref)}` : 'expected an AlertCondition'
        );
      }
      const spec = isObj(cond.spec) ? cond.spec : {};
      const kind = isObj(spec.condition) ? spec.condition.kind : undefined;
      if (kind !== undefined && kind !== 'burnrate') {
        fail(`${at}.${i}.spec.conditions.${j}.spec.condition.kind`, 'only burnrate conditions are supported');
      }
      const severity = typeof spec.severity === 'string' ? spec.severity.toLowerCase() : 'page';
      out[PAGE_SEVERITIES.has(severity) ? 'page' : 'ticket'] = true;
    });
  });
  return out;
}
