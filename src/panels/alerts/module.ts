import { PanelPlugin, type SelectableValue } from '@grafana/data';
import { SEVERITIES, type Severity } from '@vigil/core/rules/types';
import { AlertsPanel } from './AlertsPanel';
import { defaultAlertsOptions, type AlertsOptions } from './types';

const ALERTS = ['Alerts'];

/** The Vigil alert summary panel (nested in the app as `vigil-alerts-panel`): the guide's AlertSummaryWidget. */
export const plugin = new PanelPlugin<AlertsOptions>(AlertsPanel).setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'source',
      category: ALERTS,
      name: 'Source',
      description:
        "Prometheus ALERTS frames: this panel's query results. Vigil sidecar: the sidecar's alert instances, through the app's proxy (no query needed).",
      defaultValue: defaultAlertsOptions.source,
      settings: {
        options: [
          { value: 'frames', label: 'Prometheus ALERTS frames' },
          { value: 'sidecar', label: 'Vigil sidecar' },
        ],
      },
    })
    .addMultiSelect({
      path: 'severities',
      category: ALERTS,
      name: 'Severity filter',
      description: 'Show only these severities; empty shows all.',
      defaultValue: defaultAlertsOptions.severities,
      // The builder types each option's value as the whole array (the path's type); the editor, as in
      // Grafana's own panels, takes one severity per option.
      settings: {
        options: SEVERITIES.map((s) => ({ value: s, label: s })) as unknown as Array<SelectableValue<Severity[]>>,
      },
    })
    .addNumberInput({
      path: 'maxItems',
      category: ALERTS,
      name: 'Max items',
      description: 'How many alerts the list shows at most, most urgent first.',
      defaultValue: defaultAlertsOptions.maxItems,
      settings: { min: 1, integer: true },
    })
    .addRadio({
      path: 'groupBy',
      category: ALERTS,
      name: 'Group by',
      description: 'Group the list by severity (most urgent first), by the `service` label, or not at all.',
      defaultValue: defaultAlertsOptions.groupBy,
      settings: {
        options: [
          { value: 'severity', label: 'Severity' },
          { value: 'service', label: 'Service' },
          { value: 'none', label: 'None' },
        ],
      },
    })
);
