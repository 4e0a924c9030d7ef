import type { AlertView } from '@vigil/core';
import { type AlertItem, type AlertState, toSeverity } from './summarize';

/**
 * The sidecar's alert instances as the panel's items. Active means firing (Recovering is still firing:
 * `keep_firing_for` has not run out) or pending; Normal, NoData and Error instances are not counted,
 * as Prometheus' `ALERTS` does not list them either.
 */
export function fromSidecarAlerts(alerts: readonly AlertView[]): AlertItem[] {
  const out: AlertItem[] = [];
  for (const a of alerts) {
    const state: AlertState | undefined =
      a.state === 'firing' || a.state === 'recovering' ? 'firing' : a.state === 'pending' ? 'pending' : undefined;
    if (!state) {
      continue;
    }
    out.push({
      name: a.ruleName || a.labels?.alertname || a.ruleId,
      severity: toSeverity(a.severity),
      state,
      labels: { ...(a.labels ?? {}) },
      ruleId: a.ruleId,
    });
  }
  return out;
}
