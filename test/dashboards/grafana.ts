// What Grafana does to a dashboard query before it reaches the datasource: the query interval
// (rangeutil.calculateInterval, Grafana's own, loaded from @grafana/data), the built-in variables
// ($__interval, $__rate_interval, $__range…, InfluxQL's $timeFilter) and template variables formatted
// per datasource, as Grafana 12.4's Prometheus and InfluxDB datasources format them.
import { join } from 'node:path';
import { ROOT, type Variable } from './model';

interface RangeUtil {
  calculateInterval(range: unknown, resolution: number, lowLimit?: string): { intervalMs: number; interval: string };
  intervalToSeconds(s: string): number;
  secondsToHms(s: number): string;
}
// Grafana's datetime/rangeutil (plain CommonJS; the @grafana/data index needs a browser).
const rangeUtil = require(join(ROOT, 'node_modules/@grafana/data/dist/cjs/datetime/rangeutil.cjs')) as RangeUtil;

/** An absolute time range, epoch ms. */
export interface Range {
  fromMs: number;
  toMs: number;
}

/** The width a panel gets on a 1600 px wide dashboard: Grafana's maxDataPoints when none is set. */
export function panelWidthPx(gridW = 24): number {
  return Math.max(100, Math.round((gridW / 24) * 1600));
}

/**
 * The query interval Grafana's query runner computes (calculateInterval over the range with the panel's
 * max data points, never below the panel's or the datasource's minimum interval), in ms and as text.
 */
export function queryInterval(range: Range, maxDataPoints: number, minInterval?: string) {
  const r = { from: { valueOf: () => range.fromMs }, to: { valueOf: () => range.toMs } };
  return rangeUtil.calculateInterval(r, maxDataPoints, minInterval);
}

/** A value a variable holds for one query: one value, or several (multi-value / All). */
export type VarValue = string | string[];

/** A variable ready to interpolate: its definition and its current value(s). */
export interface BoundVariable {
  def: Pick<Variable, 'name' | 'multi' | 'includeAll'>;
  value: VarValue;
}

const escapeRegex = (s: string) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, '\\$&');

/**
 * Grafana's Prometheus datasource (interpolateQueryExpr): a single-value variable is put in as is
 * (quotes and backslashes escaped), a multi-value or include-All one regex-escaped and several values
 * joined as `(a|b)`. Use it with `=~`.
 */
export function formatPrometheus(v: BoundVariable): string {
  if (!v.def.multi && !v.def.includeAll) {
    const s = Array.isArray(v.value) ? v.value.join(',') : v.value;
    return s.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
  }
  const esc = (s: string) => s.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
  if (typeof v.value === 'string') {
    return esc(v.value);
  }
  return v.value.length === 1 ? esc(v.value[0]) : `(${v.value.map(esc).join('|')})`;
}

/** Grafana's InfluxDB datasource (interpolateQueryExpr): multi-value variables become a regex group. */
export function formatInflux(v: BoundVariable): string {
  if (!v.def.multi && !v.def.includeAll) {
    return Array.isArray(v.value) ? v.value.join(',') : v.value;
  }
  if (typeof v.value === 'string') {
    return escapeRegex(v.value);
  }
  return `(${v.value.map(escapeRegex).join('|')})`;
}

/** Grafana's variable syntax: $var, ${var}, ${var:format}, [[var]]. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

/** The built-in variables of one query: range, interval and, for Prometheus, the rate interval. */
export function builtIns(
  dsType: string,
  range: Range,
  interval: { intervalMs: number; interval: string },
  scrapeInterval?: string
): Record<string, string> {
  const rangeMs = range.toMs - range.fromMs;
  const rangeS = Math.round(rangeMs / 1000);
  const vars: Record<string, string> = {
    __interval: interval.interval,
    __interval_ms: String(interval.intervalMs),
    interval: interval.interval,
    __range: `${rangeS}s`,
    __range_s: String(rangeS),
    __range_ms: String(rangeMs),
    __from: String(range.fromMs),
    __to: String(range.toMs),
  };
  if (dsType === 'prometheus') {
    // Grafana's Prometheus datasource (getRateIntervalScopedVariable): at least four scrapes, and one
    // interval plus a scrape, with the datasource's scrape interval (jsonData.timeInterval, else 15s).
    const step = Math.max(1, Math.floor(interval.intervalMs / 1000));
    const scrape = rangeUtil.intervalToSeconds(scrapeInterval || '15s') || 15;
    vars.__rate_interval = `${Math.max(step + scrape, 4 * scrape)}s`;
    vars.__rate_interval_ms = String(Math.max(step + scrape, 4 * scrape) * 1000);
  }
  return vars;
}

/** Grafana's default format outside a datasource (legends, titles): one value as is, several as `{a,b}`. */
export function formatGlob(v: BoundVariable): string {
  return typeof v.value === 'string' ? v.value : v.value.length === 1 ? v.value[0] : `{${v.value.join(',')}}`;
}

/**
 * Interpolates `text` as Grafana does for datasource `dsType` (`text`: a legend or alias): InfluxQL's
 * `$timeFilter` first (the InfluxDB datasource replaces it itself), then built-ins and template
 * variables. A query (`strict`) throws on a variable nobody defines, so a typo fails instead of reaching
 * the datasource as `$servce`; a legend keeps it, as Grafana does (an alias's `$tag_x` is InfluxDB's).
 */
export function interpolate(
  text: string,
  dsType: string,
  vars: Record<string, BoundVariable>,
  builtin: Record<string, string>,
  range: Range,
  strict = true
): string {
  let out = text;
  if (dsType === 'influxdb') {
    out = out.replace(/\$timeFilter/g, `time >= ${range.fromMs}ms and time <= ${range.toMs}ms`);
  }
  const format = dsType === 'influxdb' ? formatInflux : dsType === 'prometheus' ? formatPrometheus : formatGlob;
  return out.replace(VARIABLE, (match, a, b, bFmt, c, _field, cFmt) => {
    const name = (a ?? b ?? c) as string;
    const fmt = (bFmt ?? cFmt) as string | undefined;
    if (name in builtin) {
      return builtin[name];
    }
    const v = vars[name];
    if (!v && !strict) {
      return match;
    }
    if (!v) {
      throw new Error(`unknown variable ${match}`);
    }
    const values = Array.isArray(v.value) ? v.value : [v.value];
    switch (fmt) {
      case undefined:
        return format(v);
      case 'raw':
      case 'csv':
        return values.join(',');
      case 'pipe':
        return values.join('|');
      case 'regex':
        return values.length === 1 ? escapeRegex(values[0]) : `(${values.map(escapeRegex).join('|')})`;
      default:
        throw new Error(`variable format ${match} is not supported by the dashboard test`);
    }
  });
}

/** `{{label}}` in a legend, as Grafana's Prometheus datasource renders it; `__auto`/empty: the labels. */
export function renderLegend(legend: string | undefined, labels: Record<string, string>): string {
  if (!legend || legend === '__auto') {
    const { __name__: name = '', ...rest } = labels;
    const inner = Object.entries(rest)
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ');
    return inner ? `${name}{${inner}}` : name || 'Value';
  }
  return legend.replace(/\{\{\s*(.+?)\s*\}\}/g, (_m, key: string) => labels[key] ?? '');
}
