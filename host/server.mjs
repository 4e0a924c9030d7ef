/**
 * The host server: what a Grafana server serves to the browser for this plugin, without Grafana.
 *
 *   /                                           index: links to every panel, app page and /live
 *   /panel/<name>?fixture=<file>                host page rendering a nested panel on host/testdata
 *   /a/vigil-observability-app/<page>           host page rendering an app page
 *   /plugins/vigil-observability-app            the app's configuration page
 *   /live                                       the three panels on Prometheus data (with prometheusUrl)
 *   /public/plugins/vigil-observability-app/*   the built plugin (dist/), where Grafana serves it
 *   /public/build/img/*, /public/img/*          icons (@grafana/ui's, then Unicons from Iconify); /public/fonts/*
 *   /host/*                                     the line's shared-module bundle and the renderer
 *   /api/plugins/vigil-observability-app/settings          the app's meta (GET) and settings (POST)
 *   /api/plugin-proxy/vigil-observability-app/*           the app's plugin.json routes, matched as Grafana does
 *                                               (method, path, reqRole; proxy.mjs), to sidecarUrl + token
 *   /api/live/frames                            Prometheus query_range results as panel data
 * Anything else is a 404, so the browser test sees every request Grafana would not answer.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHost, HOST_MODULES, LINES, lineBuildDir, lineVersion } from './build.mjs';
import { appMeta, APP_ID, PAGES, PANELS } from './site.mjs';
import { indexPage, hostPage } from './pages.mjs';
import { proxyPluginRoute } from './proxy.mjs';
import { ROLES } from './routes.mjs';
import { liveFrames } from './live.mjs';
import { unicon } from './icons.mjs';

const HOST = path.dirname(fileURLToPath(import.meta.url));
const BUILD = path.join(HOST, '.build');

const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves `rel` from inside `dir` (never outside it); false when there is no such file. */
function sendFile(res, dir, rel, cache) {
  const file = path.resolve(dir, '.' + path.posix.normalize('/' + decodeURIComponent(rel)));
  if (!file.startsWith(path.resolve(dir) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    return false;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': cache ? 'max-age=3600' : 'no-store',
  });
  fs.createReadStream(file).pipe(res);
  return true;
}

/**
 * The signed-in user, as Grafana's session would give it: the host page's `admin` (org role Admin), or
 * the role in a `host_role` cookie (Viewer / Editor / Admin) so checks can act as a weaker user.
 */
