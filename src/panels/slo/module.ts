import { PanelPlugin, type SelectableValue } from '@grafana/data';
import { listSlos } from '../../api/slos';
import { SloPanel } from './SloPanel';
import { defaultSloOptions, type SloOptions } from './types';

const fromQuery = (o: SloOptions) => o.source !== 'sidecar';
const SOURCE = ['Source'];
const SLO = ['SLO (from the panel query)'];

/** The sidecar's SLOs as options of the SLO picker (read through the app's plugin proxy). */
export async function sloChoices(): Promise<Array<SelectableValue<string>>> {
  const slos = await listSlos();
  return slos
    .map((s) => ({ value: s.id, label: s.name, description: `${s.service} · ${s.target}% over ${s.window}` }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** The Vigil SLO / error budget panel (nested in the app as `vigil-slo-panel`). */
export const plugin = new PanelPlugin<SloOptions>(SloPanel).setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'source',
      category: SOURCE,
      name: 'Source',
      description:
        "This panel's query: the query returns the SLI and the panel computes the budget. Vigil sidecar: an SLO the sidecar evaluates, with its burn-rate alerts (no query needed).",
      defaultValue: defaultSloOptions.source,
      settings: {
        options: [
          { value: 'query', label: 'Panel query' },
          { value: 'sidecar', label: 'Vigil sidecar' },
        ],
      },
    })
    .addRadio({
      path: 'sidecarShow',
      category: SOURCE,
      name: 'Show',
      description:
        'One SLO with its burn-down, burn-rate alerts and time to exhaustion, or a list of SLOs (one line each).',
      defaultValue: defaultSloOptions.sidecarShow,
      settings: {
        options: [
          { value: 'slo', label: 'One SLO' },
          { value: 'list', label: 'List' },
        ],
      },
      showIf: (o) => o.source === 'sidecar',
    })
    .addTextInput({
      path: 'service',
      category: SOURCE,
      name: 'Service',
      description: "Only this service's SLOs (empty: all of them).",
      defaultValue: defaultSloOptions.service,
      showIf: (o) => o.source === 'sidecar' && o.sidecarShow === 'list',
    })
    .addSelect({
      path: 'sloId',
      category: SOURCE,
      name: 'SLO',
      description: "One of the sidecar's SLOs.",
      defaultValue: defaultSloOptions.sloId,
      settings: { options: [], getOptions: sloChoices },
      showIf: (o) => o.source === 'sidecar' && o.sidecarShow !== 'list',
    })
    .addNumberInput({
      path: 'objective',
      category: SLO,
      name: 'Objective (%)',
      description: 'Target SLI in percent, strictly between 0 and 100 (e.g. 99.9).',
      defaultValue: defaultSloOptions.objective,
      settings: { min: 0, max: 100, step: 0.01 },
      showIf: fromQuery,
    })
    .addTextInput({
      path: 'window',
      category: SLO,
      name: 'Window',
      description: 'The SLI is averaged over this window before the latest point (e.g. 5m, 1h, 30d).',
      defaultValue: defaultSloOptions.window,
      showIf: fromQuery,
    })
    .addRadio({
      path: 'sliUnit',
      category: SLO,
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
      showIf: fromQuery,
    })
);
