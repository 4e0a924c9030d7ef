/**
 * HTML of the host page and the index page.
 *
 * The host page stands in for Grafana's index.html: `grafanaBootData` (read by @grafana/runtime's config
 * when the shared modules are evaluated), the public path Grafana's UI uses for icons and fonts, the
 * line's shared modules, then the renderer.
 */
import { APP_ID, PAGES, PANEL_FIXTURES } from './site.mjs';

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** The page every panel, app page and /live is rendered in. */
export function hostPage({ line, version }) {
  const boot = {
    settings: {
      appSubUrl: '',
      appUrl: '/',
      buildInfo: { version, edition: 'Open Source', env: 'production' },
      featureToggles: {},
      panels: {},
      datasources: {},
      apps: {},
      bootData: {},
      defaultDatasource: '',
    },
    user: {
      id: 1,
      login: 'admin',
      name: 'admin',
      isSignedIn: true,
      orgId: 1,
      orgRole: 'Admin',
      theme: 'dark',
      locale: 'en-US',
      timezone: 'utc',
      permissions: {},
    },
    navTree: [],
    assets: {},
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Vigil host · Grafana ${esc(version)}</title>
<link rel="icon" href="/public/plugins/${APP_ID}/img/logo.svg">
<link rel="stylesheet" href="/host/externals.css">
<script>
  window.grafanaBootData = ${JSON.stringify(boot)};
  window.__grafana_public_path__ = '/public/';
  window.__vigilHostLine = ${JSON.stringify(line)};
</script>
<script src="/host/externals.js"></script>
<script src="/host/render.js"></script>
</head><body class="theme-dark" style="margin:0;background:#111217;color:#ccccdc">
<div id="reactRoot"></div>
</body></html>`;
}

/** Links to everything the host can show. */
export function indexPage({ line, version, live }) {
  const link = (href, text) => `<li><a href="${esc(href)}">${esc(text)}</a></li>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigil host</title>
<link rel="icon" href="/public/plugins/${APP_ID}/img/logo.svg">
<style>body{font-family:sans-serif;background:#111217;color:#ccccdc;padding:24px}a{color:#6e9fff}</style></head>
<body><h1>Vigil host · Grafana ${esc(version)} (line ${esc(line)})</h1>
${live ? `<h2>Live</h2><ul>${link('/live', 'Three panels on Prometheus data')}</ul>` : ''}
<h2>Panels (test fixtures)</h2><ul>${PANEL_FIXTURES.map((f) => link(`/panel/${f.panel}?fixture=${f.fixture}`, `${f.panel} panel on ${f.fixture}.json`)).join('')}</ul>
<h2>App pages</h2><ul>${PAGES.map((p) => link(`/a/${APP_ID}/${p}`, p)).join('')}${link(`/plugins/${APP_ID}`, 'configuration')}</ul>
</body></html>`;
}
