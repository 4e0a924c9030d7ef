import React from 'react';
import type { StandardEditorProps } from '@grafana/data';
import type { GraphThresholdsStyleConfig, GraphThresholdsStyleMode } from '@grafana/schema';
import { RadioButtonGroup } from '@grafana/ui';

// @grafana/schema's GraphThresholdsStyleMode values, as literals: the module's options must not need
// @grafana/schema at load time (tools read them with only @grafana/data at hand)
const mode = (m: `${GraphThresholdsStyleMode}`) => m as GraphThresholdsStyleMode;

/** How thresholds can be drawn, as Grafana's time series panel offers them. */
export const THRESHOLDS_STYLES = [
  { value: mode('off'), label: 'Off' },
  { value: mode('line'), label: 'As lines' },
  { value: mode('dashed'), label: 'As lines (dashed)' },
  { value: mode('area'), label: 'As filled regions' },
  { value: mode('line+area'), label: 'As filled regions and lines' },
];

/** Default: thresholds not drawn. */
export const DEFAULT_THRESHOLDS_STYLE: GraphThresholdsStyleConfig = { mode: mode('off') };

/**
 * The "Show thresholds" field option: `custom.thresholdsStyle = { mode }`, the value Grafana's time
 * series panel stores there (its own editor is in Grafana core, not shared with plugins).
 */
export function ThresholdsStyleEditor({ value, onChange }: StandardEditorProps<GraphThresholdsStyleConfig>) {
  return (
    <RadioButtonGroup
      options={THRESHOLDS_STYLES}
      value={value?.mode ?? DEFAULT_THRESHOLDS_STYLE.mode}
      onChange={(m) => onChange({ ...value, mode: m })}
    />
  );
}
