import {
  FieldConfigProperty,
  PanelOptionsEditorBuilder,
  type PanelPlugin,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
} from '@grafana/data';
import { plugin as alerts } from './alerts/module';
import { plugin as anomaly } from './anomaly/module';
import { defaultAnomalyOptions } from './anomaly/types';
import { plugin as slo } from './slo/module';

// Grafana core fills these registries at start-up; the builders look their editors up by id.
const ids = ['text', 'number', 'boolean', 'radio', 'select', 'multi-select', 'unit', 'thresholds', 'color', 'slider'];
beforeAll(() => {
  standardEditorsRegistry.setInit(() => ids.map((id) => ({ id, name: id, editor: () => null })));
  standardFieldConfigEditorRegistry.setInit(() =>
    [
      FieldConfigProperty.Unit,
      FieldConfigProperty.Decimals,
      FieldConfigProperty.Min,
      FieldConfigProperty.Max,
      FieldConfigProperty.DisplayName,
      FieldConfigProperty.Color,
      FieldConfigProperty.Thresholds,
      FieldConfigProperty.Mappings,
      FieldConfigProperty.Links,
      FieldConfigProperty.NoValue,
    ].map((id) => ({
      id,
      path: id,
      name: id,
      editor: () => null,
      override: () => null,
      process: (v: unknown) => v,
      shouldApply: () => true,
    }))
  );
});

function optionItems(p: PanelPlugin) {
  type Builder = PanelOptionsEditorBuilder<Record<string, unknown>>;
  const builder: Builder = new PanelOptionsEditorBuilder();
  // the plugins' option suppliers, as Grafana's options pane runs them
  (p as unknown as { optionsSupplier: (b: Builder, c: object) => void }).optionsSupplier(builder, { data: [] });
  return builder.getItems();
}

describe('options editors, in Grafana’s conventions', () => {
  test.each([
    ['anomaly', anomaly],
    ['slo', slo],
    ['alerts', alerts],
  ])('%s: every option has a description, a category and a default', (_name, p) => {
    for (const item of optionItems(p)) {
      expect([item.path, item.description]).toEqual([item.path, expect.stringMatching(/\w/)]);
      expect([item.path, item.category?.length]).toEqual([item.path, 1]);
      expect([item.path, item.defaultValue !== undefined]).toEqual([item.path, true]);
    }
  });

  test('option keys dashboards use are kept', () => {
    expect(Object.keys(anomaly.defaults).sort()).toEqual(['scoring', 'sensitivity', 'showIncidents', 'window']);
    expect(anomaly.defaults).toEqual(defaultAnomalyOptions);
    expect(Object.keys(slo.defaults)).toEqual(
      expect.arrayContaining(['source', 'sidecarShow', 'service', 'sloId', 'objective', 'window', 'sliUnit'])
    );
    expect(Object.keys(alerts.defaults).sort()).toEqual(['groupBy', 'maxItems', 'severities', 'source']);
  });

  test('the anomaly overlay takes the standard field options that apply to a line, and thresholds style', () => {
    const fieldOptions = anomaly.fieldConfigRegistry.list().map((i) => i.id);
    expect(fieldOptions).toEqual(
      expect.arrayContaining(['unit', 'decimals', 'min', 'max', 'displayName', 'color', 'thresholds'])
    );
    expect(fieldOptions).not.toContain('mappings');
    expect(fieldOptions).not.toContain('links');
    // the id and value Grafana's time series panel stores thresholds' style under
    expect(fieldOptions).toContain('custom.thresholdsStyle');
    expect(anomaly.fieldConfigDefaults.defaults.custom).toEqual({ thresholdsStyle: { mode: 'off' } });
  });

  test('the SLO and alert panels compute their own figures: no field options to mislead', () => {
    expect(slo.fieldConfigRegistry.list()).toEqual([]);
    expect(alerts.fieldConfigRegistry.list()).toEqual([]);
  });
});
