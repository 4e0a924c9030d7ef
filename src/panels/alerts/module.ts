import { PanelPlugin } from '@grafana/data';
import { AlertsPanel } from './AlertsPanel';
import { defaultAlertsOptions, type AlertsOptions } from './types';

/** The Vigil alert summary panel (nested in the app as `vigil-alerts-panel`). */
export const plugin = new PanelPlugin<AlertsOptions>(AlertsPanel).setPanelOptions((builder) =>
  builder.addNumberInput({
    path: 'maxItems',
    name: 'Max items',
    description: 'How many alerts the list shows at most, most urgent first.',
    defaultValue: defaultAlertsOptions.maxItems,
    settings: { min: 1, integer: true },
  })
);
