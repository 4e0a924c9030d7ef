// The demo's servers, started in order: the workload (with hours of backfilled history), a real
// Prometheus scraping it and the sidecar, the loopback notification receivers, and the sidecar on SQLite
// with the demo's rules, detectors, correlation and SLOs. Shared by `npm run demo` (demo/run.ts) and
// `npm run screenshots` (scripts/screenshots.mjs), so both show the same system.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPrometheus, PrometheusHandle } from '../test/harness';
import { DemoInbox, startDemoInbox } from './notify';
import { startSidecarProcess, SidecarProcess } from './sidecar-process';
import { DemoSlosLoaded, loadDemoSlos } from './slos';
import { startWorkload, Workload } from './workload';
import type { InfluxOutputOptions } from './workload/influx';
import { DEMO_PAST_INCIDENTS, splitByDay, workloadHistory } from './workload/history';

/** Options of {@link startDemoServers}. */
export interface DemoServersOptions {
  /** Repository root (demo/rules.yml, sidecar/dist/main.js). */
  root: string;
  /** Folder for the sidecar's config, token, database and log. */
  dir: string;
  workloadPort: number;
  prometheusPort: number;
  sidecarPort: number;
  seed: number;
  speed: number;
  /** Seconds between random incidents; 0 for none. */
  schedule: number;
  /** Hours of past metrics (with the demo's past incidents) backfilled into Prometheus; 0 for none. */
  historyHours: number;
  /**
   * Days of coarser history (one sample per 15 min) before those hours, for the 7-day baselines of the
   * executive and business dashboards; 0 for none (default 8).
   */
  baselineDays?: number;
  /** Also write the workload's points to an InfluxDB 1.x database (which must exist). */
  influx?: InfluxOutputOptions;
  log(msg: string): void;
}

/** The running demo servers. */
export interface DemoServers {
  workload: Workload;
  prometheus: PrometheusHandle;
  inbox: DemoInbox;
  sidecar: SidecarProcess;
  slos: DemoSlosLoaded;
}

/** A server's name and how to stop it, in start order. */
export type DemoStop = [string, () => Promise<void>];

/**
 * Starts the demo's servers. Each one's stop is pushed onto `stops` as soon as it runs, so a caller that
 * catches a failure half-way stops exactly what started (in reverse order).
 */
export async function startDemoServers(opts: DemoServersOptions, stops: DemoStop[]): Promise<DemoServers> {
  const workload = await startWorkload({
    port: opts.workloadPort,
    seed: opts.seed,
    speed: opts.speed,
    schedule: opts.schedule > 0 ? { everySeconds: opts.schedule, durationSeconds: 90 } : undefined,
    influx: opts.influx,
  });
  stops.push(['workload', () => workload.close()]);
  opts.log(`workload on ${workload.url}`);

  // Hours of past metrics (with a few past incidents), so the panels have a baseline from the start, and
  // before them days at 15 min for the dashboards' 7-day baselines. One OpenMetrics file per day: promtool
  // reads a file once per 2-hour block it writes.
  const baselineDays = opts.historyHours > 0 ? (opts.baselineDays ?? 8) : 0;
  const backfillDir = join(opts.dir, 'backfill');
  mkdirSync(backfillDir, { recursive: true });
  const backfillFiles =
    opts.historyHours > 0
      ? splitByDay(
          workloadHistory({
            endMs: workload.startedAtMs,
            hours: opts.historyHours,
            baseline: baselineDays > 0 ? { hours: baselineDays * 24, stepSeconds: 900 } : undefined,
            seed: opts.seed,
            speed: opts.speed,
            targetLabels: { job: 'vigil-demo-workload', instance: `127.0.0.1:${workload.port}` },
            incidents: DEMO_PAST_INCIDENTS.filter((i) => i.minutesAgo < opts.historyHours * 60),
          })
        ).map((text, i) => {
          const file = join(backfillDir, `day-${i}.om`);
          writeFileSync(file, text);
          return file;
        })
      : [];

  const prometheus = await startPrometheus({
    backfillFiles,
    port: opts.prometheusPort,
    scrapeInterval: '5s',
    scrapeJobs: [
      { job: 'vigil-demo-workload', targets: [`127.0.0.1:${workload.port}`] },
      { job: 'vigil-sidecar', targets: [`127.0.0.1:${opts.sidecarPort}`] },
    ],
    rules: readFileSync(join(opts.root, 'demo', 'rules.yml'), 'utf8'),
  });
  rmSync(backfillDir, { recursive: true, force: true });
  stops.push(['prometheus', () => prometheus.stop()]);
  const history =
    baselineDays > 0
      ? `${opts.historyHours} h of history, ${baselineDays} days at 15 min before`
      : `${opts.historyHours} h of history`;
  opts.log(`Prometheus on ${prometheus.url}${opts.historyHours > 0 ? ` (with ${history})` : ''}`);

  const inbox = await startDemoInbox();
  stops.push(['notification receivers', () => inbox.stop()]);
  const sidecar = await startSidecarProcess({
    dir: opts.dir,
    port: opts.sidecarPort,
    prometheusUrl: prometheus.url,
    root: opts.root,
    channels: inbox.channels,
  });
  stops.push(['sidecar', () => sidecar.stop()]);
  opts.log(`sidecar on ${sidecar.url} (config ${sidecar.configFile}, log ${sidecar.logFile})`);
  const slos = await loadDemoSlos({ url: sidecar.url, token: sidecar.token });
  opts.log(
    `SLOs from demo/slos.yaml: ${slos.created.length} created, ${slos.updated.length} updated ` +
      `(${[...slos.created, ...slos.updated].join(', ')})`
  );
  return { workload, prometheus, inbox, sidecar, slos };
}
