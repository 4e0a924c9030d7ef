/**
 * The option-editor and standard field-config registries. @grafana/data ships them empty; Grafana core
 * fills them at start-up (public/app/core/components/OptionsUI/registry.tsx). Panel plugins need them
 * even outside the options pane: `builder.addNumberInput()` looks up the "number" editor when the
 * plugin's defaults are computed, and `applyFieldOverrides` processes unit, min/max, decimals,
 * thresholds… through the field-config items. The host shows no options pane, so its editors render
 * nothing; the field-config items use @grafana/data's real processors and Grafana's defaults.
 */
import { ext } from './externals';

const NO_EDITOR = () => null;

/** Editor ids Grafana core registers (the builders' `addXxx` methods look these up). */
const EDITOR_IDS = [
  'text',
  'number',
  'slider',
  'boolean',
  'radio',
  'select',
  'unit',
  'links',
  'stats-picker',
  'strings',
  'timezone',
  'fieldColor',
  'color',
  'multi-select',
  'field-name',
  'dashboard-uid',
  'mappings',
  'thresholds',
];

/** Registers both registries; call once, before any panel plugin computes its defaults. */
export function installRegistries(): void {
  const data = ext['@grafana/data'] as any;
  data.standardEditorsRegistry.setInit(() =>
    EDITOR_IDS.map((id) => ({ id, name: id, description: '', editor: NO_EDITOR }))
  );
  const field = (
    id: string,
    process: unknown,
    shouldApply: (f: { type: string }) => boolean,
    defaultValue?: unknown
  ) => ({
    id,
    path: id,
    name: id,
    editor: NO_EDITOR,
    override: NO_EDITOR,
    process,
    shouldApply,
    defaultValue,
    settings: {},
  });
  const always = () => true;
  const numeric = (f: { type: string }) => f.type === 'number';
  data.standardFieldConfigEditorRegistry.setInit(() => [
    field('unit', data.stringOverrideProcessor, always),
    field('min', data.numberOverrideProcessor, numeric),
    field('max', data.numberOverrideProcessor, numeric),
    field('decimals', data.numberOverrideProcessor, numeric),
    field('displayName', data.displayNameOverrideProcessor, always),
    field('color', data.identityOverrideProcessor, always),
    field('noValue', data.stringOverrideProcessor, always),
    field('links', data.dataLinksOverrideProcessor, always),
    field('mappings', data.valueMappingsOverrideProcessor, (f) => f.type !== 'time', []),
    // Grafana's default thresholds: green, red from 80.
    field('thresholds', data.thresholdsOverrideProcessor, always, {
      mode: 'absolute',
      steps: [
        { value: -Infinity, color: 'green' },
        { value: 80, color: 'red' },
      ],
    }),
  ]);
}
