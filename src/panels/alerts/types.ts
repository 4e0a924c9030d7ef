import type { Severity as GuideSeverity } from '@vigil/core';

/** Where the panel reads alerts from. */
export type AlertsSource = 'frames' | 'sidecar';

/** How the list is grouped (the guide's AlertSummaryWidget `group_by`). */
export type AlertsGroupBy = 'severity' | 'service' | 'none';

/** Options of the alert summary panel (the guide's AlertSummaryWidget). */
export interface AlertsOptions {
  /**
   * `frames`: the panel's query results (Prometheus `ALERTS` series, or alert tables); `sidecar`: the
   * Vigil sidecar's alert instances (`GET /api/v1/alerts` through the app's plugin proxy).
   */
  source: AlertsSource;
  /** Severities shown (the guide's `severity_filter`); empty shows every severity. */
  severities: GuideSeverity[];
  /** How many alerts the list shows at most (the guide's `max_items`). */
  maxItems: number;
  /** Grouping of the list (the guide's `group_by`). */
  groupBy: AlertsGroupBy;
}

/**
 * Defaults, from the guide's `activeAlertsWidget` (max_items 10, group_by severity), except the
 * severity filter: the guide's example narrows to critical and error, a new panel shows every
 * severity (narrowing is one click; hidden alerts are easy to miss).
 */
export const defaultAlertsOptions: AlertsOptions = {
  source: 'frames',
  severities: [],
  maxItems: 10,
  groupBy: 'severity',
};
