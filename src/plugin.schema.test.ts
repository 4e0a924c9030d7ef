/**
 * Validates every src/**\/plugin.json against a JSON schema of Grafana's plugin.json rules.
 *
 * Schema source: src/testdata/plugin.schema.json, written for Vigil from Grafana's plugin.json
 * reference (https://grafana.com/developers/plugin-tools/reference/plugin-json) and the schema Grafana
 * publishes at https://github.com/grafana/grafana/blob/main/docs/sources/developers/plugins/plugin.schema.json
 * (same required keys, id/version/grafanaDependency patterns, enums, includes and routes shapes).
 * `@grafana/plugin-validator` downloads a binary and cannot run offline, hence this test.
 */
import fs from 'fs';
import path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import schema from './testdata/plugin.schema.json';
import { matchPath, matchRoute, routeDecision, targetUrl } from '../host/routes.mjs';

const SRC = __dirname;

function findPluginJsons(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'testdata' || entry.name === 'node_modules' ? [] : findPluginJsons(full);
    }
    return entry.name === 'plugin.json' ? [full] : [];
  });
}

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

function errorsOf(json: unknown): string[] {
  return validate(json) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const files = findPluginJsons(SRC);
const app = read(path.join(SRC, 'plugin.json'));

describe('plugin.json files', () => {
  test('the app and its three nested panels are found', () => {
    expect(files.map((f) => path.relative(SRC, f)).sort()).toEqual([
      'panels/alerts/plugin.json',
      'panels/anomaly/plugin.json',
      'panels/slo/plugin.json',
      'plugin.json',
    ]);
  });

  test.each(files.map((f) => [path.relative(SRC, f), f]))('%s is valid against the plugin schema', (_rel, file) => {
    expect(errorsOf(read(file))).toEqual([]);
  });

  test.each(files.map((f) => [path.relative(SRC, f), f]))('%s: its logos exist and it has a module', (_rel, file) => {
    const json = read(file);
    const dir = path.dirname(file);
    for (const logo of [json.info.logos.small, json.info.logos.large]) {
      expect(fs.existsSync(path.join(dir, logo))).toBe(true);
    }
    expect(['module.ts', 'module.tsx'].some((m) => fs.existsSync(path.join(dir, m)))).toBe(true);
  });

  test('the app includes each nested panel by path, with the panel ids of the contract', () => {
    const panels = app.includes.filter((i: { type: string }) => i.type === 'panel');
    const ids = panels
      .map((p: { path: string }) => read(path.join(SRC, p.path, 'plugin.json')))
      .map((j: { id: string; type: string }) => `${j.type}:${j.id}`);
    expect(ids.sort()).toEqual(['panel:vigil-alerts-panel', 'panel:vigil-anomaly-panel', 'panel:vigil-slo-panel']);
  });

  test('the app pages are rules (default), slos, incidents, notifications and settings', () => {
    const pages = app.includes.filter(
      (i: { type: string; path: string }) => i.type === 'page' && i.path.startsWith('/a/')
    );
    expect(pages.map((p: { path: string }) => p.path)).toEqual(
      ['rules', 'slos', 'incidents', 'notifications', 'settings'].map((r) => `/a/%PLUGIN_ID%/${r}`)
    );
    expect(pages.filter((p: { defaultNav?: boolean }) => p.defaultNav).map((p: { name: string }) => p.name)).toEqual([
      'Alert rules',
    ]);
  });

  test('every route forwards to jsonData.sidecarUrl with the token added server-side, and names its role', () => {
    for (const route of app.routes) {
      expect(route.url.startsWith('{{ .JsonData.sidecarUrl }}')).toBe(true);
      expect(route.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.sidecarToken }}' }]);
      expect(['Viewer', 'Editor', 'Admin']).toContain(route.reqRole);
      expect(route.method).toBeDefined();
    }
  });
});

/**
 * The routes as Grafana's plugin proxy reads them (first match by method and path, then its reqRole;
 * host/routes.mjs is that matcher, also used by the browser test's host server): reads for Viewers,
 * rule (and later silence, SLO) writes for Editors, anything else for Admins.
 */
