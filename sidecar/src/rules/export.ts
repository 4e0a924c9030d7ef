/**
 * Rules out of Vigil: `GET /api/v1/rules/export` writes every rule in the rule-file format (what
 * `rules.dir` loads), and `?format=prometheus` writes the threshold rules as a Prometheus rule file
 * (https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/) that `promtool check
 * rules` accepts, so a team can move them into a Prometheus, Thanos or Mimir ruler.
 */
import type { NormalizedRuleBody } from '@vigil/core';
import type { RequestHandler } from 'express';
import { stringify } from 'yaml';
import { badRequest } from '../errors';
import type { RuleStore } from '../store/store';
import { durationMs } from './schemaZod';

/** The rule-file format: `rules:` and the normalized bodies. */
export function toRuleFile(rules: readonly NormalizedRuleBody[]): string {
  const header = '# Vigil alert rules (GET /api/v1/rules/export): load them from the rules folder (rules.dir).\n';
  return header + stringify({ rules }, { lineWidth: 0 });
}

/** Why a rule has no Prometheus equivalent, or null when it exports. */
function notExportable(rule: NormalizedRuleBody, datasourceType: (name: string) => string | undefined): string | null {
  if (rule.condition.kind !== 'threshold') {
    return `${rule.condition.kind} condition`;
  }
  const type = datasourceType(rule.datasource);
  if (type !== 'prometheus') {
    return type === 'influxdb' ? `InfluxDB datasource "${rule.datasource}"` : `unknown datasource "${rule.datasource}"`;
  }
  if (!rule.enabled) {
    return 'disabled';
  }
  return null;
}

/** `(<query>) <op> <threshold>`; a query with a `#` comment or several lines gets its own lines. */
function expression(rule: NormalizedRuleBody & { condition: { kind: 'threshold' } }): string {
  const q = rule.query.trim();
  const inner = q.includes('#') || q.includes('\n') ? `(\n${q}\n)` : `(${q})`;
  return `${inner} ${rule.condition.op} ${rule.condition.threshold}`;
}

/**
 * A Prometheus rule file of the exportable rules: one group per evaluation interval (`vigil-1m`),
 * `alert` = the name, `for`, `keep_firing_for`, labels with `severity`, annotations (Vigil's templates
 * are Prometheus' `{{ $value }}` / `{{ $labels.x }}`). A leading comment lists what was left out.
 */
export function toPrometheusRuleFile(
  rules: readonly NormalizedRuleBody[],
  datasourceType: (name: string) => string | undefined
): string {
  const skipped: string[] = [];
  const groups = new Map<number, Array<Record<string, unknown>>>();
  for (const rule of rules) {
    const why = notExportable(rule, datasourceType);
    if (why !== null || rule.condition.kind !== 'threshold') {
      skipped.push(`#   - ${rule.id} (${rule.name.replace(/\s+/g, ' ')}): ${why}`);
      continue;
    }
    const out: Record<string, unknown> = { alert: rule.name, expr: expression({ ...rule, condition: rule.condition }) };
    if ((durationMs(rule.for) ?? 0) > 0) {
      out.for = rule.for;
    }
    if ((durationMs(rule.keepFiringFor) ?? 0) > 0) {
      out.keep_firing_for = rule.keepFiringFor;
    }
    out.labels = { ...rule.labels, severity: rule.severity };
    const annotations = { ...rule.annotations };
    if (rule.description && annotations.description === undefined) {
      annotations.description = rule.description;
    }
    if (Object.keys(annotations).length > 0) {
      out.annotations = annotations;
    }
    const interval = durationMs(rule.interval) ?? 60_000;
    groups.set(interval, [...(groups.get(interval) ?? []), out]);
  }
  const header = [
    '# Prometheus alerting rules exported by Vigil (GET /api/v1/rules/export?format=prometheus).',
    '# Prometheus applies its own no-data and error behaviour: noDataState, execErrState and',
    '# missingSeriesEvalsToResolve have no equivalent there.',
    ...(skipped.length > 0
      ? ['# Not exportable (adaptive, baseline and anomaly conditions, non-Prometheus sources, disabled):', ...skipped]
      : []),
  ].join('\n');
  const doc = {
    groups: [...groups.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([ms, list]) => {
        const interval = rules.find((r) => durationMs(r.interval) === ms)?.interval ?? `${ms / 1000}s`;
        return { name: `vigil-${interval}`, interval, rules: list };
      }),
  };
  return `${header}\n${stringify(doc, { lineWidth: 0 })}`;
}

/** `GET /api/v1/rules/export[?format=yaml|prometheus]`. */
export function exportHandler(store: RuleStore, datasourceType: (name: string) => string | undefined): RequestHandler {
  return async (req, res) => {
    const format = req.query.format ?? 'yaml';
    if (format !== 'yaml' && format !== 'prometheus') {
      throw badRequest('format: expected yaml or prometheus');
    }
    const bodies = (await store.listRules()).map((r) => r.body);
    const text = format === 'prometheus' ? toPrometheusRuleFile(bodies, datasourceType) : toRuleFile(bodies);
    res
      .type('application/yaml; charset=utf-8')
      .set(
        'Content-Disposition',
        `inline; filename="${format === 'prometheus' ? 'vigil-prometheus-rules' : 'vigil-rules'}.yml"`
      )
      .send(text);
  };
}
