/**
 * Export of an SLO to OpenSLO v1: one `SLO` document with its SLI inline, its compliance window,
 * and an inline AlertPolicy whose burnrate conditions are Vigil's burn-rate alerts (factor as
 * threshold, long window as lookback). What OpenSLO has no field for travels in `vigil.dev/`
 * annotations, which the import reads back: the id (OpenSLO names allow no `_`), the measurement
 * window and the minimum-traffic guard. A latency SLI is exported as the ratio of its histogram's
 * bucket to its count.
 */
import {
  burnRateAlerts,
  formatDuration,
  prometheusWindowMs,
  ruleWindowName,
  tidy,
  windowBounds,
  type Sli,
  type Slo,
  type TimesliceOp,
} from '@vigil/core';

type Obj = Record<string, unknown>;

/** Annotation keys the import reads back. */
export const VIGIL_ANNOTATIONS = {
  id: 'vigil.dev/slo-id',
  measurementWindow: 'vigil.dev/measurement-window',
  minEvents: 'vigil.dev/min-events',
} as const;

const OPS: Record<TimesliceOp, string> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };

/** An OpenSLO metric source of a query. */
function source(slo: Slo, query: string): Obj {
  return {
    metricSource: {
      ...(slo.datasource ? { metricSourceRef: slo.datasource } : {}),
      type: slo.sli.language === 'influxql' ? 'InfluxDB' : 'Prometheus',
      spec: { query },
    },
  };
}

/** The SLI's `spec`: a ratio metric (ratio, latency) or a threshold metric (timeslice). */
function indicatorSpec(slo: Slo, sli: Sli): Obj {
  if (sli.kind === 'timeslice') {
    return { thresholdMetric: source(slo, sli.query) };
  }
  if (sli.kind === 'latency') {
    const sep = sli.matchers.trim() === '' ? '' : ',';
    const le = String(sli.thresholdSeconds);
    return {
      ratioMetric: {
        counter: true,
        good: source(slo, `sum(increase(${sli.histogram}_bucket{${sli.matchers}${sep}le="${le}"}[$__range]))`),
        total: source(slo, `sum(increase(${sli.histogram}_count{${sli.matchers}}[$__range]))`),
      },
    };
  }
  return {
    ratioMetric: {
      counter: true,
      ...(sli.good !== undefined ? { good: source(slo, sli.good) } : { bad: source(slo, sli.bad!) }),
      total: source(slo, sli.total),
    },
  };
}

/** OpenSLO's time window of the SLO's compliance window. */
function timeWindow(slo: Slo): Obj[] {
  const w = slo.window;
  if (w.kind === 'rolling') {
    return [{ duration: ruleWindowName(w.durationMs), isRolling: true }];
  }
  // A calendar window needs a start: the current period's, in the SLO's zone (a Monday for a week).
  const start = new Date(windowBounds(w, Date.UTC(2024, 0, 15)).start);
  const local = start.toLocaleString('sv-SE', { timeZone: w.timeZone }).replace('T', ' ');
  const duration = { week: '1w', month: '1M', quarter: '1Q' }[w.unit];
  return [{ duration, isRolling: false, calendar: { startTime: local, timeZone: w.timeZone } }];
}

/** The inline AlertPolicy of the SLO's enabled burn-rate alerts (none when both kinds are off). */
function alertPolicies(slo: Slo, name: string): Obj[] {
  const alerts = burnRateAlerts(prometheusWindowMs(slo.window)).filter((a) => slo.alerting[a.kind]);
  if (alerts.length === 0) {
    return [];
  }
  const conditions = alerts.map((a) => ({
    kind: 'AlertCondition',
    metadata: { name: `${name}-${a.name.replace('_', '-')}` },
    spec: {
      description: `${tidy(a.budgetFraction * 100)}% of the budget in ${ruleWindowName(a.longWindowMs)} (short window ${ruleWindowName(a.shortWindowMs)})`,
      severity: a.kind,
      condition: {
        kind: 'burnrate',
        op: 'gte',
        threshold: a.factor,
        lookbackWindow: ruleWindowName(a.longWindowMs),
        alertAfter: formatDuration(a.shortWindowMs),
      },
    },
  }));
  return [
    { kind: 'AlertPolicy', metadata: { name: `${name}-burn-rate` }, spec: { alertWhenBreaching: true, conditions } },
  ];
}

/** The SLO as one OpenSLO v1 `SLO` document (plain data, ready for `yaml.stringify`). */
export function sloToOpenSLO(slo: Slo): Obj {
  const name = slo.id.replace(/_/g, '-');
  const objective: Obj = { displayName: slo.name, target: tidy(slo.target / 100) };
  if (slo.sli.kind === 'timeslice') {
    Object.assign(objective, {
      op: OPS[slo.sli.op],
      value: slo.sli.threshold,
      timeSliceTarget: 1,
      timeSliceWindow: formatDuration(slo.sli.sliceMs),
    });
  }
  const policies = alertPolicies(slo, name);
  return {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: {
      name,
      displayName: slo.name,
      ...(Object.keys(slo.labels).length > 0 ? { labels: { ...slo.labels } } : {}),
      annotations: {
        [VIGIL_ANNOTATIONS.id]: slo.id,
        [VIGIL_ANNOTATIONS.measurementWindow]: formatDuration(slo.measurementWindowMs),
        [VIGIL_ANNOTATIONS.minEvents]: String(slo.minEvents),
      },
    },
    spec: {
      ...(slo.description ? { description: slo.description } : {}),
      service: slo.service,
      indicator: { metadata: { name: `${name}-sli` }, spec: indicatorSpec(slo, slo.sli) },
      timeWindow: timeWindow(slo),
      budgetingMethod: slo.sli.kind === 'timeslice' ? 'Timeslices' : 'Occurrences',
      objectives: [objective],
      ...(policies.length > 0 ? { alertPolicies: policies } : {}),
    },
  };
}
