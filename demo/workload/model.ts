// The simulation, free of timers and I/O: given the elapsed time and the active incidents, how many
// requests each service served (by route and code), how long they took, and its CPU, memory and up state.
import { effectsAt, Incident, ServiceEffect } from './incidents';
import { Rng } from './rng';
import { CHECKOUT_ROUTE, EDGES, PROFILES, SERVICES, ServiceName } from './topology';

/** Options of the simulation. */
export interface ModelOptions {
  /** Gateway requests per second at the daily peak. Default 40. */
  peakRps?: number;
  /** Simulated seconds per real second (86400 turns a day into a second). Default 1. */
  speed?: number;
  /** Simulated time at real time `realStartMs`. Default: realStartMs. */
  simStartMs?: number;
  realStartMs: number;
}

/** What one service did during a step. */
export interface ServiceStep {
  service: ServiceName;
  up: boolean;
  /** Request counts by route and status code. */
  requests: Array<{ route: string; code: string; count: number }>;
  /** One latency (seconds) per request, capped at 2000 per step. */
  latencies: number[];
  cpuPercent: number;
  memoryBytes: number;
  /** Median end-to-end latency (seconds) and error ratio, for logs and tests. */
  medianLatency: number;
  errorRatio: number;
}

/** One step of the simulation. */
export interface Step {
  simTimeMs: number;
  services: ServiceStep[];
  orders: number;
  revenueUsd: number;
}

/** What callers wait for when a dependency is down: their client timeout. */
const TIMEOUT_SECONDS = 2;
const MAX_LATENCY_SAMPLES = 2000;

/**
 * Traffic shape of a day, 0.35 at 04:00 UTC up to 1.0 at 16:00 UTC, a little lower on weekends.
 * Exported for tests.
 */
export function dailyLoad(simTimeMs: number): number {
  const d = new Date(simTimeMs);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60 + d.getUTCSeconds() / 3600;
  const day = 0.35 + 0.65 * 0.5 * (1 - Math.cos((2 * Math.PI * (hour - 4)) / 24));
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.8 : 1;
  return day * weekend;
}

/** Request rates per service for a gateway rate, following the call edges (down services call nobody). */
function propagateRates(gatewayRps: number, effects: Record<ServiceName, ServiceEffect>): Record<ServiceName, number> {
  const rates = Object.fromEntries(SERVICES.map((s) => [s, 0])) as Record<ServiceName, number>;
  for (const s of SERVICES) {
    const incoming = s === 'gateway' ? gatewayRps : rates[s];
    rates[s] = incoming * effects[s].loadFactor;
    if (effects[s].down) {
      continue;
    }
    for (const e of EDGES.filter((x) => x.from === s)) {
      rates[e.to] += rates[s] * e.calls;
    }
  }
  return rates;
}

/** The stateful simulation. Same seed and same step calls → same output. */
export class Model {
  private readonly peakRps: number;
  private readonly speed: number;
  private readonly simStartMs: number;
  private readonly realStartMs: number;
  private readonly referenceRates: Record<ServiceName, number>;
  /** Fractional request counts carried to the next step, so low rates still add up exactly. */
  private readonly carry = new Map<string, number>();

  constructor(
    private readonly rng: Rng,
    opts: ModelOptions
  ) {
    this.peakRps = opts.peakRps ?? 40;
    this.speed = opts.speed ?? 1;
    this.realStartMs = opts.realStartMs;
    this.simStartMs = opts.simStartMs ?? opts.realStartMs;
    if (!(this.speed > 0) || !(this.peakRps > 0)) {
      throw new Error(`speed and peakRps must be positive; got speed=${this.speed}, peakRps=${this.peakRps}`);
    }
    const none = effectsAt([], 0);
    this.referenceRates = propagateRates(this.peakRps, none);
  }

  /** Simulated time at real time `nowMs`. */
  simTime(nowMs: number): number {
    return this.simStartMs + (nowMs - this.realStartMs) * this.speed;
  }

  private take(key: string, expected: number): number {
    const total = expected + (this.carry.get(key) ?? 0);
    const whole = Math.floor(total);
    this.carry.set(key, total - whole);
    return whole;
  }

  /** Advances by `dtSeconds` of real time ending at `nowMs`, with `incidents` (active ones apply). */
  step(dtSeconds: number, nowMs: number, incidents: readonly Incident[]): Step {
    const simTimeMs = this.simTime(nowMs);
    const effects = effectsAt(incidents, nowMs);
    const noise = 1 + 0.04 * this.rng.normal();
    const rates = propagateRates(this.peakRps * dailyLoad(simTimeMs) * Math.max(0.5, noise), effects);

    // Errors and latency flow upwards: compute callees first (reverse topological order).
    const errorRatio = {} as Record<ServiceName, number>;
    const latency = {} as Record<ServiceName, number>;
    for (const s of [...SERVICES].reverse()) {
      const eff = effects[s];
      if (eff.down) {
        errorRatio[s] = 1;
        latency[s] = TIMEOUT_SECONDS;
        continue;
      }
      let ok = 1 - Math.min(1, PROFILES[s].baseErrorRatio + eff.errorAdd);
      let lat = PROFILES[s].ownLatency * eff.latencyFactor;
      for (const e of EDGES.filter((x) => x.from === s)) {
        ok *= 1 - Math.min(1, e.calls) * errorRatio[e.to];
        lat += e.calls * latency[e.to];
      }
      errorRatio[s] = 1 - ok;
      latency[s] = lat;
    }

    let orders = 0;
    const services = SERVICES.map((s): ServiceStep => {
      const eff = effects[s];
      const code = eff.down ? '503' : '500';
      const requests: ServiceStep['requests'] = [];
      let served = 0;
      for (const r of PROFILES[s].routes) {
        const n = this.take(`${s}|${r.route}`, rates[s] * r.share * dtSeconds);
        const failed = Math.min(n, this.take(`${s}|${r.route}|err`, n * errorRatio[s]));
        const okCount = n - failed;
        requests.push({ route: r.route, code: '200', count: okCount });
        requests.push({ route: r.route, code, count: n - okCount });
        served += n;
        if (s === 'orders' && r.route === CHECKOUT_ROUTE) {
          orders += okCount;
        }
      }
      const latencies: number[] = [];
      for (let i = 0; i < Math.min(served, MAX_LATENCY_SAMPLES); i++) {
        latencies.push(this.rng.logNormal(latency[s], 0.35));
      }
      const load = rates[s] / this.referenceRates[s];
      const cpu = eff.down
        ? 0
        : PROFILES[s].cpuIdle + PROFILES[s].cpuAtPeak * load * Math.sqrt(eff.latencyFactor) + 1.5 * this.rng.normal();
      // A slow GC sawtooth over simulated time keeps memory from being a flat line.
      const sawtooth = 0.05 * ((simTimeMs / 600000) % 1);
      const memory = eff.down ? 0 : PROFILES[s].memoryBytes * (1 + 0.1 * load + sawtooth) * eff.memoryFactor;
      return {
        service: s,
        up: !eff.down,
        requests,
        latencies,
        cpuPercent: Math.max(0, Math.min(100, cpu)),
        memoryBytes: Math.round(memory),
        medianLatency: latency[s],
        errorRatio: errorRatio[s],
      };
    });

    let revenueUsd = 0;
    for (let i = 0; i < orders; i++) {
      revenueUsd += Math.round(this.rng.logNormal(55, 0.5) * 100) / 100;
    }
    return { simTimeMs, services, orders, revenueUsd };
  }
}
