/** Options of the alert summary panel. */
export interface AlertsOptions {
  /** How many alerts the list shows at most (the guide's AlertSummaryWidget `max_items`). */
  maxItems: number;
}

/** Defaults, from the guide's `activeAlertsWidget`. */
export const defaultAlertsOptions: AlertsOptions = { maxItems: 10 };
