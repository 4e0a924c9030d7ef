/**
 * Renders a panel plugin the way a Grafana dashboard does: option and field-config defaults taken from
 * the plugin, fixture frames passed through `applyFieldOverrides` with the plugin's field-config
 * registry, and real `PanelProps` (PanelData, time range, event bus, callbacks).
 */
import type { DataFrame, PanelPlugin } from '@grafana/data';
import { ext, h } from './externals';

/** A panel's input as stored in host/testdata/*.json or produced by the live endpoint. */
export interface PanelFixture {
  title: string;
  options?: Record<string, unknown>;
  fieldConfig?: { defaults?: Record<string, unknown>; overrides?: unknown[] };
  frames: Array<{
    name?: string;
    refId?: string;
    meta?: Record<string, unknown>;
    fields: Array<{
      name: string;
      type: string;
      values: unknown[];
      config?: Record<string, unknown>;
      labels?: Record<string, string>;
    }>;
  }>;
  /** Live data: the error a real query returned (rendered as Grafana would: PanelData.errors). */
  error?: string;
  /** Live data: the dashboard time range queried (ms); fixtures use the span of their frames. */
  timeRange?: { from: number; to: number };
}

function toFrames(fixture: PanelFixture): DataFrame[] {
  const { toDataFrame } = ext['@grafana/data'];
  return fixture.frames.map((f) => toDataFrame({ ...f, fields: f.fields.map((x) => ({ config: {}, ...x })) }));
}

/** The time range the frames cover (fixtures carry absolute timestamps, so "now" must not matter). */
function frameTimeRange(frames: DataFrame[]) {
  const { getDefaultTimeRange } = ext['@grafana/data'];
  let min = Infinity;
  let max = -Infinity;
  for (const frame of frames) {
    for (const field of frame.fields) {
      if (field.type !== 'time') {
        continue;
      }
      for (const v of field.values) {
        min = Math.min(min, Number(v));
        max = Math.max(max, Number(v));
      }
    }
  }
  if (!Number.isFinite(min) || min === max) {
    return getDefaultTimeRange();
  }
  return absoluteRange(min, max);
}

function absoluteRange(fromMs: number, toMs: number) {
  const { dateTime } = ext['@grafana/data'];
  const from = dateTime(fromMs);
  const to = dateTime(toMs);
  return { from, to, raw: { from, to } };
}

/** Builds the props Grafana passes to `plugin.panel`. */
export function buildPanelProps(
  plugin: PanelPlugin,
  fixture: PanelFixture,
  size: { width: number; height: number },
  theme: unknown,
  renderCounter: number
) {
  const data = ext['@grafana/data'];
  const { merge, cloneDeep } = ext.lodash;
  const options = merge({}, cloneDeep(plugin.defaults ?? {}), fixture.options ?? {});
  const pluginFieldDefaults = plugin.fieldConfigDefaults;
  const fieldConfig = {
    defaults: merge({}, cloneDeep(pluginFieldDefaults.defaults), fixture.fieldConfig?.defaults ?? {}),
    overrides: [...(pluginFieldDefaults.overrides ?? []), ...((fixture.fieldConfig?.overrides as any[]) ?? [])],
  };
  const raw = toFrames(fixture);
  const timeRange = fixture.timeRange
    ? absoluteRange(fixture.timeRange.from, fixture.timeRange.to)
    : frameTimeRange(raw);
  const replaceVariables = (s: string) => s;
  const series = data.applyFieldOverrides({
    data: raw,
    fieldConfig,
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables,
    theme: theme as any,
    timeZone: 'utc',
  });
  const errors = fixture.error ? [{ message: fixture.error }] : undefined;
  return {
    id: 1,
    data: {
      series,
      state: errors ? data.LoadingState.Error : data.LoadingState.Done,
      timeRange,
      errors,
      error: errors?.[0],
    },
    timeRange,
    timeZone: 'utc',
    options,
    fieldConfig,
    transparent: false,
    width: size.width,
    height: size.height,
    renderCounter,
    title: fixture.title,
    eventBus: new data.EventBusSrv(),
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    replaceVariables,
    onChangeTimeRange: () => {},
  };
}

/** A panel inside Grafana's panel chrome, reduced to a titled box of the panel's size. */
export function panelElement(plugin: PanelPlugin, props: ReturnType<typeof buildPanelProps>, name: string) {
  const ui = ext['@grafana/ui'];
  return h(
    'section',
    { 'data-host-panel': name, style: { display: 'inline-block', verticalAlign: 'top', margin: 8 } },
    // PanelChrome hands its content the inner size, as a dashboard panel gets it.
    h(ui.PanelChrome, {
      title: props.title,
      width: props.width,
      height: props.height,
      children: (width: number, height: number) => h(plugin.panel as any, { ...props, width, height }),
    })
  );
}
