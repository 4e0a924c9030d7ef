import {
  applyFieldOverrides,
  createTheme,
  type DataFrame,
  dateTime,
  EventBusSrv,
  LoadingState,
  type PanelData,
  type PanelProps,
} from '@grafana/data';

/** Time range of the test panels: one hour in January 2026 (UTC). */
export const testTimeRange = (() => {
  const from = dateTime(Date.UTC(2026, 0, 1, 0, 0));
  const to = dateTime(Date.UTC(2026, 0, 1, 1, 0));
  return { from, to, raw: { from, to } };
})();

/**
 * Real `PanelProps` for a panel under test: the frames go through `applyFieldOverrides` as Grafana's
 * panel query runner does, so fields carry display processors like in a dashboard.
 */
export function panelProps<T>(
  options: T,
  series: DataFrame[],
  data: Partial<Omit<PanelData, 'series'>> = {}
): PanelProps<T> {
  const theme = createTheme();
  const processed = applyFieldOverrides({
    data: series,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (s: string) => s,
    theme,
    timeZone: 'utc',
  });
  return {
    id: 1,
    data: { state: LoadingState.Done, timeRange: testTimeRange, ...data, series: processed },
    timeRange: testTimeRange,
    timeZone: 'utc',
    options,
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 600,
    height: 300,
    renderCounter: 0,
    title: 'test panel',
    eventBus: new EventBusSrv(),
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    replaceVariables: (s: string) => s,
    onChangeTimeRange: () => {},
  };
}
