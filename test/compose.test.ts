// docker-compose.yml cannot run here (no Docker engine), so everything it depends on is checked: it
// parses, images are pinned, mounted files exist, the configs it mounts are valid for the real tools
// (promtool, amtool, the sidecar's own config loader), provisioning refers to the fixed datasource uids,
// and the dashboards use only Vigil's panels with PromQL a real Prometheus accepts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../sidecar/src/config/load';
import { DEMO_METRIC_NAMES, writeDemoConfig } from '../demo/sidecar-process';
import { dependsOnMap } from '../demo/workload/topology';
import { findBinary, influxQuery, queryPrometheus, startInflux, startPrometheus, promtoolBinary } from './harness';

jest.setTimeout(60000);

const ROOT = resolve(__dirname, '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  command?: string[];
  /** Services of an optional profile (`ha`: test/ha-compose.test.ts) start only when it is asked for. */
  profiles?: string[];
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service>; volumes?: object };
const services = compose.services;

const APP_ID = 'vigil-observability-app';
const PANEL_IDS = readdirSync(join(ROOT, 'src/panels'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => (JSON.parse(read(`src/panels/${d.name}/plugin.json`)) as { id: string }).id);

/** Host path → container path of a service's bind mounts (named volumes excluded). */
function bindMounts(svc: Service): Array<{ host: string; container: string }> {
  return (svc.volumes ?? [])
    .map((v) => v.split(':'))
    .filter(([host]) => host.startsWith('.') || host.startsWith('/'))
    .map(([host, container]) => ({ host, container }));
}

function mountedAt(service: string, hostPath: string): string {
  const m = bindMounts(services[service]).find((b) => b.host === hostPath);
  if (!m) {
    throw new Error(`${service} does not mount ${hostPath}`);
  }
  return m.container;
}

describe('docker-compose.yml', () => {
  it('has the six services (besides those of optional profiles)', () => {
    expect(
      Object.keys(services)
        .filter((name) => !services[name].profiles)
        .sort()
    ).toEqual(['alertmanager', 'grafana', 'influxdb', 'prometheus', 'sidecar', 'workload'].sort());
  });

  it.each(Object.keys(services))('pins the image of %s', (name) => {
    const image = services[name].image;
    expect(image).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+$/);
    expect(image!.split(':')[1]).not.toBe('latest');
  });

  it('pins the base images of Dockerfile.sidecar and builds the sidecar from it', () => {
    expect(services.sidecar.build).toEqual({ context: '.', dockerfile: 'Dockerfile.sidecar' });
    expect(services.workload.image).toBe(services.sidecar.image);
    const froms = read('Dockerfile.sidecar')
      .split('\n')
      .filter((l) => l.startsWith('FROM '))
      .map((l) => l.split(/\s+/)[1]);
    expect(froms.length).toBeGreaterThan(1);
    for (const f of froms) {
      expect(f).toMatch(/^node:20-bookworm-slim$/);
    }
    // Every path the Dockerfile copies from the build context exists.
    for (const line of read('Dockerfile.sidecar')
      .split('\n')
      .filter((l) => /^COPY (?!--from)/.test(l))) {
      const sources = line.split(/\s+/).slice(1, -1);
      for (const s of sources) {
        expect([s, existsSync(join(ROOT, s))]).toEqual([s, true]);
      }
    }
  });

  it('mounts only paths that exist (./dist is made by npm run build)', () => {
    // ./dist comes from the plugin build: webpack writes DIST_DIR, which is "dist".
    expect(read('.config/bundler/constants.ts')).toMatch(/DIST_DIR\s*=\s*['"]dist['"]/);
    expect(JSON.parse(read('package.json')).scripts.build).toMatch(/build:plugin/);
    for (const [name, svc] of Object.entries(services)) {
      for (const { host } of bindMounts(svc)) {
        expect([name, host, existsSync(join(ROOT, host))]).toEqual([name, host, true]);
      }
    }
    // npm test builds before Jest, so the built app is there, with the id Grafana is told to load.
    expect(JSON.parse(read('dist/plugin.json')).id).toBe(APP_ID);
  });

  it('lets Grafana load the unsigned app and its nested panels from ./dist', () => {
    const allowed = services.grafana.environment!.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',');
    expect(allowed.sort()).toEqual([APP_ID, ...PANEL_IDS].sort());
    expect(mountedAt('grafana', './dist')).toBe(`/var/lib/grafana/plugins/${APP_ID}`);
    expect(mountedAt('grafana', './provisioning')).toBe('/etc/grafana/provisioning');
    expect(services.grafana.environment!.VIGIL_TOKEN).toMatch(/^\$\{VIGIL_TOKEN:\?/);
    expect(services.sidecar.environment!.VIGIL_TOKEN).toMatch(/^\$\{VIGIL_TOKEN:\?/);
  });

  it('gives Prometheus a valid config that scrapes the workload and the sidecar', () => {
    const file = join(ROOT, 'demo/docker/prometheus.yml');
    execFileSync(promtoolBinary(), ['check', 'config', '--syntax-only', file]);
    execFileSync(promtoolBinary(), ['check', 'rules', join(ROOT, 'demo/rules.yml')]);
    expect(mountedAt('prometheus', './demo/rules.yml')).toBe('/etc/prometheus/rules.yml');
    const cfg = parse(read('demo/docker/prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>;
    };
    expect(cfg.rule_files).toEqual(['/etc/prometheus/rules.yml']);
    const targets = cfg.scrape_configs.flatMap((s) => s.static_configs.flatMap((c) => c.targets));
    expect(targets).toEqual(expect.arrayContaining(['workload:9464', 'sidecar:8787']));
    expect(services.workload.command).toContain('--port=9464');
  });

  it('has the workload write to the compose InfluxDB database', () => {
    const cmd = services.workload.command!;
    expect(cmd).toContain('--influx-url=http://influxdb:8086');
    expect(cmd).toContain(`--influx-db=${services.influxdb.environment!.INFLUXDB_DB}`);
    // The options the command passes are the ones the workload CLI knows.
    const cli = read('demo/workload/main.ts');
    for (const flag of cmd.filter((c) => c.startsWith('--')).map((c) => c.slice(2).split('=')[0])) {
      expect([flag, cli.includes(`'${flag}': {`) || cli.includes(`  ${flag}: {`)]).toEqual([flag, true]);
    }
  });

  it('gives Alertmanager a config amtool accepts', () => {
    const amtool = findBinary('amtool', 'prometheus-alertmanager');
    execFileSync(amtool, ['check-config', join(ROOT, 'demo/docker/alertmanager.yml')]);
  });

  it('gives the sidecar a config its own loader accepts, with the token only from the environment', () => {
    const file = join(ROOT, 'demo/docker/sidecar.yaml');
    expect((parse(read('demo/docker/sidecar.yaml')) as { auth?: unknown }).auth).toBeUndefined();
    const config = loadConfig({ file, env: { VIGIL_TOKEN: 'a-test-token-of-24-chars' } });
    expect(config.server.port).toBe(8787);
    expect(config.datasources.map((d) => d.url).sort()).toEqual(['http://influxdb:8086', 'http://prometheus:9090']);
    expect(() => loadConfig({ file, env: {} })).toThrow(/token/);
  });

  it('loads the guide rule sets from the mounted demo/rules and maps the guide metric names as npm run demo does', () => {
    const config = loadConfig({
      file: join(ROOT, 'demo/docker/sidecar.yaml'),
      env: { VIGIL_TOKEN: 'a-test-token-of-24-chars' },
    });
    expect(config.rules.dir).toBe(mountedAt('sidecar', './demo/rules'));
    expect(readdirSync(join(ROOT, 'demo/rules'))).toContain('vigil-rules.yml');
    expect(config.metricNames).toEqual(DEMO_METRIC_NAMES);
  });

  it("correlates over the workload's call graph, as npm run demo does", () => {
    const config = loadConfig({
      file: join(ROOT, 'demo/docker/sidecar.yaml'),
      env: { VIGIL_TOKEN: 'a-test-token-of-24-chars' },
    });
    expect(config.correlation.enabled).toBe(true);
    expect(config.correlation.topology.dependsOn).toEqual(dependsOnMap());
    // npm run demo's generated config carries the same topology and loads.
    const dir = mkdtempSync(join(tmpdir(), 'vigil-compose-'));
    try {
      const { configFile } = writeDemoConfig(dir, 8787, 'http://127.0.0.1:9090');
      expect(loadConfig({ file: configFile, env: {} }).correlation.topology.dependsOn).toEqual(dependsOnMap());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('provisioning', () => {
  it('enables the app with the sidecar URL and the token from the environment', () => {
    const apps = (parse(read('provisioning/plugins/apps.yaml')) as { apps: Array<Record<string, any>> }).apps;
    expect(apps).toHaveLength(1);
    expect(apps[0].type).toBe(APP_ID);
    expect(apps[0].jsonData).toEqual({ sidecarUrl: 'http://sidecar:8787' });
    expect(apps[0].secureJsonData).toEqual({ sidecarToken: '$VIGIL_TOKEN' });
  });

  it('provisions Prometheus and InfluxDB with the fixed uids, pointing at the compose services', () => {
    const list = (parse(read('provisioning/datasources/vigil.yaml')) as { datasources: Array<Record<string, any>> })
      .datasources;
    const byUid = Object.fromEntries(list.map((d) => [d.uid, d]));
    expect(Object.keys(byUid).sort()).toEqual(['vigil-influxdb', 'vigil-prometheus']);
    expect(byUid['vigil-prometheus']).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    expect(byUid['vigil-influxdb']).toMatchObject({ type: 'influxdb', url: 'http://influxdb:8086' });
    expect(byUid['vigil-influxdb'].jsonData.dbName).toBe(services.influxdb.environment!.INFLUXDB_DB);
  });

  it('reads dashboards from where compose mounts ./dashboards', () => {
    const providers = (parse(read('provisioning/dashboards/vigil.yaml')) as { providers: Array<Record<string, any>> })
      .providers;
    expect(providers).toHaveLength(1);
    expect(providers[0].type).toBe('file');
    expect(providers[0].options.path).toBe(mountedAt('grafana', './dashboards'));
  });
});

describe('dashboards', () => {
  // The overview, which shows Vigil's three panels only; test/dashboards.test.ts checks the whole set.
  const files = readdirSync(join(ROOT, 'dashboards')).filter((f) => f === 'vigil-overview.json');
  const dashboards = files.map((f) => ({ file: f, json: JSON.parse(read(`dashboards/${f}`)) }));
  interface Panel {
    id: number;
    type: string;
    datasource?: { uid: string };
    targets?: Array<{ expr?: string; query?: string; datasource?: { uid: string } }>;
  }

  it('exist and have unique uids', () => {
    expect(files).toContain('vigil-overview.json');
    const uids = dashboards.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('use only Vigil panels and the provisioned datasources', () => {
    for (const { file, json } of dashboards) {
      const panels = json.panels as Panel[];
      expect(panels.length).toBeGreaterThan(0);
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const p of panels) {
        expect([file, p.id, PANEL_IDS.includes(p.type)]).toEqual([file, p.id, true]);
        for (const uid of [p.datasource?.uid, ...(p.targets ?? []).map((t) => t.datasource?.uid)]) {
          expect(['vigil-prometheus', 'vigil-influxdb']).toContain(uid);
        }
      }
      // All three panel types are shown.
      expect(new Set(panels.map((p) => p.type))).toEqual(new Set(PANEL_IDS));
    }
  });

  it('query PromQL and InfluxQL that the real servers accept, on what the workload writes', async () => {
    const targets = dashboards.flatMap(({ json }) =>
      (json.panels as Panel[]).flatMap((p) => (p.targets ?? []).map((t) => ({ ...t, uid: t.datasource?.uid })))
    );
    expect(targets.some((t) => t.uid === 'vigil-influxdb')).toBe(true);
    const [prom, influx] = await Promise.all([startPrometheus(), startInflux({ databases: ['vigil'] })]);
    try {
      for (const t of targets) {
        if (t.uid === 'vigil-prometheus') {
          await expect(queryPrometheus(prom.url, t.expr!)).resolves.toBeDefined();
          const metrics = t.expr!.match(/vigil_demo_[a-z_]+/g) ?? (t.expr === 'ALERTS' ? [] : ['none']);
          for (const m of metrics) {
            expect(read('demo/workload/metrics.ts')).toContain(m.replace(/_(bucket|count|sum)$/, ''));
          }
        } else {
          // Grafana's macros, as Grafana would expand them for "last hour".
          const q = t.query!.replace('$timeFilter', 'time > now() - 1h').replace('$__interval', '10s');
          await expect(influxQuery(influx.url, q, 'vigil')).resolves.toBeDefined();
          for (const m of t.query!.match(/FROM "([a-z_]+)"/g) ?? ['none']) {
            expect(read('demo/workload/influx.ts')).toContain(m.slice(6, -1));
          }
        }
      }
    } finally {
      await Promise.all([prom.stop(), influx.stop()]);
    }
  });
});
