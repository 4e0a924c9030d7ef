// A real Prometheus and InfluxDB fed by the demo workload, for the dashboards' queries: a week of
// history backfilled at 30 min (the 7-day baselines), the last hour at 10 s in both (with a past
// incident, so the anomaly overlays have something to mark), then live scrapes and InfluxDB writes every
// second, and demo/rules.yml evaluated so `ALERTS` has a firing alert (a service_down incident).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorkload, type Workload } from '../../demo/workload';
import { splitByDay, workloadHistory } from '../../demo/workload/history';
import {
  type InfluxHandle,
  influxQuery,
  type PrometheusHandle,
  queryPrometheus,
  startInflux,
  startPrometheus,
  waitFor,
} from '../harness';
import { writeInfluxHistory } from './influxHistory';
import { ROOT } from './model';

/** The running servers; stop() ends them all. */
export interface DemoServers {
  prometheus: PrometheusHandle;
  influx: InfluxHandle;
  workload: Workload;
  stop(): Promise<void>;
}

const JOB = 'vigil-demo-workload';
const HOUR = 3_600_000;

/** Starts everything and waits until live data, InfluxDB points and a firing alert are there. */
export async function startDemoServers(opts: { influxDb?: string; seed?: number } = {}): Promise<DemoServers> {
  const db = opts.influxDb ?? 'vigil';
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      await s().catch(() => undefined);
    }
  };
  try {
    const influx = await startInflux({ databases: [db] });
    stops.push(() => influx.stop());
    const workload = await startWorkload({
      tickMs: 250,
      seed: opts.seed ?? 7,
      influx: { url: influx.url, database: db, intervalSeconds: 1 },
    });
    stops.push(() => workload.close());
    const now = Date.now();
    const targetLabels = { job: JOB, instance: `127.0.0.1:${workload.port}` };
    const dir = mkdtempSync(join(tmpdir(), 'vigil-dashboards-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const week = splitByDay(
      workloadHistory({ endMs: now - HOUR, hours: 7 * 24 + 2, stepSeconds: 1800, seed: 3, targetLabels })
    ).map((text, i) => {
      const file = join(dir, `week-${i}.om`);
      writeFileSync(file, text);
      return file;
    });
    const incidents = [
      {
        type: 'latency_spike' as const,
        service: 'database' as const,
        durationSeconds: 120,
        magnitude: 20,
        minutesAgo: 20,
      },
    ];
    const lastHour = workloadHistory({ endMs: now, hours: 1, stepSeconds: 10, seed: 4, targetLabels, incidents });
    await writeInfluxHistory({ url: influx.url, db, endMs: now, hours: 1, incidents });
    const prometheus = await startPrometheus({
      backfill: lastHour,
      backfillFiles: week,
      scrapeInterval: '1s',
      scrapeJobs: [{ job: JOB, targets: [targetLabels.instance] }],
      rules: readFileSync(join(ROOT, 'demo', 'rules.yml'), 'utf8'),
    });
    stops.push(() => prometheus.stop());
    week.forEach((f) => rmSync(f));
    // service_down (for: 15s in demo/rules.yml) gives ALERTS a firing alert and a few pending ones.
    workload.inject({ type: 'service_down', service: 'database', durationSeconds: 600 });
    await waitFor(
      'a firing alert in Prometheus',
      async () => (await queryPrometheus(prometheus.url, 'ALERTS{alertstate="firing"}')).length > 0,
      45_000
    );
    await waitFor(
      'InfluxDB points',
      async () => (await influxQuery(influx.url, 'SELECT count("up") FROM "vigil_demo_service"', db)).length > 0
    );
    return { prometheus, influx, workload, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
