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
    /** The note saying the panel's detector learned fewer points than the sidecar's (it sees only the range). */
    windowNote: 'vigil-anomaly-window-note',
    /** An incident row's link to the app's Incidents page. */
    incidentLink: 'vigil-anomaly-incident-link',
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
    /** The sidecar SLO's burn-rate alerts (source `sidecar`); each row carries `data-alert` and `data-firing`. */
    burnRates: 'vigil-slo-burn-rates',
    burnRateRow: 'vigil-slo-burn-rate-row',
    /** The sidecar SLO's time to exhaustion at its current burn rate. */
    timeToExhaustion: 'vigil-slo-time-to-exhaustion',
    /** The sidecar SLO's burn-down (an svg; `data-points` and `data-remaining` hold its length and last value). */
    burnDown: 'vigil-slo-burn-down',
    /** Why the burn-down is not drawn (too few points, or the sidecar's error). */
    burnDownNote: 'vigil-slo-burn-down-note',
    /** The list of sidecar SLOs (source `sidecar`, show `list`). */
    list: 'vigil-slo-list',
    /** One SLO of the list; `data-slo-id` and `data-budget-status` hold its id and budget status. */
    listRow: 'vigil-slo-list-row',
    listName: 'vigil-slo-list-name',
    listSli: 'vigil-slo-list-sli',
    listObjective: 'vigil-slo-list-objective',
    listBudget: 'vigil-slo-list-budget',
    listTimeToExhaustion: 'vigil-slo-list-time-to-exhaustion',
  },
  alertsPanel: {
    container: 'vigil-alerts-panel',
    count: 'vigil-alerts-count',
    severityCount: 'vigil-alerts-severity-count',
    list: 'vigil-alerts-list',
    item: 'vigil-alerts-item',
    /** One group of the list (by severity or service); `data-group` holds its key. */
    group: 'vigil-alerts-group',
    loading: 'vigil-alerts-loading',
    empty: 'vigil-alerts-empty',
    error: 'vigil-alerts-error',
    /** An alert's link to its rule (the editor, or the rule list searched by alertname). */
    ruleLink: 'vigil-alerts-rule-link',
    /** An alert's link to the app's Incidents page (where its correlated incident is). */
    incidentLink: 'vigil-alerts-incident-link',
  },
  pages: {
    rules: 'vigil-page-rules',
    slos: 'vigil-page-slos',
    incidents: 'vigil-page-incidents',
    settings: 'vigil-page-settings',
    notifications: 'vigil-page-notifications',
    /** Shown inside any page while its first sidecar request is in flight. */
    loading: 'vigil-page-loading',
    /** Shown inside any page when the sidecar answered with nothing to list. */
    empty: 'vigil-page-empty',
    /** Shown inside any page when the sidecar could not be reached or answered an error. */
    error: 'vigil-page-error',
  },
  /** The SLOs page: list, detail and editor (issue 10). */
  slos: {
    list: 'vigil-slos-list',
    /** One SLO of the list; `data-slo-id` and `data-budget-status` hold its id and budget status. */
    row: 'vigil-slos-row',
    open: 'vigil-slos-open',
    sli: 'vigil-slos-sli',
    budget: 'vigil-slos-budget',
    burnRate: 'vigil-slos-burn-rate',
    timeToExhaustion: 'vigil-slos-time-to-exhaustion',
    firing: 'vigil-slos-firing',
    create: 'vigil-slos-create',
    detail: 'vigil-slos-detail',
    edit: 'vigil-slos-edit',
    delete: 'vigil-slos-delete',
    statusError: 'vigil-slos-status-error',
    /** The burn-rate table; each row carries `data-alert` and `data-firing`. */
    burnRates: 'vigil-slos-burn-rates',
    burnRateRow: 'vigil-slos-burn-rate-row',
    /** The burn-down chart; `data-remaining` holds the last point's budget remaining. */
    burnDown: 'vigil-slos-burn-down',
    /** The editor's preview of the unsaved spec, and its button. */
    preview: 'vigil-slos-preview',
    previewButton: 'vigil-slos-preview-button',
    rules: 'vigil-slos-rules',
    rulesDownload: 'vigil-slos-rules-download',
    form: 'vigil-slos-form',
    /** Prefix of each editor input's id: `vigil-slos-field-<form field>` (e.g. `-ratioTotal`). */
    fieldPrefix: 'vigil-slos-field-',
    save: 'vigil-slos-save',
    cancel: 'vigil-slos-cancel',
    saveError: 'vigil-slos-save-error',
  },
  incidents: {
    /** The table of anomaly events on the Incidents page. */
    list: 'vigil-incidents-list',
    /** One anomaly event; its `data-severity` and `data-status` attributes hold severity and open/closed. */
    row: 'vigil-incidents-row',
    /** The line above the table: how many events in which window. */
    summary: 'vigil-incidents-summary',
    /** The page's "Anomalies" section (last 24 hours) under the incident list. */
    anomalies: 'vigil-incidents-anomalies',
    /** The live stream's state; `data-status` holds live, connecting or polling. */
    stream: 'vigil-incidents-stream',
    /** The state filter above the incident list (Active, Open, Acknowledged, Resolved, All). */
    filter: 'vigil-incidents-filter',
    /** The incident table. */
    incidentList: 'vigil-incidents-incident-list',
    /** One incident; `data-incident-id`, `data-state` and `data-severity` hold its id, state and severity. */
    incident: 'vigil-incidents-incident',
    /** An incident's title: the link to its detail. */
    open: 'vigil-incidents-open',
    /** An incident's root cause (service and why) in the list. */
    rootCause: 'vigil-incidents-root-cause',
    /** The detail of one incident; `data-incident-id` and `data-state` hold its id and state. */
    detail: 'vigil-incidents-detail',
    /** Back from the detail to the list. */
    back: 'vigil-incidents-back',
    detailTitle: 'vigil-incidents-detail-title',
    /** The detail's state badge and severity badge. */
    state: 'vigil-incidents-state',
    severity: 'vigil-incidents-severity',
    /** "acknowledged by admin 5s ago" / "resolved by …". */
    handledBy: 'vigil-incidents-handled-by',
    /** The detail's root cause: what (`data-fingerprint`) and the reason it was chosen. */
    detailRootCause: 'vigil-incidents-detail-root-cause',
    rootCauseReason: 'vigil-incidents-root-cause-reason',
    /** Acknowledge and Resolve (Editors), the dialog's comment and its confirm button. */
    acknowledge: 'vigil-incidents-acknowledge',
    resolve: 'vigil-incidents-resolve',
    comment: 'vigil-incidents-comment',
    confirmAction: 'vigil-incidents-confirm-action',
    /** Why an action failed. */
    actionError: 'vigil-incidents-action-error',
    /** The member alerts' table and the suppressed alerts' table. */
    members: 'vigil-incidents-members',
    suppressed: 'vigil-incidents-suppressed',
    /** One alert of an incident; `data-role`, `data-fingerprint`, `data-root-cause` describe it. */
    alert: 'vigil-incidents-alert',
    /** Why the alert joined, and (suppressed ones) why it is not notified. */
    alertReason: 'vigil-incidents-alert-reason',
    alertSuppression: 'vigil-incidents-alert-suppression',
    /** An alert's links: its rule on the Rules page, its generator, its dashboard, its runbook. */
    ruleLink: 'vigil-incidents-rule-link',
    sourceLink: 'vigil-incidents-source-link',
    dashboardLink: 'vigil-incidents-dashboard-link',
    runbookLink: 'vigil-incidents-runbook-link',
    /** The timeline, oldest first; one per `timelineEntry`, `data-kind` holds its kind. */
    timeline: 'vigil-incidents-timeline',
    timelineEntry: 'vigil-incidents-timeline-entry',
    /** The anomaly events of the incident's services around its time. */
    contextAnomalies: 'vigil-incidents-context-anomalies',
  },
  rules: {
    /** The table of rules on the Alert rules page. */
    list: 'vigil-rules-list',
    /** One rule; `data-rule-id`, `data-severity`, `data-state`, `data-origin` hold its id, severity, state, origin. */
    row: 'vigil-rules-row',
    /** The line above the table: how many rules are shown of how many. */
    summary: 'vigil-rules-summary',
    search: 'vigil-rules-search',
    severityFilter: 'vigil-rules-filter-severity',
    stateFilter: 'vigil-rules-filter-state',
    originFilter: 'vigil-rules-filter-origin',
    create: 'vigil-rules-create',
    edit: 'vigil-rules-edit',
    duplicate: 'vigil-rules-duplicate',
    delete: 'vigil-rules-delete',
    /** The "file" badge of a rule loaded from a rule file (read-only). */
    readOnlyBadge: 'vigil-rules-read-only',
    /** The delete confirmation dialog's confirm button. */
    confirmDelete: 'vigil-rules-confirm-delete',
    /** A rule row's expand toggle (`aria-expanded`): shows the rule's alert instances below it. */
    expand: 'vigil-rules-expand',
    /** The expanded part of a rule row; `data-rule-id` holds the rule's id. */
    instances: 'vigil-rules-instances',
    /** One alert instance; `data-state` and `data-fingerprint` hold its state and fingerprint. */
    instance: 'vigil-rules-instance',
    /** An instance's "History" toggle (`aria-expanded`). */
    historyToggle: 'vigil-rules-history-toggle',
    /** An instance's transitions, newest first. */
    history: 'vigil-rules-history',
    /** One transition; `data-from`, `data-to` and `data-event` hold its states and event. */
    transition: 'vigil-rules-transition',
    /** An instance's "Silence" link: the Notifications page's silence form filled with its labels. */
    silence: 'vigil-rules-silence',
  },
  notify: {
    /** "Routes at a glance": the routing tree as an indented list. */
    routes: 'vigil-notify-routes',
    /** One route; `data-route-id` and `data-depth` hold its id and depth, `data-receiver` its receiver. */
    route: 'vigil-notify-route',
    /** The inhibition rules table; one rule per `inhibitRule`. */
    inhibitRules: 'vigil-notify-inhibit-rules',
    inhibitRule: 'vigil-notify-inhibit-rule',
    /** The time intervals; one per `timeInterval`, `data-active` holds "true" when in force now. */
    timeIntervals: 'vigil-notify-time-intervals',
    timeInterval: 'vigil-notify-time-interval',
    /** The channels table; one channel per `channel`, `data-channel` / `data-type` / `data-last-status`. */
    channels: 'vigil-notify-channels',
    channel: 'vigil-notify-channel',
    /** A channel's "Send test" button and its result (`data-ok` holds "true" or "false"). */
    testSend: 'vigil-notify-test-send',
    testResult: 'vigil-notify-test-result',
    /** The silences table; one per `silence`, `data-silence-id` and `data-state` hold its id and state. */
    silences: 'vigil-notify-silences',
    silence: 'vigil-notify-silence',
    /** A silence's author cell. */
    silenceAuthor: 'vigil-notify-silence-author',
    /** A silence's "Expire" button and the confirmation dialog's confirm button. */
    expire: 'vigil-notify-expire',
    confirmExpire: 'vigil-notify-confirm-expire',
    /** Opens the "New silence" form. */
    newSilence: 'vigil-notify-new-silence',
    /** The "New silence" form and its fields (one name/op/value per matcher row). */
    silenceForm: 'vigil-notify-silence-form',
    matcherName: 'vigil-notify-matcher-name',
    matcherOp: 'vigil-notify-matcher-op',
    matcherValue: 'vigil-notify-matcher-value',
    addMatcher: 'vigil-notify-add-matcher',
    endMode: 'vigil-notify-end-mode',
    duration: 'vigil-notify-duration',
    endsAt: 'vigil-notify-ends-at',
    comment: 'vigil-notify-comment',
    /** "Created by <login>": who the sidecar will record as the author. */
    author: 'vigil-notify-author',
    /** Problems of the save that belong to no single field. */
    formError: 'vigil-notify-form-error',
    createSilence: 'vigil-notify-create-silence',
    cancelSilence: 'vigil-notify-cancel-silence',
    /** The failed-notification log; one per `notification`, `data-notification-id` holds its id. */
    failed: 'vigil-notify-failed',
    notification: 'vigil-notify-notification',
    retry: 'vigil-notify-retry',
  },
  ruleEditor: {
    form: 'vigil-rule-form',
    /** Shown when the rule is read-only (a file rule): the form is disabled. */
    readOnlyNotice: 'vigil-rule-read-only',
    name: 'vigil-rule-name',
    description: 'vigil-rule-description',
    severity: 'vigil-rule-severity',
    datasource: 'vigil-rule-datasource',
    query: 'vigil-rule-query',
    /** The sidecar's query error, with a caret under the position it names. */
    queryError: 'vigil-rule-query-error',
    conditionKind: 'vigil-rule-condition-kind',
    op: 'vigil-rule-op',
    threshold: 'vigil-rule-threshold',
    baselineDays: 'vigil-rule-baseline-days',
    stddevs: 'vigil-rule-stddevs',
    minSamples: 'vigil-rule-min-samples',
    detector: 'vigil-rule-detector',
    minConfidence: 'vigil-rule-min-confidence',
    forDuration: 'vigil-rule-for',
    keepFiringFor: 'vigil-rule-keep-firing-for',
    interval: 'vigil-rule-interval',
    labelKey: 'vigil-rule-label-key',
    labelValue: 'vigil-rule-label-value',
    addLabel: 'vigil-rule-add-label',
    summary: 'vigil-rule-summary',
    annotationDescription: 'vigil-rule-annotation-description',
    runbookUrl: 'vigil-rule-runbook-url',
    dashboardUrl: 'vigil-rule-dashboard-url',
    addAnnotation: 'vigil-rule-add-annotation',
    actions: 'vigil-rule-actions',
    noDataState: 'vigil-rule-nodata-state',
    execErrState: 'vigil-rule-error-state',
    /** Problems the sidecar reported on save that belong to no single field. */
    saveError: 'vigil-rule-save-error',
    save: 'vigil-rule-save',
    cancel: 'vigil-rule-cancel',
  },
  preview: {
    container: 'vigil-preview',
    range: 'vigil-preview-range',
    run: 'vigil-preview-run',
    /** The backtest chart (a canvas): series, threshold or band, pending and firing intervals. */
    chart: 'vigil-preview-chart',
    /** "Would have fired N times …"; `data-fired` holds N. */
    summary: 'vigil-preview-summary',
    events: 'vigil-preview-events',
    event: 'vigil-preview-event',
    loading: 'vigil-preview-loading',
    empty: 'vigil-preview-empty',
    error: 'vigil-preview-error',
  },
  settings: {
    health: 'vigil-settings-health',
    healthStatus: 'vigil-settings-health-status',
    datasource: 'vigil-settings-datasource',
  },
} as const;
