/**
 * Import of OpenSLO (https://github.com/OpenSLO/OpenSLO) v1 and v1alpha: the SLO documents of a
 * multi-document YAML stream, with their SLIs inline or referenced by name (`indicatorRef`), and
 * AlertPolicy / AlertCondition documents for which alerts to raise. `budgetingMethod: Occurrences`
 * needs a ratio metric and becomes a ratio SLI; `Timeslices` (a threshold metric, or a ratio) and
 * `RatioTimeslices` become a timeslice SLI. Anything Vigil cannot evaluate fails naming the field
 * (`SLO/checkout.spec.objectives`). Export to v1 is in opensloExport.ts.
 */
import { tidy, withWindow, type Slo } from '@vigil/core';
import {
  alertingOf,
  fail,
  isObj,
  opOf,
  v1alphaQuery,
  v1alphaWindow,
  v1Query,
  v1Window,
  windowTemplate,
  type Obj,
  type SourcedQuery,
} from './opensloParts';
import { VIGIL_ANNOTATIONS } from './opensloExport';
import { parseImportedSpec } from './spec';

/** True for a decoded document of any OpenSLO version. */
export function isOpenSloDoc(doc: unknown): boolean {
  return isObj(doc) && typeof doc.apiVersion === 'string' && doc.apiVersion.startsWith('openslo/');
}

const VERSIONS = new Set(['openslo/v1', 'openslo/v1alpha']);

/** Named documents of the stream, for references. */
interface Named {
  slis: Map<string, Obj>;
  policies: Map<string, Obj>;
  conditions: Map<string, Obj>;
}

const nameOf = (doc: Obj): string | undefined =>
  isObj(doc.metadata) && typeof doc.metadata.name === 'string' ? doc.metadata.name : undefined;

/** The ratio sides of an SLI, each read with the version's query shape. */
interface RatioSides {
  good?: SourcedQuery;
  bad?: SourcedQuery;
  total: SourcedQuery;
}

/** v1 SLI spec → ratio sides or a threshold query. */
function v1Indicator(sli: Obj, at: string): { ratio?: RatioSides; threshold?: SourcedQuery } {
  if (isObj(sli.ratioMetric)) {
    const r = sli.ratioMetric;
    if (r.raw !== undefined) {
      return fail(`${at}.ratioMetric.raw`, 'raw ratio metrics are not supported: give good or bad and total');
    }
    if ((r.good === undefined) === (r.bad === undefined)) {
      return fail(`${at}.ratioMetric`, 'expected exactly one of good, bad');
    }
    const side = (k: 'good' | 'bad') => (r[k] !== undefined ? { [k]: v1Query(r[k], `${at}.ratioMetric.${k}`) } : {});
    return { ratio: { ...side('good'), ...side('bad'), total: v1Query(r.total, `${at}.ratioMetric.total`) } };
  }
  if (isObj(sli.thresholdMetric)) {
    return { threshold: v1Query(sli.thresholdMetric, `${at}.thresholdMetric`) };
  }
  return fail(at, 'expected a ratioMetric or a thresholdMetric');
}

