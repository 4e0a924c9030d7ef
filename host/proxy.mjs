/**
 * Grafana's plugin proxy for the app's routes: the browser calls /api/plugin-proxy/vigil-observability-app/<path>
 * and the server picks the route from the built plugin.json as Grafana does (first match by method and
 * path, then its reqRole against the user's org role: 403 / 404 as Grafana answers them; see
 * routes.mjs), forwards to the route's url with its headers (`Authorization: Bearer <sidecarToken>`)
 * and, as Grafana with `send_user_header` on, `X-Grafana-User`. The browser never holds the token.
 */
import http from 'node:http';
import { interpolate, routeDecision, targetUrl } from './routes.mjs';

// Request headers that belong to the browser↔Grafana hop, not to the upstream request.
const DROP = new Set(['host', 'cookie', 'authorization', 'connection', 'origin', 'referer', 'x-grafana-org-id']);

function sendJson(res, status, body) {
  if (res.headersSent) {
    return res.destroy();
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * Forwards one request under the app's proxy prefix.
 * @param {{ routes: any[], proxyPath: string, search: string, user: { login: string, role: string },
 *   jsonData: Record<string, unknown>, secureJsonData: Record<string, unknown> }} opts
 */
export function proxyPluginRoute(req, res, { routes, proxyPath, search, user, jsonData, secureJsonData }) {
  const decision = routeDecision(routes, req.method, proxyPath, user.role);
  if (decision.status !== 200) {
    return sendJson(res, decision.status, { message: decision.message });
  }
  const data = { jsonData, secureJsonData };
  const base = targetUrl(decision.route, decision.rest, data);
  let target;
  try {
    target = new URL(base + (search ?? ''));
  } catch {
    return sendJson(res, 502, {
      message: `plugin proxy: the route url "${base}" is not a URL (is the sidecar URL configured?)`,
    });
  }
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (!DROP.has(k.toLowerCase())) {
      headers[k] = v;
    }
  }
  for (const h of decision.route.headers ?? []) {
    headers[h.name.toLowerCase()] = interpolate(h.content, data);
  }
  headers['x-grafana-user'] = user.login;
  const upstream = http.request(target, { method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    // Each chunk is passed on as it comes (pipe, no buffering); an event stream's headers go at once,
    // as Grafana's proxy (Go's ReverseProxy) flushes text/event-stream answers immediately.
    if (String(up.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      res.flushHeaders();
    }
    up.pipe(res);
  });
  // The browser went away before the answer ended (a closed Incidents page's event stream): cancel the
  // upstream request as Grafana's proxy does, or the sidecar keeps the stream open for nobody.
  res.on('close', () => {
    if (!res.writableFinished) {
      upstream.destroy();
    }
  });
  upstream.on('error', (e) =>
    sendJson(res, 502, { message: `plugin proxy: sidecar at ${target.origin} unreachable (${e.code ?? e.message})` })
  );
  req.pipe(upstream);
}