function sessionUser(req) {
  const m = /(?:^|;\s*)host_role=(\w+)/.exec(req.headers.cookie ?? '');
  const role = m && ROLES.includes(m[1]) ? m[1] : 'Admin';
  return { login: role === 'Admin' ? 'admin' : role.toLowerCase(), role };
}

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendHtml(res, html) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function readBody(req, limit = 1 << 20) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > limit) {
      throw new Error('request body over 1 MiB');
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/**
 * Starts the host server on 127.0.0.1.
 * @param {{ dist: string, line: '12'|'13', port?: number, prometheusUrl?: string, sidecarUrl?: string, sidecarToken?: string }} opts
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function startHostServer(opts) {
  const { dist, port = 0, prometheusUrl, sidecarUrl, sidecarToken } = opts ?? {};
  const line = String(opts?.line ?? '');
  if (!LINES[line]) {
    throw new Error(`startHostServer: line must be "12" or "13", got "${line}"`);
  }
  if (!dist || !fs.existsSync(path.join(dist, 'module.js'))) {
    throw new Error(`startHostServer: no built plugin at ${dist}/module.js (run npm run build first)`);
  }
  // Builds the line's bundles when they are missing or stale (a no-op taking milliseconds otherwise).
  await buildHost({ lines: [line] });
  const bundleDir = lineBuildDir(line);
  const version = lineVersion(line);
  const uiPublic = path.join(LINES[line].modulesDir, '@grafana', 'ui', 'dist', 'public');
  const pluginJson = JSON.parse(fs.readFileSync(path.join(dist, 'plugin.json'), 'utf8'));
  // Settings as Grafana stores them: jsonData as given, secure values only as "is set" flags.
  const settings = {
    enabled: true,
    jsonData: { sidecarUrl: sidecarUrl ?? '' },
    secureJsonFields: { sidecarToken: Boolean(sidecarToken) },
  };
  const pagesBase = `/a/${APP_ID}`;

  async function handle(req, res) {
    const u = new URL(req.url, 'http://host');
    const p = u.pathname;
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (get && p === '/') {
      return sendHtml(res, indexPage({ line, version, live: Boolean(prometheusUrl) }));
    }
    if (
      get &&
      (/^\/panel\/[a-z0-9-]+$/.test(p) ||
        p === pagesBase ||
        p === `/plugins/${APP_ID}` ||
        p.startsWith(pagesBase + '/') ||
        (p === '/live' && prometheusUrl))
    ) {
      return sendHtml(res, hostPage({ line, version }));
    }
    if (
      get &&
      p.startsWith(`/public/plugins/${APP_ID}/`) &&
      sendFile(res, dist, p.slice(`/public/plugins/${APP_ID}/`.length), false)
    ) {
      return;
    }
    if (
      get &&
      p.startsWith('/public/build/img/') &&
      sendFile(res, path.join(uiPublic, 'img'), p.slice('/public/build/img/'.length), true)
    ) {
      return;
    }
    if (
      get &&
      p.startsWith('/public/img/') &&
      sendFile(res, path.join(uiPublic, 'img'), p.slice('/public/img/'.length), true)
    ) {
      return;
    }
    // @grafana/ui ships only the icons it uses itself; Grafana serves the rest of the Unicons set.
    const icon = get && /^\/public\/(?:build\/)?img\/icons\/(unicons|solid)\/([a-z0-9-]+)\.svg$/.exec(p);
    const svg = icon && unicon(icon[1], icon[2]);
    if (svg) {
      res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=3600' });
      return res.end(svg);
    }
    if (
      get &&
      p.startsWith('/public/fonts/inter/') &&
      sendFile(res, path.join(HOST_MODULES, 'inter-ui', 'web'), p.slice('/public/fonts/inter/'.length), true)
    ) {
      return;
    }
    // Grafana ships Roboto Mono's latin subset under a Google Fonts file name.
    if (
      get &&
      /^\/public\/fonts\/roboto\/[\w-]+\.woff2$/.test(p) &&
      sendFile(
        res,
        path.join(HOST_MODULES, '@fontsource', 'roboto-mono', 'files'),
        'roboto-mono-latin-400-normal.woff2',
        true
      )
    ) {
      return;
    }
    if (get && p === '/host/render.js' && sendFile(res, BUILD, 'render.js', false)) {
      return;
    }
    if (get && p.startsWith('/host/') && sendFile(res, bundleDir, p.slice('/host/'.length), true)) {
      return;
    }
    if (
      get &&
      p.startsWith('/testdata/') &&
      sendFile(res, path.join(HOST, 'testdata'), p.slice('/testdata/'.length), false)
    ) {
      return;
    }
    if (p === `/api/plugins/${APP_ID}/settings`) {
      if (get) {
        return sendJson(res, 200, appMeta(pluginJson, settings));
      }
      if (req.method === 'POST') {
        const body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
        if (body.jsonData) {
          settings.jsonData = body.jsonData;
        }
        if (typeof body.enabled === 'boolean') {
          settings.enabled = body.enabled;
        }
        for (const key of Object.keys(body.secureJsonData ?? {})) {
          settings.secureJsonFields[key] = true;
        }
        return sendJson(res, 200, { message: 'Plugin settings updated' });
      }
    }
    if (p.startsWith(`/api/plugin-proxy/${APP_ID}/`)) {
      return proxyPluginRoute(req, res, {
        routes: pluginJson.routes ?? [],
        proxyPath: p.slice(`/api/plugin-proxy/${APP_ID}/`.length),
        search: u.search,
        user: sessionUser(req),
        jsonData: settings.jsonData,
        secureJsonData: { sidecarToken: sidecarToken ?? '' },
      });
    }
    if (get && p === '/api/live/frames' && prometheusUrl) {
      try {
        return sendJson(res, 200, await liveFrames(prometheusUrl));
      } catch (e) {
        return sendJson(res, 502, { message: `query Prometheus: ${e.message}` });
      }
    }
    sendJson(res, 404, { message: `host server: nothing at ${req.method} ${p}` });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) {
        sendJson(res, 500, { message: `host server: ${e.message}` });
      } else {
        res.destroy(e);
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = server.address().port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export { PAGES, PANELS };
