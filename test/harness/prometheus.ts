// Real Prometheus 2.x (Debian package `prometheus`) on a free loopback port with a temporary TSDB.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { findBinary, freePort, makeRoot, spawnServer, withPortRetry, ServerHandle } from './process';

const execFileAsync = promisify(execFile);

/** One scrape job: `targets` are `host:port`. */
export interface ScrapeJob {
  job: string;
  targets: string[];
  metricsPath?: string;
  /** Defaults to the global scrape interval. */
  scrapeInterval?: string;
}

/** Options for {@link startPrometheus}. */
export interface PrometheusOptions {
  /** Fixed port (e.g. 9090 for the demo); a free one when omitted. */
  port?: number;
  /** `host:port` targets scraped as job `vigil`. */
  scrapeTargets?: string[];
  /** Further scrape jobs. */
  scrapeJobs?: ScrapeJob[];
  /** Global scrape and rule evaluation interval, e.g. "1s". Default "5s". */
  scrapeInterval?: string;
  /** Enables `--web.enable-remote-write-receiver` (push with remoteWrite()). */
  remoteWrite?: boolean;
  /** OpenMetrics text loaded with `promtool tsdb create-blocks-from openmetrics` before start. */
  backfill?: string;
  /**
   * OpenMetrics files loaded the same way (data too large for one string). promtool parses a whole
   * file once per 2 h block it writes, so long histories go in one file per 2 h.
   */
  backfillFiles?: string[];
  /** Rule file contents (YAML), loaded as `rule_files`. */
  rules?: string;
  /** Alertmanager `host:port` targets for alerts from `rules`. */
  alertmanagers?: string[];
  /** `--storage.tsdb.retention.time`; default "30d" so backfilled history survives. */
  retention?: string;
  readyTimeoutMs?: number;
}

/** A running Prometheus. */
export type PrometheusHandle = ServerHandle;

/** Path to promtool (same Debian package as prometheus). */
export function promtoolBinary(): string {
  return findBinary('promtool', 'prometheus', 'VIGIL_PROMTOOL_BIN');
}

/** Builds the prometheus.yml used by {@link startPrometheus}. Exported for the demo and tests. */
export function prometheusConfig(opts: PrometheusOptions, ruleFile?: string): string {
  const interval = opts.scrapeInterval ?? '5s';
  const jobs: ScrapeJob[] = [...(opts.scrapeJobs ?? [])];
  if (opts.scrapeTargets?.length) {
    jobs.unshift({ job: 'vigil', targets: opts.scrapeTargets });
  }
  const config: Record<string, unknown> = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    scrape_configs: jobs.map((j) => ({
      job_name: j.job,
      metrics_path: j.metricsPath ?? '/metrics',
      ...(j.scrapeInterval ? { scrape_interval: j.scrapeInterval } : {}),
      static_configs: [{ targets: j.targets }],
    })),
  };
  if (ruleFile) {
    config.rule_files = [ruleFile];
  }
  if (opts.alertmanagers?.length) {
    config.alerting = { alertmanagers: [{ static_configs: [{ targets: opts.alertmanagers }] }] };
  }
  return stringify(config);
}

/**
 * Writes OpenMetrics text into TSDB blocks under `dataDir` (promtool create-blocks-from openmetrics).
 * The text must end with `# EOF` and use timestamps in seconds; see toOpenMetrics().
 */
export async function backfillOpenMetrics(openMetrics: string, dataDir: string): Promise<void> {
  const file = join(dataDir, '..', 'backfill.om');
  writeFileSync(file, openMetrics.endsWith('\n') ? openMetrics : openMetrics + '\n');
  await backfillOpenMetricsFile(file, dataDir);
}

/** Writes an OpenMetrics file (ending with `# EOF`) into TSDB blocks under `dataDir`. */
export async function backfillOpenMetricsFile(file: string, dataDir: string): Promise<void> {
  const promtool = promtoolBinary();
  try {
    await execFileAsync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`promtool backfill failed: ${e.stderr || e.stdout || e.message}`);
  }
}

/** Starts Prometheus on 127.0.0.1 with a fresh TSDB and waits for `/-/ready`. */
export async function startPrometheus(opts: PrometheusOptions = {}): Promise<PrometheusHandle> {
  const bin = findBinary('prometheus', 'prometheus', 'VIGIL_PROMETHEUS_BIN');
  return withPortRetry(async () => {
    const root = makeRoot('prometheus');
    const dataDir = join(root, 'data');
    mkdirSync(dataDir);
    try {
      const ruleFile = opts.rules ? join(root, 'rules.yml') : undefined;
      if (ruleFile && opts.rules) {
        writeFileSync(ruleFile, opts.rules);
      }
      const configFile = join(root, 'prometheus.yml');
      writeFileSync(configFile, prometheusConfig(opts, ruleFile));
      if (opts.backfill) {
        await backfillOpenMetrics(opts.backfill, dataDir);
      }
      for (const file of opts.backfillFiles ?? []) {
        await backfillOpenMetricsFile(file, dataDir);
      }
      const port = opts.port ?? (await freePort());
      const args = [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--storage.tsdb.retention.time=${opts.retention ?? '30d'}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-lifecycle',
        '--log.level=warn',
      ];
      if (opts.remoteWrite) {
        args.push('--web.enable-remote-write-receiver');
      }
      return await spawnServer({
        name: 'prometheus',
        bin,
        args,
        root,
        dataDir,
        port,
        readyPath: '/-/ready',
        readyTimeoutMs: opts.readyTimeoutMs,
      });
    } catch (err) {
      // spawnServer cleans up after itself; failures before it (backfill, config) must too.
      rmSync(root, { recursive: true, force: true });
      throw err;
    }
  });
}

/** One sample of an instant-vector result. */
export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Runs an instant query (`/api/v1/query`) and returns the vector; throws on a Prometheus error. */
export async function queryPrometheus(url: string, promql: string, time?: number): Promise<PromSample[]> {
  const params = new URLSearchParams({ query: promql });
  if (time !== undefined) {
    params.set('time', String(time));
  }
  const res = await fetch(`${url}/api/v1/query?${params}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown } };
  if (body.status !== 'success' || !body.data) {
    throw new Error(`query Prometheus "${promql}": ${body.error ?? `HTTP ${res.status}`}`);
  }
  if (body.data.resultType === 'scalar') {
    return [{ metric: {}, value: body.data.result as [number, string] }];
  }
  return body.data.result as PromSample[];
}

/** Runs a range query (`/api/v1/query_range`) and returns the matrix. Times in Unix seconds. */
export async function queryPrometheusRange(
  url: string,
  promql: string,
  start: number,
  end: number,
  step: number
): Promise<Array<{ metric: Record<string, string>; values: Array<[number, string]> }>> {
  const params = new URLSearchParams({ query: promql, start: String(start), end: String(end), step: String(step) });
  const res = await fetch(`${url}/api/v1/query_range?${params}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown } };
  if (body.status !== 'success' || !body.data) {
    throw new Error(`range query Prometheus "${promql}": ${body.error ?? `HTTP ${res.status}`}`);
  }
  return body.data.result as Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
}
