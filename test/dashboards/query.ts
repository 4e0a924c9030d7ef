// A dashboard's queries as Grafana would send them: template variables resolved from the datasource,
// repeated panels expanded per value, built-ins and variables interpolated. run.ts sends them.
import {
  allPanels,
  type Dashboard,
  type Panel,
  type ProvisionedDatasource,
  type Target,
  targetDatasource,
  type Variable,
} from './model';
import { type BoundVariable, builtIns, interpolate, panelWidthPx, queryInterval, type Range } from './grafana';
import { getJson } from './run';

/** Where the provisioned datasources really are during a test. */
export interface LiveDatasources {
  /** Provisioned datasources by uid (types, jsonData such as timeInterval and dbName). */
  provisioned: Map<string, ProvisionedDatasource>;
  /** uid → base URL of the real server standing in for it. */
  urls: Record<string, string>;
}

/** One query ready to run: the expanded text and where it goes. */
export interface PreparedQuery {
  panelId: number;
  panelTitle: string;
  refId: string;
  dsUid: string;
  dsType: string;
  text: string;
  instant: boolean;
  format: string;
  legend?: string;
  stepS: number;
}

/** A panel as Grafana shows it: repeated panels once per value, with the title interpolated. */
export interface PanelInstance {
  panel: Panel;
  title: string;
  vars: Record<string, BoundVariable>;
}

function variableQuery(v: Variable): string {
  return (typeof v.query === 'string' ? v.query : v.query?.query) ?? v.definition ?? '';
}

