// The dashboards in dashboards/ (provisioned into Grafana's "Vigil" folder): each is checked as a file —
// schema version, unique ids, panel types Grafana 12.4 and 13 know or Vigil's, provisioned datasources
// only, Vigil panels' options known to their options editors (read from src/panels/*/module.ts), links —
// and every query, expanded as Grafana expands it, runs against a real Prometheus and InfluxDB fed by
// the demo workload and returns data. Doctored copies show that each kind of check can fail.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type CheckEnv, dashboardProblems } from './dashboards/checks';
import { type DemoServers, startDemoServers } from './dashboards/demoServers';
import { type Range } from './dashboards/grafana';
import { type Dashboard, loadDashboards, provisionedDatasources, ROOT } from './dashboards/model';
import { panelOptionKeys } from './dashboards/panelOptions';
import { corePanels, dashboardSchemaVersion, SCHEMA_PACKAGES, vigilPanels } from './dashboards/panelTypes';
import {
  annotationQueries,
  bindVariables,
  type LiveDatasources,
  panelInstances,
  prepareQueries,
  type PreparedQuery,
} from './dashboards/query';
import { hasData, runQuery } from './dashboards/run';

jest.setTimeout(120_000);

const files = loadDashboards();
const provisioned = provisionedDatasources();
const GUIDE_SET = [
  'vigil-anomalies',
  'vigil-business',
  'vigil-development',
  'vigil-executive',
  'vigil-operations',
  'vigil-slo',
];
const clone = (d: Dashboard): Dashboard => JSON.parse(JSON.stringify(d)) as Dashboard;
const byUid = (uid: string) => clone(files.find((f) => f.json.uid === uid)!.json);

let env: CheckEnv;

beforeAll(async () => {
  const panels = vigilPanels();
  const keys = await panelOptionKeys([...panels.values()]);
  env = {
    schemaVersion: dashboardSchemaVersion(SCHEMA_PACKAGES['12']),
    datasources: provisioned,
    core: corePanels(),
    vigil: new Map([...panels].map(([id, dir]) => [id, keys.get(dir)!])),
    dashboards: files.map((f) => ({ uid: f.json.uid, tags: f.json.tags ?? [] })),
  };
});

describe('dashboards as files', () => {
  it("are the guide's set (executive, operations, development, business, SLO, anomalies) and the overview", () => {
    expect(files.map((f) => f.json.uid).sort()).toEqual([...GUIDE_SET, 'vigil-overview'].sort());
  });

  it('all load from where docker-compose mounts dashboards/, into the folder Vigil', () => {
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: { grafana: { volumes: string[] } };
    };
    const mount = compose.services.grafana.volumes.find((v) => v.startsWith('./dashboards:'))!.split(':')[1];
    const provider = parse(readFileSync(join(ROOT, 'provisioning/dashboards/vigil.yaml'), 'utf8')) as {
      providers: Array<{ folder: string; type: string; options: { path: string } }>;
    };
    expect(provider.providers).toEqual([
      expect.objectContaining({ folder: 'Vigil', type: 'file', options: expect.objectContaining({ path: mount }) }),
    ]);
  });

  it('read Grafana 12.4 and 13 from @grafana/schema and the Vigil panels from src/panels', () => {
    expect(env.core.versions).toEqual([expect.stringMatching(/^12\.4\./), expect.stringMatching(/^13\./)]);
    // Grafana 13 reads what 12.4 writes; a newer version than 13's would be from the future.
    expect(dashboardSchemaVersion(SCHEMA_PACKAGES['13'])).toBeGreaterThanOrEqual(env.schemaVersion);
    for (const type of ['timeseries', 'stat', 'gauge', 'bargauge', 'table', 'state-timeline', 'text', 'heatmap']) {
      expect([type, env.core.isCorePanel(type)]).toEqual([type, true]);
    }
    expect([...env.vigil.keys()].sort()).toEqual(['vigil-alerts-panel', 'vigil-anomaly-panel', 'vigil-slo-panel']);
    expect(env.vigil.get('vigil-anomaly-panel')!.options).toEqual(expect.arrayContaining(['sensitivity', 'window']));
  });

  it.each(files.map((f) => [f.file, f]))('%s passes every check', (_name, f) => {
    expect(dashboardProblems(f.file, f.json, env)).toEqual([]);
  });

  it('use every Vigil panel and link to each other', () => {
    const types = new Set(files.flatMap((f) => f.json.panels.map((p) => p.type)));
    expect([...env.vigil.keys()].filter((id) => !types.has(id))).toEqual([]);
    for (const f of files) {
      expect([f.file, f.json.links?.some((l) => l.type === 'dashboards' && l.tags?.includes('vigil'))]).toEqual([
        f.file,
        true,
      ]);
    }
  });

  describe('fail on a doctored copy', () => {
    const problems = (d: Dashboard) => dashboardProblems(`${d.uid}.json`, d, env);

    it('an unknown datasource uid', () => {
      const d = byUid('vigil-operations');
      d.panels.find((p) => p.type === 'timeseries')!.targets![0].datasource = { type: 'prometheus', uid: 'prom-typo' };
      expect(problems(d)).toEqual([expect.stringMatching(/query A: datasource uid "prom-typo" is not provisioned/)]);
    });

    it('an option the Vigil panel does not know, and a field config it has no editor for', () => {
      const d = byUid('vigil-anomalies');
      d.panels[1].options = { ...d.panels[1].options, sensitivty: 2 };
      d.panels[2].fieldConfig = { defaults: { custom: { lineWidth: 2 } }, overrides: [] };
      expect(problems(d)).toEqual([
        expect.stringMatching(/option "sensitivty" is unknown to the vigil-anomaly-panel options editor/),
        expect.stringMatching(/field config "custom.lineWidth" is unknown to vigil-anomaly-panel/),
      ]);
    });

    it('a panel type neither Grafana line has, a duplicate id, an old schema version, a dead link', () => {
      const d = byUid('vigil-executive');
      d.schemaVersion = 39;
      d.panels[1].type = 'graph'; // Angular, gone since Grafana 12
      d.panels[2].id = d.panels[1].id;
      d.panels[3].links = [{ url: '/d/vigil-nowhere' }];
      expect(problems(d)).toEqual([
        'schemaVersion 39, expected 42 (what Grafana 12.4 writes)',
        expect.stringMatching(/panel id \d+ is used twice/),
        expect.stringMatching(/\(graph\): type "graph" is neither a core panel/),
        expect.stringMatching(/link to unknown dashboard uid "vigil-nowhere"/),
      ]);
    });
  });
});

