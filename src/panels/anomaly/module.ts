import { FieldConfigProperty, identityOverrideProcessor, PanelPlugin } from '@grafana/data';
import { AnomalyPanel } from './AnomalyPanel';
import { DEFAULT_THRESHOLDS_STYLE, ThresholdsStyleEditor } from './ThresholdsStyleEditor';
import { warmUpPoints } from './detectSeries';
import { defaultAnomalyOptions, type AnomalyFieldConfig, type AnomalyOptions } from './types';

const DETECTOR = ['Detector'];
const DISPLAY = ['Anomaly overlay'];

/**
 * The Vigil anomaly overlay panel (nested in the app as `vigil-anomaly-panel`). Its options follow
 * Grafana's time series panel: the detector's settings in their own category, and the standard field
 * options that apply to a line (unit, decimals, min/max, display name, colour, thresholds, with
 * overrides per series); thresholds are drawn as the time series panel draws them ("Show thresholds").
 */
export const plugin = new PanelPlugin<AnomalyOptions, AnomalyFieldConfig>(AnomalyPanel)
  .useFieldConfig({
    // value mappings, data links and actions, "no value" and table filters have nowhere to show on
    // this chart (it has no tooltip, stat or table); the rest apply to each metric line and its band
    disableStandardOptions: [
      FieldConfigProperty.Mappings,
      FieldConfigProperty.Links,
      FieldConfigProperty.Actions,
      FieldConfigProperty.NoValue,
      FieldConfigProperty.Filterable,
    ],
    useCustomConfig: (builder) =>
      builder.addCustomEditor({
        id: 'thresholdsStyle',
        path: 'thresholdsStyle',
        name: 'Show thresholds',
        description: 'Draw the thresholds (e.g. the alert rule’s) as lines or areas behind the series.',
        category: ['Thresholds'],
        defaultValue: DEFAULT_THRESHOLDS_STYLE,
        editor: ThresholdsStyleEditor,
        override: ThresholdsStyleEditor,
        process: identityOverrideProcessor,
        shouldApply: () => true,
      }),
  })
  .setPanelOptions((builder) =>
    builder
      .addNumberInput({
        path: 'sensitivity',
        name: 'Sensitivity (σ)',
        description: 'Standard deviations from the expected value: the half-width of the expected band.',
        category: DETECTOR,
        defaultValue: defaultAnomalyOptions.sensitivity,
        settings: { min: 0.5, step: 0.5 },
      })
      .addNumberInput({
        path: 'window',
        name: 'Window (points)',
        description: 'Number of recent points the detector learns the expected value from (at least 20).',
        category: DETECTOR,
        defaultValue: defaultAnomalyOptions.window,
        settings: { min: 20, integer: true },
      })
      .addRadio({
        path: 'scoring',
        name: 'Scoring',
        description:
          'Likelihood: as the Vigil sidecar alerts, one early mark per incident, from point ' +
          `${warmUpPoints({}) + 1} of the series on. Guide: every point beyond the band, and trend changes.`,
        category: DETECTOR,
        defaultValue: defaultAnomalyOptions.scoring,
        settings: {
          options: [
            { value: 'likelihood', label: 'Likelihood' },
            { value: 'guide', label: 'Guide (σ band)' },
          ],
        },
      })
      .addBooleanSwitch({
        path: 'showIncidents',
        name: 'Incident list',
        description: 'List the anomalies under the chart, one row per incident, with links to the app.',
        category: DISPLAY,
        defaultValue: defaultAnomalyOptions.showIncidents,
      })
  );