describe('plugin proxy routes: role per path and method', () => {
  const SIDECAR = 'http://sidecar:8787';
  const decide = (method: string, path: string, role: string) => {
    const d = routeDecision(app.routes, method, `sidecar/api/v1${path}`, role);
    return d.status === 200
      ? `200 ${targetUrl(d.route, d.rest, { jsonData: { sidecarUrl: SIDECAR } })}`
      : `${d.status}`;
  };

  test.each([
    ['GET', '/monitoring/health', `200 ${SIDECAR}/api/v1/monitoring/health`],
    ['GET', '/rules', `200 ${SIDECAR}/api/v1/rules`],
    ['GET', '/rules/high_cpu/preview', `200 ${SIDECAR}/api/v1/rules/high_cpu/preview`],
    ['GET', '/alerts/abc/history', `200 ${SIDECAR}/api/v1/alerts/abc/history`],
    ['POST', '/rules', '403'],
    ['POST', '/rules/preview', '403'],
    ['PUT', '/rules/high_cpu', '403'],
    ['DELETE', '/rules/high_cpu', '403'],
    ['POST', '/silences', '403'],
    ['DELETE', '/silences/abc', '403'],
    ['GET', '/notify/channels', `200 ${SIDECAR}/api/v1/notify/channels`],
    ['GET', '/notify/routing', `200 ${SIDECAR}/api/v1/notify/routing`],
    ['GET', '/silences', `200 ${SIDECAR}/api/v1/silences`],
    ['GET', '/notifications', `200 ${SIDECAR}/api/v1/notifications`],
    ['POST', '/notify/channels/pager/test', '403'],
    ['POST', '/notifications/n1/retry', '403'],
    ['GET', '/incidents', `200 ${SIDECAR}/api/v1/incidents`],
    ['GET', '/incidents/inc-1', `200 ${SIDECAR}/api/v1/incidents/inc-1`],
    // the live stream is a read like any other
    ['GET', '/stream', `200 ${SIDECAR}/api/v1/stream`],
    ['POST', '/incidents/inc-1/acknowledge', '403'],
    ['POST', '/incidents/inc-1/resolve', '403'],
  ])('Viewer %s %s → %s', (method, path, expected) => {
    expect(decide(method, path, 'Viewer')).toBe(expected);
  });

  test.each([
    ['POST', '/rules', `200 ${SIDECAR}/api/v1/rules`],
    ['POST', '/rules/preview', `200 ${SIDECAR}/api/v1/rules/preview`],
    ['PUT', '/rules/high_cpu', `200 ${SIDECAR}/api/v1/rules/high_cpu`],
    ['DELETE', '/rules/high_cpu', `200 ${SIDECAR}/api/v1/rules/high_cpu`],
    ['POST', '/monitoring/alerts', `200 ${SIDECAR}/api/v1/monitoring/alerts`],
    ['PUT', '/slos/checkout', `200 ${SIDECAR}/api/v1/slos/checkout`],
    ['GET', '/rules', `200 ${SIDECAR}/api/v1/rules`],
    ['POST', '/silences', `200 ${SIDECAR}/api/v1/silences`],
    ['DELETE', '/silences/abc', `200 ${SIDECAR}/api/v1/silences/abc`],
    ['POST', '/notify/channels/pager/test', `200 ${SIDECAR}/api/v1/notify/channels/pager/test`],
    ['POST', '/notifications/n1/retry', `200 ${SIDECAR}/api/v1/notifications/n1/retry`],
    ['POST', '/incidents/inc-1/acknowledge', `200 ${SIDECAR}/api/v1/incidents/inc-1/acknowledge`],
    ['POST', '/incidents/inc-1/resolve', `200 ${SIDECAR}/api/v1/incidents/inc-1/resolve`],
    ['DELETE', '/incidents/inc-1', '403'],
    // a write nobody listed is for Admins only
    ['POST', '/detect', '403'],
    ['PATCH', '/rules/high_cpu', '403'],
  ])('Editor %s %s → %s', (method, path, expected) => {
    expect(decide(method, path, 'Editor')).toBe(expected);
  });

  test('Admins may do anything through the sidecar route; paths outside it match no route', () => {
    expect(decide('POST', '/detect', 'Admin')).toBe(`200 ${SIDECAR}/api/v1/detect`);
    expect(routeDecision(app.routes, 'GET', 'other/thing', 'Admin').status).toBe(404);
    expect(routeDecision(app.routes, 'GET', 'sidecar', 'Admin').status).toBe(404);
  });
});

describe('the route matcher follows Grafana', () => {
  test('static segments, :params, a final * (one or more segments), first match wins', () => {
    expect(matchPath('a/b', 'a/b')).toEqual({ rest: '' });
    expect(matchPath('a/b', 'a/b/c')).toBeUndefined();
    expect(matchPath('a/*', 'a')).toBeUndefined();
    expect(matchPath('a/*', 'a/b/c')).toEqual({ rest: 'b/c' });
    expect(matchPath('a/:id/x', 'a/42/x')).toEqual({ rest: '' });
    const routes = [
      { path: 'a/*', method: 'POST', url: 'u1', reqRole: 'Editor' as const },
      { path: 'a/*', url: 'u2' },
    ];
    expect(matchRoute(routes, 'POST', 'a/b')?.route.url).toBe('u1');
    expect(matchRoute(routes, 'GET', 'a/b')?.route.url).toBe('u2');
    expect(routeDecision(routes, 'POST', 'a/b', 'Viewer').status).toBe(403);
  });
});

describe('the schema rejects invalid plugin.json files', () => {
  const clone = () => JSON.parse(JSON.stringify(app));

  test.each<[string, (j: any) => void, RegExp]>([
    ['an id that breaks the naming rule', (j) => (j.id = 'Vigil_App'), /\/id must match pattern/],
    ['an unknown plugin type', (j) => (j.type = 'widget'), /\/type must be equal to one of the allowed values/],
    ['a missing info.keywords', (j) => delete j.info.keywords, /\/info must have required property 'keywords'/],
    [
      'a missing grafanaDependency',
      (j) => delete j.dependencies.grafanaDependency,
      /must have required property 'grafanaDependency'/,
    ],
    [
      'a grafanaDependency that is not a range',
      (j) => (j.dependencies.grafanaDependency = 'twelve'),
      /grafanaDependency must match pattern/,
    ],
    ['an unknown top-level key (a typo)', (j) => (j.rootes = j.routes), /must NOT have additional properties/],
    [
      'a route header without content',
      (j) => delete j.routes[0].headers[0].content,
      /\/routes\/0\/headers\/0 must have required property 'content'/,
    ],
    [
      'an include of an unknown type',
      (j) => (j.includes[0].type = 'widget'),
      /\/includes\/0\/type must be equal to one of the allowed values/,
    ],
    ['a version that is not semver', (j) => (j.info.version = 'v1'), /\/info\/version must match pattern/],
  ])('%s', (_what, mutate, expected) => {
    const json = clone();
    mutate(json);
    const errors = errorsOf(json);
    expect(errors.join('\n')).toMatch(expected);
  });
});