/** A variable's options, read from its datasource as Grafana's variable editor would. */
export async function variableOptions(v: Variable, ds: LiveDatasources, range: Range): Promise<string[]> {
  let values: string[];
  if (v.type === 'custom') {
    values = variableQuery(v)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  } else if (v.type === 'constant' || v.type === 'textbox') {
    values = [variableQuery(v)];
  } else if (v.type === 'query' && ds.provisioned.get(v.datasource?.uid ?? '')?.type === 'prometheus') {
    const q = variableQuery(v);
    const m = /^label_values\(\s*(?:(.+?)\s*,\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/.exec(q.trim());
    if (!m) {
      throw new Error(`variable ${v.name}: the dashboard test runs only label_values(...) queries, not "${q}"`);
    }
    const params = new URLSearchParams({ start: String(range.fromMs / 1000), end: String(range.toMs / 1000) });
    if (m[1]) {
      params.set('match[]', m[1]);
    }
    const body = await getJson(`${ds.urls[v.datasource!.uid!]}/api/v1/label/${m[2]}/values?${params}`);
    values = body.data as string[];
  } else {
    throw new Error(`variable ${v.name}: type ${v.type} on ${v.datasource?.uid ?? 'no datasource'} is not supported`);
  }
  if (v.regex) {
    const re = /^\/(.*)\/([gimsuy]*)$/.exec(v.regex);
    const rx = re ? new RegExp(re[1], re[2]) : new RegExp(v.regex);
    values = values.filter((x) => rx.test(x));
  }
  return values.sort();
}

/** Each variable bound to its current value; `All` becomes every option (or the allValue). */
export async function bindVariables(
  d: Dashboard,
  ds: LiveDatasources,
  range: Range
): Promise<{ vars: Record<string, BoundVariable>; options: Record<string, string[]> }> {
  const vars: Record<string, BoundVariable> = {};
  const options: Record<string, string[]> = {};
  for (const v of d.templating?.list ?? []) {
    const opts = await variableOptions(v, ds, range);
    options[v.name] = opts;
    const cur = v.current?.value;
    const current = cur === undefined ? [opts[0]] : Array.isArray(cur) ? cur : [cur];
    const all = current.includes('$__all');
    const value = all ? (v.allValue ?? opts) : v.multi ? current : current[0];
    if (!all && current.some((c) => !opts.includes(c))) {
      throw new Error(`variable ${v.name}: current value ${JSON.stringify(cur)} is none of ${opts.join(', ')}`);
    }
    vars[v.name] = { def: v, value };
  }
  return { vars, options };
}

/** The panels Grafana shows: a panel with `repeat` once per value of its variable. */
export function panelInstances(
  d: Dashboard,
  vars: Record<string, BoundVariable>,
  options: Record<string, string[]>
): PanelInstance[] {
  const out: PanelInstance[] = [];
  for (const panel of allPanels(d)) {
    if (!panel.repeat) {
      out.push({ panel, title: panel.title, vars });
      continue;
    }
    const bound = vars[panel.repeat];
    if (!bound) {
      throw new Error(`panel ${panel.id} repeats by $${panel.repeat}, which the dashboard does not define`);
    }
    const values = Array.isArray(bound.value)
      ? bound.value
      : bound.value === '.*'
        ? options[panel.repeat]
        : [bound.value];
    for (const value of values) {
      const scoped = { ...vars, [panel.repeat]: { def: bound.def, value } };
      out.push({
        panel,
        title: panel.title.replace(new RegExp(`\\$\\{?${panel.repeat}\\}?`, 'g'), value),
        vars: scoped,
      });
    }
  }
  return out;
}

/** The queries of one panel instance over `range`, interpolated as Grafana would send them. */
export function prepareQueries(inst: PanelInstance, ds: LiveDatasources, range: Range): PreparedQuery[] {
  const { panel } = inst;
  return (panel.targets ?? [])
    .filter((t) => !t.hide)
    .map((t: Target) => {
      const ref = targetDatasource(panel, t);
      const prov = ds.provisioned.get(ref?.uid ?? '');
      if (!prov) {
        throw new Error(`panel ${panel.id} ${t.refId}: datasource ${ref?.uid} is not provisioned`);
      }
      const minInterval = panel.interval || prov.jsonData?.timeInterval;
      const maxDataPoints = panel.maxDataPoints ?? panelWidthPx(panel.gridPos?.w);
      const interval = queryInterval(range, maxDataPoints, minInterval);
      // The Prometheus datasource's step: the interval, and at most 11000 points (adjustInterval).
      const stepS = Math.max(interval.intervalMs / 1000, Math.ceil((range.toMs - range.fromMs) / 1000 / 11000));
      const step = { intervalMs: stepS * 1000, interval: interval.interval };
      const raw = prov.type === 'influxdb' ? (t.query ?? '') : (t.expr ?? '');
      const text = interpolate(raw, prov.type, inst.vars, builtIns(prov.type, range, step, minInterval), range);
      return {
        panelId: panel.id,
        panelTitle: inst.title,
        refId: t.refId,
        dsUid: prov.uid,
        dsType: prov.type,
        text,
        instant: t.instant === true && t.range !== true,
        format: t.format ?? 'time_series',
        legend:
          interpolate(
            (prov.type === 'influxdb' ? t.alias : t.legendFormat) ?? '',
            'text',
            inst.vars,
            {},
            range,
            false
          ) || undefined,
        stepS,
      };
    });
}

/** The dashboard's Prometheus annotation queries (Grafana runs them as range queries at their `step`). */
export function annotationQueries(
  d: Dashboard,
  vars: Record<string, BoundVariable>,
  ds: LiveDatasources,
  range: Range
): PreparedQuery[] {
  return (d.annotations?.list ?? [])
    .filter((a) => !a.builtIn && typeof a.expr === 'string')
    .map((a, i) => {
      const prov = ds.provisioned.get(a.datasource?.uid ?? '');
      if (!prov) {
        throw new Error(`annotation "${String(a.name)}": datasource ${a.datasource?.uid} is not provisioned`);
      }
      const stepS = Math.max(
        1,
        Math.round((Number.parseFloat(String(a.step ?? '60')) || 60) * (/m$/.test(String(a.step)) ? 60 : 1))
      );
      const step = { intervalMs: stepS * 1000, interval: `${stepS}s` };
      return {
        panelId: 0,
        panelTitle: `annotation ${String(a.name)}`,
        refId: `Anno${i}`,
        dsUid: prov.uid,
        dsType: prov.type,
        text: interpolate(
          a.expr as string,
          prov.type,
          vars,
          builtIns(prov.type, range, step, prov.jsonData?.timeInterval),
          range
        ),
        instant: false,
        format: 'time_series',
        legend: a.titleFormat as string | undefined,
        stepS,
      };
    });
}