/** The Vigil SLI spec, language and datasource of one SLO. */
function sliOf(
  method: string,
  ind: { ratio?: RatioSides; threshold?: SourcedQuery },
  objective: Obj,
  at: string
): { sli: Obj; language: string; datasource: string } {
  const source = ind.ratio?.total ?? ind.threshold!;
  const base = { language: source.language, datasource: source.datasource ?? '' };
  if (method === 'Occurrences') {
    if (!ind.ratio) {
      return fail(`${at}.spec.budgetingMethod`, 'Occurrences counts events: it needs a ratio metric');
    }
    const t = (q: SourcedQuery | undefined, k: string) => (q ? { [k]: windowTemplate(q).query } : {});
    return {
      ...base,
      sli: { ratio: { ...t(ind.ratio.good, 'good'), ...t(ind.ratio.bad, 'bad'), ...t(ind.ratio.total, 'total') } },
    };
  }
  if (method !== 'Timeslices' && method !== 'RatioTimeslices') {
    return fail(`${at}.spec.budgetingMethod`, 'expected Occurrences, Timeslices or RatioTimeslices');
  }
  const sliceText = typeof objective.timeSliceWindow === 'string' ? objective.timeSliceWindow : '5m';
  const sliceAt = `${at}.spec.objectives.0.timeSliceWindow`;
  const sliceMs = /^\d+[smh]$/.test(sliceText)
    ? Number(sliceText.slice(0, -1)) * { s: 1e3, m: 6e4, h: 36e5 }[sliceText.slice(-1) as 's']
    : fail(sliceAt, 'expected a duration such as 5m');
  const tst = objective.timeSliceTarget;
  if (ind.ratio) {
    // A slice is good when its ratio of good events reaches timeSliceTarget.
    if (typeof tst !== 'number' || !(tst > 0 && tst <= 1)) {
      return fail(`${at}.spec.objectives.0.timeSliceTarget`, 'required: a ratio in (0, 1] a slice must reach');
    }
    const q = (s: SourcedQuery) => withWindow(windowTemplate(s).query, sliceMs);
    const total = q(ind.ratio.total);
    const query = ind.ratio.good ? `(${q(ind.ratio.good)}) / (${total})` : `1 - (${q(ind.ratio.bad!)}) / (${total})`;
    return { ...base, sli: { timeslice: { query, op: '>=', threshold: tst, slice: sliceText } } };
  }
  const op = opOf(objective.op, `${at}.spec.objectives.0.op`);
  if (typeof objective.value !== 'number') {
    return fail(`${at}.spec.objectives.0.value`, 'required: the threshold a good point meets');
  }
  const q = ind.threshold!.query;
  if (tst === undefined || tst === 1) {
    return { ...base, sli: { timeslice: { query: q, op, threshold: objective.value, slice: sliceText } } };
  }
  if (typeof tst !== 'number' || !(tst > 0 && tst < 1) || source.language !== 'promql') {
    return fail(
      `${at}.spec.objectives.0.timeSliceTarget`,
      'a share of good points per slice needs a ratio in (0, 1] and PromQL'
    );
  }
  // The share of good points in each slice (a subquery at the rule's resolution) must reach the target.
  const share = `avg_over_time(((${q}) ${op} bool ${objective.value})[${sliceText}:])`;
  return { ...base, sli: { timeslice: { query: share, op: '>=', threshold: tst, slice: sliceText } } };
}

/** Vigil spec field → the OpenSLO field it came from, for messages. */
const FIELD_NAMES: Array<[RegExp, string]> = [
  [/^id$/, 'metadata.name'],
  [/^name$/, 'metadata.displayName'],
  [/^target$/, 'spec.objectives.0.target'],
  [/^window/, 'spec.timeWindow'],
  [/^sli/, 'spec.indicator'],
  [/^labels/, 'metadata.labels'],
  [/^service$/, 'spec.service'],
  [/^measurementWindow$/, `metadata.annotations.${VIGIL_ANNOTATIONS.measurementWindow}`],
  [/^minEvents$/, `metadata.annotations.${VIGIL_ANNOTATIONS.minEvents}`],
];

