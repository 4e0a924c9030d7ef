import { PanelPlugin } from '@grafana/data';
import { SloPanel } from './SloPanel';
import { defaultSloOptions, type SloOptions } from './types';

/** The Vigil SLO / error budget panel (nested in the app as `vigil-slo-panel`). */
export const plugin = new PanelPlugin<SloOptions>(SloPanel).setPanelOptions((builder) =>
  builder
    .addNumberInput({
      path: 'objective',
      name: 'Objective (%)',
      description: 'Target SLI in percent, strictly between 0 and 100 (e.g. 99.9).',
      defaultValue: defaultSloOptions.objective,
      settings: { min: 0, max: 100, step: 0.01 },
    })
    .addTextInput({
      path: 'window',
      name: 'Window',
      description: 'The SLI is averaged over this window before the latest point (e.g. 5m, 1h, 30d).',
      defaultValue: defaultSloOptions.window,
    })
    .addRadio({
      path: 'sliUnit',
      name: 'SLI unit',
      description: 'Whether the query returns a ratio (0 to 1) or a percentage (0 to 100).',
      defaultValue: defaultSloOptions.sliUnit,
      settings: {
        options: [
          { value: 'auto', label: 'Auto' },
          { value: 'ratio', label: 'Ratio' },
          { value: 'percent', label: 'Percent' },
        ],
      },
    })
);
