/**
 * Stable `data-testid` values shared by the Jest tests and the browser test (host/).
 * Renaming one breaks the browser test: add new ids, keep the existing ones.
 * Every value is a plain kebab-case string so it can be used in a CSS attribute selector as is.
 */
export const testIds = {
  appConfig: {
    container: 'vigil-config',
    sidecarUrl: 'vigil-config-sidecar-url',
    sidecarToken: 'vigil-config-sidecar-token',
    urlError: 'vigil-config-url-error',
    submit: 'vigil-config-submit',
  },
  anomalyPanel: {
    container: 'vigil-anomaly-panel',
    chart: 'vigil-anomaly-chart',
    anomalyCount: 'vigil-anomaly-count',
    loading: 'vigil-anomaly-loading',
    empty: 'vigil-anomaly-empty',
    error: 'vigil-anomaly-error',
    /** The list of incidents (consecutive anomalous points) under the chart. */
    incidentList: 'vigil-anomaly-incidents',
    /** One incident of the list; its `data-anomaly-type` attribute holds the anomaly type. */
    incident: 'vigil-anomaly-incident',
  },
  sloPanel: {
    container: 'vigil-slo-panel',
    sli: 'vigil-slo-sli',
    objective: 'vigil-slo-objective',
    budgetRemaining: 'vigil-slo-budget-remaining',
    status: 'vigil-slo-status',
    loading: 'vigil-slo-loading',
    empty: 'vigil-slo-empty',
    error: 'vigil-slo-error',
  },
  alertsPanel: {
    container: 'vigil-alerts-panel',
    count: 'vigil-alerts-count',
    severityCount: 'vigil-alerts-severity-count',
    list: 'vigil-alerts-list',
    item: 'vigil-alerts-item',
    loading: 'vigil-alerts-loading',
    empty: 'vigil-alerts-empty',
    error: 'vigil-alerts-error',
  },
  pages: {
    rules: 'vigil-page-rules',
    slos: 'vigil-page-slos',
    incidents: 'vigil-page-incidents',
    settings: 'vigil-page-settings',
    /** Shown inside any page while its first sidecar request is in flight. */
    loading: 'vigil-page-loading',
    /** Shown inside any page when the sidecar answered with nothing to list. */
    empty: 'vigil-page-empty',
    /** Shown inside any page when the sidecar could not be reached or answered an error. */
    error: 'vigil-page-error',
  },
  incidents: {
    /** The table of anomaly events on the Incidents page. */
    list: 'vigil-incidents-list',
    /** One anomaly event; its `data-severity` and `data-status` attributes hold severity and open/closed. */
    row: 'vigil-incidents-row',
    /** The line above the table: how many events in which window. */
    summary: 'vigil-incidents-summary',
  },
  settings: {
    health: 'vigil-settings-health',
    healthStatus: 'vigil-settings-health-status',
    datasource: 'vigil-settings-datasource',
  },
} as const;
