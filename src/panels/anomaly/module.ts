import { PanelPlugin } from '@grafana/data';
import { AnomalyPanel } from './AnomalyPanel';
import { defaultAnomalyOptions, type AnomalyOptions } from './types';

/** The Vigil anomaly overlay panel (nested in the app as `vigil-anomaly-panel`). */
export const plugin = new PanelPlugin<AnomalyOptions>(AnomalyPanel).setPanelOptions((builder) =>
  builder
    .addNumberInput({
      path: 'sensitivity',
      name: 'Sensitivity (σ)',
      description: 'Standard deviations from the expected value that make a point an anomaly.',
      defaultValue: defaultAnomalyOptions.sensitivity,
      settings: { min: 0.5, step: 0.5 },
    })
    .addNumberInput({
      path: 'window',
      name: 'Window (points)',
      description: 'Number of recent points the detector learns the expected value from.',
      defaultValue: defaultAnomalyOptions.window,
      settings: { min: 2, integer: true },
    })
);
