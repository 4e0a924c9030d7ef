/**
 * The host page's renderer (bundled by host/build.mjs into host/.build/render.js). It plays the part of
 * Grafana's frontend for one URL:
 *   /panel/<name>?fixture=<file>   a nested panel (dist/panels/<name>/module.js) on host/testdata/<file>.json
 *   /a/vigil-observability-app/…   an app page: plugin.root inside a router, with the app's real meta
 *   /plugins/vigil-observability-app  the app's configuration page (its config tab, as Grafana shows it)
 *   /live                          the three panels side by side on data the host server queried from
 *                                  Prometheus, refreshed every 15 s
 */
import type { AppPlugin, AppPluginMeta, PanelPlugin } from '@grafana/data';
import { ext, h } from './render/externals';
import { loadPluginModule } from './render/amd';
import { installServices } from './render/services';
import { installRegistries } from './render/registries';
import { buildPanelProps, panelElement, type PanelFixture } from './render/panel';

const APP_ID = 'vigil-observability-app';
const APP_BASE = `/public/plugins/${APP_ID}`;
const LIVE_REFRESH_MS = 15_000;

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(`GET ${url}: HTTP ${res.status}`);
  }
  return res.json();
}

function themed(theme: unknown, child: unknown) {
  const { ThemeContext } = ext['@grafana/data'];
  return h(ThemeContext.Provider, { value: theme as any }, h(ext['@grafana/ui'].GlobalStyles), child as any);
}

/** Loads a nested panel's module and gives it its plugin.json meta, as Grafana's plugin loader does. */
async function loadPanel(name: string): Promise<PanelPlugin> {
  const base = `${APP_BASE}/panels/${name}`;
  const json = await getJson<Record<string, unknown>>(`${base}/plugin.json`);
  const mod = await loadPluginModule(`${base}/module.js`);
  if (!mod?.plugin?.panel) {
    throw new Error(`${base}/module.js does not export a panel plugin (exports: ${Object.keys(mod ?? {}).join(', ')})`);
  }
  mod.plugin.meta = { ...json, baseUrl: base.slice(1), module: `${base.slice(1)}/module.js` };
  return mod.plugin;
}

async function renderPanel(root: any, theme: unknown, name: string, params: URLSearchParams) {
  const fixture = await getJson<PanelFixture>(`/testdata/${params.get('fixture') ?? name}.json`);
  const plugin = await loadPanel(name);
  const size = { width: Number(params.get('width') ?? 860), height: Number(params.get('height') ?? 420) };
  root.render(themed(theme, panelElement(plugin, buildPanelProps(plugin, fixture, size, theme, 0), name)));
}

async function renderApp(root: any, theme: unknown, meta: AppPluginMeta) {
  const mod = await loadPluginModule(`${APP_BASE}/module.js`);
  const plugin: AppPlugin = mod?.plugin;
  if (!plugin?.root) {
    throw new Error(`${APP_BASE}/module.js does not export an app plugin with a root page`);
  }
  plugin.init(meta);
  plugin.meta = meta;
  const { MemoryRouter } = ext['react-router'];
  const { PluginContextProvider } = ext['@grafana/data'];
  const props = {
    meta,
    basename: `/a/${APP_ID}`,
    query: Object.fromEntries(new URLSearchParams(location.search)),
    path: location.pathname,
    onNavChanged: () => {},
  };
  root.render(
    themed(
      theme,
      h(
        PluginContextProvider,
        { meta } as any,
        h(MemoryRouter, { initialEntries: [location.pathname + location.search] }, h(plugin.root as any, props))
      )
    )
  );
}

/** The app's configuration page, as on Grafana's plugin page (/plugins/<id>): its first config tab. */
async function renderConfig(root: any, theme: unknown, meta: AppPluginMeta, params: URLSearchParams) {
  const mod = await loadPluginModule(`${APP_BASE}/module.js`);
  const plugin: AppPlugin = mod?.plugin;
  plugin.init(meta);
  plugin.meta = meta;
  const pages = plugin.configPages ?? [];
  const page = pages.find((p) => p.id === params.get('page')) ?? pages[0];
  if (!page) {
    throw new Error(`${APP_BASE}/module.js has no configuration page (addConfigPage)`);
  }
  const query = Object.fromEntries(params);
  root.render(
    themed(
      theme,
      h(
        'div',
        { style: { padding: 24 } },
        h('h1', null, meta.name),
        h('h2', null, page.title),
        h(page.body as any, { plugin, query })
      )
    )
  );
}

async function renderLive(root: any, theme: unknown) {
  const names = ['anomaly', 'slo', 'alerts'] as const;
  const plugins = await Promise.all(names.map(loadPanel));
  let counter = 0;
  const refresh = async () => {
    const live = await getJson<
      { updatedAt: string; prometheusUrl: string } & Record<(typeof names)[number], PanelFixture>
    >('/api/live/frames');
    const width = Math.max(360, Math.floor((window.innerWidth - 64) / 3));
    counter++;
    root.render(
      themed(
        theme,
        h(
          'div',
          { 'data-host-live': 'ready', style: { padding: 8 } },
          h('h1', { style: { margin: 8 } }, 'Vigil live'),
          h(
            'div',
            { style: { margin: 8, opacity: 0.8 }, 'data-host-live-updated': live.updatedAt },
            `Data from Prometheus ${live.prometheusUrl}, updated ${live.updatedAt}, refreshing every ${LIVE_REFRESH_MS / 1000} s`
          ),
          h(
            'div',
            { style: { display: 'flex', flexWrap: 'nowrap' } },
            names.map((n, i) =>
              h(
                'div',
                { key: n },
                panelElement(
                  plugins[i],
                  buildPanelProps(plugins[i], live[n], { width, height: 440 }, theme, counter),
                  n
                )
              )
            )
          )
        )
      )
    );
  };
  await refresh();
  setInterval(() => refresh().catch(report), LIVE_REFRESH_MS);
}

function report(e: unknown) {
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  console.error(`host render: ${message}`);
  const box = document.createElement('pre');
  box.setAttribute('data-host-error', '');
  box.style.cssText = 'color:#f55;white-space:pre-wrap;padding:16px';
  box.textContent = message;
  document.body.appendChild(box);
}

async function main() {
  const { createTheme } = ext['@grafana/data'];
  const theme = createTheme({ colors: { mode: 'dark' } });
  const meta = await getJson<AppPluginMeta>(`/api/plugins/${APP_ID}/settings`);
  installServices(meta);
  installRegistries();
  const root = ext['react-dom/client'].createRoot(document.getElementById('reactRoot')!);
  const path = location.pathname;
  const panel = /^\/panel\/([a-z0-9-]+)$/.exec(path);
  if (panel) {
    await renderPanel(root, theme, panel[1], new URLSearchParams(location.search));
  } else if (path.startsWith(`/a/${APP_ID}`)) {
    await renderApp(root, theme, meta);
  } else if (path === `/plugins/${APP_ID}`) {
    await renderConfig(root, theme, meta, new URLSearchParams(location.search));
  } else if (path === '/live') {
    await renderLive(root, theme);
  } else {
    throw new Error(`the host page does not know what to render at ${path}`);
  }
}

main().catch(report);
