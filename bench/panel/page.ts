/**
 * The bench:panel page script, served in place of the host's render.js (bench/panel.mjs): the same host
 * page (Grafana's shared modules for one line, the host's services and registries), then both charts on
 * the same frames, one after the other, in this one page:
 *   overlay  the built anomaly overlay panel (dist/panels/anomaly/module.js, loaded by the host's AMD
 *            loader as Grafana loads it) with real PanelProps: its detector over every series + its chart;
 *   plain    @grafana/ui's `TimeSeries` — GraphNG → preparePlotFrame → preparePlotConfigBuilder →
 *            UPlotChart with a list legend, the chart Grafana's time series panel draws — on the same
 *            frames with the time series panel's default field config;
 *   marked   the overlay panel on the same series carrying the detector's verdicts (expected, lower,
 *            upper, anomaly), as the sidecar's /api/v1/detect returns them: drawing only.
 * One run mounts a fresh root, renders synchronously (flushSync) and waits for the next frame to be
 * painted (requestAnimationFrame, then a task): "data in" to "painted". For the overlay, painted
 * means with its marks and band: when it detects in its worker, the run waits for the answer to be
 * drawn into the plot and painted.
 */
import type { DataFrame, PanelPlugin } from '@grafana/data';
import { ext, h } from '../../host/render/externals';
import { loadPluginModule } from '../../host/render/amd';
import { installServices } from '../../host/render/services';
import { installRegistries } from '../../host/render/registries';
import { buildPanelProps, type PanelFixture } from '../../host/render/panel';
import { StreamingDetector } from '../../core/src/index';
import { benchSeries } from './series';

const APP_ID = 'vigil-observability-app';
const BASE = `/public/plugins/${APP_ID}/panels/anomaly`;
const SIZE = { width: 1200, height: 600 };

/** Grafana's time series panel field defaults (public/app/plugins/panel/timeseries, `defaultGraphConfig`). */
const TIMESERIES_CUSTOM = {
  drawStyle: 'line',
  lineInterpolation: 'linear',
  lineWidth: 1,
  fillOpacity: 0,
  gradientMode: 'none',
  barAlignment: 0,
  barWidthFactor: 0.6,
  stacking: { mode: 'none', group: 'A' },
  axisPlacement: 'auto',
  axisColorMode: 'text',
  axisBorderShow: false,
  axisCenteredZero: false,
  scaleDistribution: { type: 'linear' },
  showPoints: 'auto',
  pointSize: 5,
  spanNulls: false,
  insertNulls: false,
  hideFrom: { legend: false, tooltip: false, viz: false },
  thresholdsStyle: { mode: 'off' },
};

/** overlay: detection and drawing; marked: the overlay on frames that carry the verdicts; plain: Grafana's chart. */
type Kind = 'overlay' | 'marked' | 'plain';

/** What one run measured and what it drew (to check that both sides drew the series). */
export interface RunResult {
  ms: number;
  /** Until the chart's canvas was in the page (the lines; the overlay's marks may come later). */
  linesMs: number;
  colouredPixels: number;
  text: string;
}

async function loadPanel(): Promise<PanelPlugin> {
  const json = await (await fetch(`${BASE}/plugin.json`)).json();
  const mod = await loadPluginModule(`${BASE}/module.js`);
  mod.plugin.meta = { ...json, baseUrl: BASE.slice(1), module: `${BASE.slice(1)}/module.js` };
  return mod.plugin;
}

/** Fresh frame and field objects over the same value arrays: a new query result, as on a refresh. */
function fresh(frames: DataFrame[], custom?: object): DataFrame[] {
  return frames.map((f) => ({
    ...f,
    fields: f.fields.map((x) => ({
      ...x,
      // the time series panel's default colour scheme: the classic palette by series index
      config: custom ? { ...x.config, custom, color: { mode: 'palette-classic' } } : { ...x.config },
    })),
  }));
}

function colouredPixels(root: HTMLElement): number {
  let best = 0;
  for (const c of Array.from(root.querySelectorAll('canvas'))) {
    if (!c.width || !c.height) {
      continue;
    }
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) {
        n++;
      }
    }
    best = Math.max(best, n);
  }
  return best;
}

/**
 * Resolves as soon as `busy()` is false, checked on every change under `el` (a mutation observer:
 * no frame-sized polling steps in the timing), giving up after 10 s.
 */
function whenNot(el: HTMLElement, busy: () => boolean): Promise<void> {
  if (!busy()) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    };
    const observer = new MutationObserver(() => !busy() && done());
    observer.observe(el, { subtree: true, childList: true, attributes: true });
    const timer = setTimeout(done, 10_000);
  });
}

const nextPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function setup(series: number, points: number, options: Record<string, unknown> = {}) {
  const { createTheme, ThemeContext } = ext['@grafana/data'];
  const ui = ext['@grafana/ui'] as any;
  const reactDom = (window as any).__grafanaExternals['react-dom'];
  const theme = createTheme({ colors: { mode: 'dark' } });
  const meta = await (await fetch(`/api/plugins/${APP_ID}/settings`)).json();
  installServices(meta);
  installRegistries();
  const plugin = await loadPanel();
  const fixture: PanelFixture = {
    title: 'bench',
    options,
    frames: benchSeries(series, points).map((s) => ({
      name: s.name,
      refId: 'A',
      fields: [
        { name: 'Time', type: 'time', values: s.times },
        { name: s.name, type: 'number', values: s.values, labels: { series: s.name } },
      ],
    })),
  };
  const props = buildPanelProps(plugin, fixture, SIZE, theme, 0);
  // The same series carrying the detector's verdicts, as the sidecar's /api/v1/detect returns them
  // (computed here once, outside any timing): the overlay then only draws.
  const marked: PanelFixture = {
    title: 'bench (verdicts in the frames)',
    frames: fixture.frames.map((f) => {
      const times = f.fields[0].values as number[];
      const values = f.fields[1].values as number[];
      const d = new StreamingDetector({});
      const cols = {
        expected: [] as Array<number | null>,
        lower: [] as Array<number | null>,
        upper: [] as Array<number | null>,
        anomaly: [] as number[],
      };
      values.forEach((v, i) => {
        const r = d.detect(v, times[i]);
        const ok = r.reason === 'ok';
        cols.expected.push(ok ? r.expected : null);
        cols.lower.push(ok ? r.lower : null);
        cols.upper.push(ok ? r.upper : null);
        cols.anomaly.push(r.isAnomaly ? 1 : 0);
      });
      return {
        ...f,
        fields: [
          ...f.fields,
          ...(['expected', 'lower', 'upper', 'anomaly'] as const).map((name) => ({
            name,
            type: 'number',
            values: cols[name],
          })),
        ],
      };
    }),
  };
  const markedProps = buildPanelProps(plugin, marked, SIZE, theme, 0);
  const themed = (child: unknown) => h(ThemeContext.Provider, { value: theme as any }, child as any);
  const legend = { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] };

  const element = (kind: Kind) => {
    if (kind === 'overlay' || kind === 'marked') {
      const p = kind === 'overlay' ? props : markedProps;
      const series = fresh(p.data.series);
      return themed(h(plugin.panel as any, { ...p, data: { ...p.data, series } }));
    }
    return themed(
      h(ui.TimeSeries, {
        frames: fresh(props.data.series, TIMESERIES_CUSTOM),
        timeRange: props.timeRange,
        timeZone: props.timeZone,
        width: SIZE.width,
        height: SIZE.height,
        legend,
      })
    );
  };

  /** Mounts one chart, times it to the first painted frame, checks what it drew, unmounts it. */
  async function run(kind: Kind, check = true): Promise<RunResult> {
    const el = document.createElement('div');
    el.style.cssText = `width:${SIZE.width}px;height:${SIZE.height}px;overflow:hidden`;
    document.body.appendChild(el);
    const root = ext['react-dom/client'].createRoot(el);
    const node = element(kind);
    await nextPaint();
    const t0 = performance.now();
    reactDom.flushSync(() => root.render(node));
    // Both charts sit in Grafana's VizLayout, which mounts the plot once it has measured the legend
    // (a ResizeObserver, after layout): wait for uPlot's canvas, then for the frame that paints it.
    // The overlay's detection on many points runs in its worker while the chart draws the lines: the
    // run ends when its answer is drawn too (the panel's data-detection="done", the band and marks
    // drawn into the plot), then painted.
    let linesMs = Number.NaN;
    const drawing = () => {
      if (linesMs !== linesMs && el.querySelector('canvas')) {
        linesMs = performance.now() - t0;
      }
      return !el.querySelector('canvas') || el.querySelector('[data-detection="pending"]') !== null;
    };
    await whenNot(el, drawing);
    await nextPaint();
    const ms = performance.now() - t0;
    const result = check
      ? { ms, linesMs, colouredPixels: colouredPixels(el), text: el.innerText.slice(0, 300) }
      : { ms, linesMs, colouredPixels: -1, text: '' };
    root.unmount();
    el.remove();
    return result;
  }
  return { run, plugin: plugin.meta.id };
}

(window as any).__panelBench = { setup };
(window as any).__panelBenchReady = true;
