// The demo workload: an HTTP server exposing simulated service metrics at /metrics, with incidents
// injected on command (POST /incidents) or on a schedule. Used by `npm run demo`, the tests and Docker.
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import {
  Incident,
  IncidentSpec,
  IncidentSpecError,
  INCIDENT_TYPES,
  IncidentType,
  parseIncidentSpec,
} from './incidents';
import { startInfluxOutput, InfluxOutputOptions } from './influx';
import { createMetrics } from './metrics';
import { Model } from './model';
import { createRng } from './rng';
import { SERVICES } from './topology';

export type { Incident, IncidentSpec, IncidentType } from './incidents';
export { INCIDENT_TYPES } from './incidents';
export { SERVICES } from './topology';
export type { ServiceName } from './topology';

/** Options of {@link startWorkload}. */
export interface WorkloadOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed of the random source; the same seed gives the same metrics for the same steps. Default 1. */
  seed?: number;
  /** Simulated seconds per real second, to watch the daily cycle quickly. Default 1. */
  speed?: number;
  /** Gateway requests per second at the daily peak. Default 40. */
  peakRps?: number;
  /** Simulation step, real milliseconds. Default 1000. */
  tickMs?: number;
  /** Simulated time at start (epoch ms). Default: now. */
  simStartMs?: number;
  /** Random incidents every `everySeconds`, each lasting `durationSeconds` (default 60). */
  schedule?: { everySeconds: number; durationSeconds?: number; types?: IncidentType[] };
  /** Also write aggregated points to an InfluxDB 1.x database (the database must exist). */
  influx?: InfluxOutputOptions;
}

/** A running workload. */
export interface Workload {
  url: string;
  port: number;
  /**
   * When its counters started from 0 (epoch ms): a backfilled history that ends with a sample at this
   * instant (workloadHistory's `endMs`) continues into the live counters without losing any traffic.
   */
  startedAtMs: number;
  registry: Registry;
  /** Starts an incident now (same validation as POST /incidents). */
  inject(spec: IncidentSpec): Incident;
  /** Active and recently ended incidents. */
  incidents(): { active: Incident[]; recent: Incident[] };
  /** Ends all active incidents; returns how many. */
  clearIncidents(): number;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024;

/** Starts the workload's HTTP server and simulation loop. */
export async function startWorkload(opts: WorkloadOptions = {}): Promise<Workload> {
  const tickMs = opts.tickMs ?? 1000;
  if (!(tickMs >= 10)) {
    throw new Error(`tickMs must be at least 10; got ${opts.tickMs}`);
  }
  const seed = opts.seed ?? 1;
  const startMs = Date.now();
  const model = new Model(createRng(seed), {
    speed: opts.speed,
    peakRps: opts.peakRps,
    simStartMs: opts.simStartMs,
    realStartMs: startMs,
  });
  const scheduleRng = createRng(seed + 1);
  const metrics = createMetrics();
  let incidents: Incident[] = [];
  let recent: Incident[] = [];
  let nextId = 1;

  const prune = (now: number): void => {
    const ended = incidents.filter((i) => i.endsAt <= now);
    if (ended.length) {
      incidents = incidents.filter((i) => i.endsAt > now);
      recent = [...ended, ...recent].slice(0, 50);
    }
  };

  const inject = (spec: IncidentSpec, source: Incident['source'] = 'api'): Incident => {
    const valid = parseIncidentSpec(spec);
    const now = Date.now();
    const incident: Incident = {
      ...valid,
      id: `inc-${nextId++}`,
      source,
      startedAt: now,
      endsAt: now + valid.durationSeconds * 1000,
    };
    incidents.push(incident);
    return incident;
  };

  const influx = opts.influx ? startInfluxOutput(opts.influx) : undefined;
  let last = startMs;
  const tick = (): void => {
    const now = Date.now();
    prune(now);
    const step = model.step(Math.max(0, (now - last) / 1000), now, incidents);
    metrics.record(step);
    influx?.record(step);
    last = now;
  };
  tick();
  const timers = [setInterval(tick, tickMs)];
  if (opts.schedule) {
    const { everySeconds, durationSeconds = 60, types = [...INCIDENT_TYPES] } = opts.schedule;
    if (!(everySeconds > 0)) {
      throw new Error(`schedule.everySeconds must be positive; got ${everySeconds}`);
    }
    timers.push(
      setInterval(() => {
        inject({ type: scheduleRng.pick(types), service: scheduleRng.pick(SERVICES), durationSeconds }, 'schedule');
      }, everySeconds * 1000)
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, 500, { error: { code: 'internal', message: err.message } }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
      return;
    }
    if (path === '/incidents') {
      if (req.method === 'GET') {
        prune(Date.now());
        return send(res, 200, { active: incidents, recent });
      }
      if (req.method === 'DELETE') {
        return send(res, 200, { ended: clearIncidents() });
      }
      if (req.method === 'POST') {
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req));
        } catch (err) {
          return send(res, 400, { error: { code: 'invalid_json', message: (err as Error).message } });
        }
        try {
          return send(res, 201, inject(body as IncidentSpec));
        } catch (err) {
          if (err instanceof IncidentSpecError) {
            return send(res, 400, { error: { code: 'invalid_incident', message: err.message } });
          }
          throw err;
        }
      }
      return send(res, 405, { error: { code: 'method_not_allowed', message: `${req.method} /incidents` } });
    }
    if (req.method === 'GET' && path === '/healthz') {
      return send(res, 200, { status: 'ok' });
    }
    if (req.method === 'GET' && path === '/') {
      return send(res, 200, {
        name: 'vigil demo workload',
        services: SERVICES,
        incidentTypes: INCIDENT_TYPES,
        endpoints: ['GET /metrics', 'GET /incidents', 'POST /incidents', 'DELETE /incidents', 'GET /healthz'],
      });
    }
    send(res, 404, { error: { code: 'not_found', message: `${req.method} ${path}` } });
  }

  const clearIncidents = (): number => {
    const now = Date.now();
    const n = incidents.length;
    incidents = incidents.map((i) => ({ ...i, endsAt: Math.min(i.endsAt, now) }));
    prune(now);
    return n;
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    registry: metrics.registry,
    startedAtMs: startMs,
    inject: (spec) => inject(spec, 'api'),
    incidents: () => {
      prune(Date.now());
      return { active: [...incidents], recent: [...recent] };
    },
    clearIncidents,
    close: async () => {
      timers.forEach(clearInterval);
      await influx?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`request body larger than ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
