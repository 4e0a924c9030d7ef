/**
 * Grafana's plugin proxy for the app's `sidecar` route: the browser calls
 * /api/plugin-proxy/vigil-observability-app/sidecar/<rest> and the server forwards it to
 * <sidecarUrl>/<rest> with `Authorization: Bearer <sidecarToken>` — the browser never holds the token.
 */
import http from 'node:http';

// Request headers that belong to the browser↔Grafana hop, not to the upstream request.
const DROP = new Set(['host', 'cookie', 'authorization', 'connection', 'origin', 'referer', 'x-grafana-org-id']);

/** Forwards one request; answers 502 with a JSON error when the sidecar is unset or unreachable. */
export function proxySidecar(req, res, { sidecarUrl, sidecarToken, rest }) {
  const fail = (message) => {
    if (res.headersSent) {
      return res.destroy();
    }
    res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ message }));
  };
  if (!sidecarUrl) {
    return fail('plugin proxy: the app has no sidecarUrl configured');
  }
  const target = new URL(sidecarUrl.replace(/\/$/, '') + rest);
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (!DROP.has(k.toLowerCase())) {
      headers[k] = v;
    }
  }
  if (sidecarToken) {
    headers.authorization = `Bearer ${sidecarToken}`;
  }
  const upstream = http.request(target, { method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', (e) => fail(`plugin proxy: sidecar at ${target.origin} unreachable (${e.code ?? e.message})`));
  req.pipe(upstream);
}