/** One SLO document as Vigil's model. */
function importSlo(doc: Obj, named: Named): Slo {
  const name = nameOf(doc) ?? fail('SLO.metadata.name', 'required');
  const at = `SLO/${name}`;
  const v1 = doc.apiVersion === 'openslo/v1';
  const spec = isObj(doc.spec) ? doc.spec : fail(`${at}.spec`, 'required');
  const objectives = Array.isArray(spec.objectives) ? spec.objectives : [];
  if (objectives.length !== 1 || !isObj(objectives[0])) {
    return fail(`${at}.spec.objectives`, 'expected exactly one objective (composite SLOs are not supported)');
  }
  const objective = objectives[0];
  const target =
    typeof objective.target === 'number'
      ? tidy(objective.target * 100)
      : typeof objective.targetPercent === 'number'
        ? objective.targetPercent
        : fail(`${at}.spec.objectives.0.target`, 'required');
  let indicator: { ratio?: RatioSides; threshold?: SourcedQuery };
  if (v1) {
    const ref = typeof spec.indicatorRef === 'string' ? spec.indicatorRef : undefined;
    const sli = ref !== undefined ? named.slis.get(ref) : isObj(spec.indicator) ? spec.indicator : undefined;
    if (!sli) {
      return fail(
        `${at}.spec.${ref !== undefined ? 'indicatorRef' : 'indicator'}`,
        ref !== undefined ? `unknown SLI ${JSON.stringify(ref)}` : 'required'
      );
    }
    indicator = v1Indicator(isObj(sli.spec) ? sli.spec : {}, `${at}.spec.indicator.spec`);
  } else if (isObj(objective.ratioMetrics)) {
    const r = objective.ratioMetrics;
    const rAt = `${at}.spec.objectives.0.ratioMetrics`;
    const side = (k: 'good' | 'bad') => (r[k] !== undefined ? { [k]: v1alphaQuery(r[k], `${rAt}.${k}`) } : {});
    indicator = { ratio: { ...side('good'), ...side('bad'), total: v1alphaQuery(r.total, `${rAt}.total`) } };
  } else {
    const tm = isObj(spec.indicator) ? spec.indicator.thresholdMetric : undefined;
    indicator = { threshold: v1alphaQuery(tm, `${at}.spec.indicator.thresholdMetric`) };
  }
  const method = typeof spec.budgetingMethod === 'string' ? spec.budgetingMethod : 'Occurrences';
  const sli = sliOf(method, indicator, objective, at);
  const window = v1
    ? v1Window(spec.timeWindow, `${at}.spec.timeWindow`)
    : v1alphaWindow(spec.timeWindows, `${at}.spec.timeWindows`);
  const policies = v1 && Array.isArray(spec.alertPolicies) && spec.alertPolicies.length > 0 ? spec.alertPolicies : null;
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  const labels = isObj(meta.labels)
    ? Object.fromEntries(Object.entries(meta.labels).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]))
    : {};
  const notes = isObj(meta.annotations) ? meta.annotations : {};
  const note = (k: keyof typeof VIGIL_ANNOTATIONS) => {
    const v = notes[VIGIL_ANNOTATIONS[k]];
    return typeof v === 'string' ? v : undefined;
  };
  const minEvents = note('minEvents');
  const vigil = {
    id: note('id') ?? name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_'),
    name: typeof meta.displayName === 'string' && meta.displayName !== '' ? meta.displayName : name,
    description: typeof spec.description === 'string' ? spec.description.trim() : '',
    service: spec.service,
    target,
    ...(window !== undefined ? { window } : {}),
    ...sli,
    ...(policies ? { alerting: alertingOf(policies, named, `${at}.spec.alertPolicies`) } : {}),
    labels,
    ...(note('measurementWindow') !== undefined ? { measurementWindow: note('measurementWindow') } : {}),
    ...(minEvents !== undefined ? { minEvents: Number(minEvents) } : {}),
  };
  return parseImportedSpec(vigil, at, FIELD_NAMES, 'unsupported OpenSLO spec');
}

/**
 * Every SLO of an OpenSLO document stream (the documents of one multi-document YAML file, in
 * order). Throws a {@link SloSpecError} naming the OpenSLO field.
 */
export function importOpenSlo(docs: readonly unknown[]): Slo[] {
  const named: Named = { slis: new Map(), policies: new Map(), conditions: new Map() };
  const slos: Obj[] = [];
  docs.forEach((doc, i) => {
    if (!isObj(doc) || typeof doc.apiVersion !== 'string' || !VERSIONS.has(doc.apiVersion)) {
      fail(`documents.${i}.apiVersion`, 'expected openslo/v1 or openslo/v1alpha');
    }
    const name = nameOf(doc);
    const table = { SLI: named.slis, AlertPolicy: named.policies, AlertCondition: named.conditions }[doc.kind as 'SLI'];
    if (doc.kind === 'SLO') {
      slos.push(doc);
    } else if (table && name !== undefined) {
      table.set(name, doc);
    }
  });
  if (slos.length === 0) {
    return fail('kind', 'no SLO document found');
  }
  const out = slos.map((d) => importSlo(d, named));
  out.forEach((s, i) => {
    if (out.findIndex((o) => o.id === s.id) !== i) {
      fail(`SLO/${s.id}.metadata.name`, 'duplicate SLO name');
    }
  });
  return out;
}