describe('dashboards on the demo workload (real Prometheus and InfluxDB)', () => {
  let servers: DemoServers;
  let live: LiveDatasources;
  // A short range ending now: the last 15 minutes, as the dashboards' time picker would send it.
  const lastMinutes = (m = 15): Range => {
    const toMs = Date.now();
    return { fromMs: toMs - m * 60_000, toMs };
  };

  beforeAll(async () => {
    servers = await startDemoServers();
    live = {
      provisioned,
      urls: { 'vigil-prometheus': servers.prometheus.url, 'vigil-influxdb': servers.influx.url },
    };
  });
  afterAll(async () => {
    await servers?.stop();
  });

  /** Problems of each query: refused by the server, or no data. */
  async function queryProblems(d: Dashboard): Promise<{ problems: string[]; queries: PreparedQuery[] }> {
    const range = lastMinutes();
    const { vars, options } = await bindVariables(d, live, range);
    const queries = [
      ...panelInstances(d, vars, options).flatMap((inst) => prepareQueries(inst, live, range)),
      ...annotationQueries(d, vars, live, range),
    ];
    const problems: string[] = [];
    for (const q of queries) {
      try {
        if (!hasData(await runQuery(q, live, range))) {
          problems.push(`panel ${q.panelId} "${q.panelTitle}" ${q.refId}: no data from ${q.dsType} for ${q.text}`);
        }
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    return { problems, queries };
  }

  it.each(files.map((f) => [f.file, f]))('%s: every query returns data', async (_name, f) => {
    const { problems, queries } = await queryProblems(f.json);
    expect(problems).toEqual([]);
    expect(queries.length).toBeGreaterThan(0);
  });

  it('expands $service per repeated panel and as a regex elsewhere, and $__rate_interval from the scrape interval', async () => {
    const { queries } = await queryProblems(byUid('vigil-development'));
    const repeated = queries.filter((q) => q.panelTitle.startsWith('p95 latency: '));
    expect(repeated.map((q) => q.panelTitle).sort()).toEqual(
      ['api', 'database', 'gateway', 'orders', 'payments'].map((s) => `p95 latency: ${s}`)
    );
    expect(repeated.find((q) => q.panelTitle.endsWith('api'))!.text).toContain('{service="api"}');
    const all = queries.find((q) => q.panelTitle === 'Error rate')!.text;
    expect(all).toContain('service=~"(api|database|gateway|orders|payments)"');
    // timeInterval 5s (provisioning/datasources): at least four scrapes, 20s.
    expect(all).toMatch(/\[20s\]/);
    const influx = queries.find((q) => q.dsType === 'influxdb')!.text;
    expect(influx).toMatch(
      /"service" =~ \/\^\(api\|database\|gateway\|orders\|payments\)\$\/\) AND time >= \d+ms and time <= \d+ms GROUP BY time\(10s\)/
    );
  });

  it('fails on a doctored copy: a broken query, a metric the workload does not export, an unknown variable', async () => {
    const d = byUid('vigil-operations');
    const ts = d.panels.filter((p) => p.type === 'timeseries');
    ts[0].targets![0].expr = 'sum(rate(vigil_demo_requests_total[$__rate_interval])'; // unbalanced
    ts[1].targets![0].expr = 'vigil_demo_queue_depth'; // not exported
    ts[2].targets![0].expr = 'sum(rate(vigil_demo_requests_total{service=~"$servce"}[1m]))';
    await expect(queryProblems(d)).rejects.toThrow(/unknown variable \$servce/);
    ts[2].targets![0].expr = 'sum(vigil_demo_up)';
    const { problems } = await queryProblems(d);
    expect(problems).toEqual([
      expect.stringMatching(/^prometheus query of panel \d+ "CPU by service" A .*parse error/),
      expect.stringMatching(/"Memory by service" A: no data from prometheus for vigil_demo_queue_depth$/),
    ]);
  });
});
