import { PanelPlugin } from '@grafana/data';
import { AnomalyPanel } from './AnomalyPanel';
import { warmUpPoints } from './detectSeries';
import { defaultAnomalyOptions, type AnomalyOptions } from './types';

/** The Vigil anomaly overlay panel (nested in the app as `vigil-anomaly-panel`). */
export const plugin = new PanelPlugin<AnomalyOptions>(AnomalyPanel).setPanelOptions((builder) =>
  builder
    .addNumberInput({
      path: 'sensitivity',
      name: 'Sensitivity (σ)',
      description: 'Standard deviations from the expected value: the half-width of the expected band.',
      defaultValue: defaultAnomalyOptions.sensitivity,
      settings: { min: 0.5, step: 0.5 },
    })
    .addNumberInput({
      path: 'window',
      name: 'Window (points)',
      description: 'Number of recent points the detector learns the expected value from (at least 20).',
      defaultValue: defaultAnomalyOptions.window,
      settings: { min: 20, integer: true },
    })
    .addRadio({
      path: 'scoring',
      name: 'Scoring',
      description:
        'Likelihood: as the Vigil sidecar alerts, one early mark per incident, from point ' +
        `${warmUpPoints({}) + 1} of the series on. Guide: every point beyond the band, and trend changes.`,
      defaultValue: defaultAnomalyOptions.scoring,
      settings: {
        options: [
          { value: 'likelihood', label: 'Likelihood' },
          { value: 'guide', label: 'Guide (σ band)' },
        ],
      },
    })
);
