// The demo's servers, started in order: the workload (with hours of backfilled history), a real
// Prometheus scraping it and the sidecar, the loopback notification receivers, and the sidecar on SQLite
// with the demo's rules, detectors, correlation and SLOs. Shared by `npm run demo` (demo/run.ts) and
// `npm run screenshots` (scripts/screenshots.mjs), so both show the same system.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPrometheus, PrometheusHandle } from '../test/harness';
import { DemoInbox, startDemoInbox } from './notify';
import { startSidecarProcess, SidecarProcess } from './sidecar-process';
import { DemoSlosLoaded, loadDemoSlos } from './slos';
import { startWorkload, Workload } from './workload';
import type { InfluxOutputOptions } from './workload/influx';
import { DEMO_PAST_INCIDENTS, workloadHistory } from './workload/history';

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

  // Hours of past metrics (with a few past incidents), so the panels have a baseline from the start.
  const backfill =
    opts.historyHours > 0
      ? workloadHistory({
          endMs: Date.now(),
          hours: opts.historyHours,
          seed: opts.seed,
          speed: opts.speed,
          targetLabels: { job: 'vigil-demo-workload', instance: `127.0.0.1:${workload.port}` },
          incidents: DEMO_PAST_INCIDENTS.filter((i) => i.minutesAgo < opts.historyHours * 60),
        })
      : undefined;

  const prometheus = await startPrometheus({
    backfill,
    port: opts.prometheusPort,
    scrapeInterval: '5s',
    scrapeJobs: [
      { job: 'vigil-demo-workload', targets: [`127.0.0.1:${workload.port}`] },
      { job: 'vigil-sidecar', targets: [`127.0.0.1:${opts.sidecarPort}`] },
    ],
    rules: readFileSync(join(opts.root, 'demo', 'rules.yml'), 'utf8'),
  });
  stops.push(['prometheus', () => prometheus.stop()]);
  opts.log(`Prometheus on ${prometheus.url}${backfill ? ` (with ${opts.historyHours} h of history)` : ''}`);

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
