import type { AlertView, PreviewResponse, RuleResource } from '@vigil/core';
import type { Transition } from '@vigil/core/rules/types';

/** A stored rule as the sidecar returns it (every default filled in), with `overrides` applied. */
export function ruleResource(overrides: Partial<RuleResource> = {}): RuleResource {
  return {
    id: 'high_cpu_usage',
    name: 'High CPU usage',
    description: 'CPU above 80% for 5 minutes',
    severity: 'warning',
    datasource: 'prometheus',
    query: 'avg by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m])) * 100',
    condition: { kind: 'threshold', op: '>', threshold: 80 },
    for: '5m',
    keepFiringFor: '0s',
    interval: '1m',
    labels: { service: 'api', team: 'sre' },
    annotations: {
      summary: 'CPU at {{ $value }}%',
      description: 'CPU on {{ $labels.instance }} above {{ $threshold }}%',
      runbook_url: 'https://runbooks.example/cpu',
      dashboard_url: '',
      owner: 'sre',
    },
    actions: ['slack-sre'],
    noDataState: 'NoData',
    execErrState: 'Error',
    missingSeriesEvalsToResolve: 2,
    enabled: true,
    origin: 'api',
    readOnly: false,
    createdAt: 1_764_000_000_000,
    createdBy: 'admin',
    updatedAt: 1_764_000_000_000,
    updatedBy: 'admin',
    version: 3,
    status: {
      health: 'ok',
      lastEvaluation: 1_764_000_060_000,
      lastDurationMs: 12,
      lastError: null,
      seriesCount: 3,
      states: { firing: 2, normal: 1 },
    },
    ...overrides,
  };
}

/** A backtest answer over [from, to] at 1-minute steps: one series crossing 80 in the middle. */
export function previewResponse(from = 0, to = 60 * 60_000): PreviewResponse {
  const stepMs = 60_000;
  const points: Array<[number, number | null]> = [];
  const thresholds: Array<[number, number | null]> = [];
  for (let t = from; t <= to; t += stepMs) {
    const i = (t - from) / stepMs;
    points.push([t, i >= 20 && i < 40 ? 90 : 50]);
    thresholds.push([t, 80]);
  }
  const labels = { instance: 'a:9100' };
  return {
    from,
    to,
    stepMs,
    series: [{ fingerprint: 'fp1', labels, points, thresholds }],
    intervals: [
      { fingerprint: 'fp1', state: 'pending', from: from + 20 * stepMs, to: from + 25 * stepMs },
      { fingerprint: 'fp1', state: 'firing', from: from + 25 * stepMs, to: from + 40 * stepMs },
    ],
    events: [
      {
        ruleId: 'r',
        fingerprint: 'fp1',
        labels,
        from: 'pending',
        to: 'firing',
        at: from + 25 * stepMs,
        value: 90,
        threshold: 80,
        severity: 'warning',
        event: 'firing',
      },
      {
        ruleId: 'r',
        fingerprint: 'fp1',
        labels,
        from: 'firing',
        to: 'normal',
        at: from + 40 * stepMs,
        value: 50,
        threshold: 80,
        severity: 'warning',
        event: 'resolved',
      },
    ],
    warnings: [],
  };
}

/** A firing alert instance of `high_cpu_usage` as `GET /api/v1/alerts` returns it, with `overrides`. */
export function alertView(overrides: Partial<AlertView> = {}): AlertView {
  return {
    ruleId: 'high_cpu_usage',
    ruleName: 'High CPU usage',
    fingerprint: 'fp-a',
    labels: { instance: 'a:9100', service: 'api' },
    state: 'firing',
    since: 1_764_000_000_000,
    activeAt: 1_763_999_700_000,
    firedAt: 1_764_000_000_000,
    recoveringSince: null,
    value: 93.25,
    threshold: 80,
    severity: 'warning',
    missingEvals: 0,
    lastEvalAt: 1_764_000_060_000,
    annotations: { summary: 'CPU at 93.25%' },
    ...overrides,
  };
}

/** The transitions of `alertView()`'s instance, newest first: Normal → Pending → Firing. */
export function alertTransitions(fingerprint = 'fp-a'): Transition[] {
  const base = { ruleId: 'high_cpu_usage', fingerprint, labels: { instance: 'a:9100' }, threshold: 80 };
  return [
    {
      ...base,
      from: 'pending',
      to: 'firing',
      at: 1_764_000_000_000,
      value: 93.25,
      severity: 'warning',
      event: 'firing',
    },
    { ...base, from: 'normal', to: 'pending', at: 1_763_999_700_000, value: 85, severity: 'warning' },
  ];
}
