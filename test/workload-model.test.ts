// The demo workload's simulation without servers: determinism, daily cycle, incidents and how they
// spread along the dependency graph, and validation of incident requests.
import { effectsAt, Incident, parseIncidentSpec } from '../demo/workload/incidents';
import { dailyLoad, Model, Step } from '../demo/workload/model';
import { createRng } from '../demo/workload/rng';

const T0 = Date.UTC(2026, 0, 6, 0, 0, 0); // a Tuesday, 00:00 UTC

function run(seed: number, steps: number, incidents: Incident[] = [], speed = 1): Step[] {
  const model = new Model(createRng(seed), { realStartMs: T0, speed });
  const out: Step[] = [];
  for (let i = 1; i <= steps; i++) {
    out.push(model.step(1, T0 + i * 1000, incidents));
  }
  return out;
}

function incident(partial: Partial<Incident> & Pick<Incident, 'type' | 'service'>): Incident {
  return {
    id: 'x',
    source: 'api',
    magnitude: 1,
    durationSeconds: 3600,
    startedAt: T0,
    endsAt: T0 + 3600_000,
    ...partial,
  };
}

const svc = (step: Step, name: string) => step.services.find((s) => s.service === name)!;
const total = (steps: Step[], name: string, code?: string) =>
  steps.reduce(
    (n, st) =>
      n +
      svc(st, name)
        .requests.filter((r) => !code || r.code === code)
        .reduce((m, r) => m + r.count, 0),
    0
  );

describe('demo workload model', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(run(7, 20)).toEqual(run(7, 20));
    expect(run(7, 20)).not.toEqual(run(8, 20));
  });

  it('follows a daily cycle: peak in the afternoon, trough at night, lower on weekends', () => {
    expect(dailyLoad(Date.UTC(2026, 0, 6, 16))).toBeCloseTo(1, 5);
    expect(dailyLoad(Date.UTC(2026, 0, 6, 4))).toBeCloseTo(0.35, 5);
    expect(dailyLoad(Date.UTC(2026, 0, 10, 16))).toBeCloseTo(0.8, 5); // Saturday
    // With speed 3600 a simulated day passes in 24 real seconds: the 04:00 and 16:00 steps differ.
    const day = run(3, 24, [], 3600);
    const at = (h: number) => total([day[h - 1]], 'gateway');
    expect(at(16)).toBeGreaterThan(2 * at(4));
  });

  it('serves a realistic healthy baseline', () => {
    const steps = run(1, 60);
    const gw = total(steps, 'gateway');
    expect(gw / 60).toBeGreaterThan(5); // midnight: ~0.5 of the 40 rps peak
    expect(total(steps, 'gateway', '500') / gw).toBeLessThan(0.02);
    expect(total(steps, 'database')).toBeGreaterThan(total(steps, 'orders'));
    const last = steps[steps.length - 1];
    // Tens of milliseconds end to end, most of it spent in payments (an external processor).
    expect(svc(last, 'gateway').medianLatency).toBeGreaterThan(0.01);
    expect(svc(last, 'gateway').medianLatency).toBeLessThan(0.1);
    expect(svc(last, 'payments').medianLatency).toBeGreaterThan(10 * svc(last, 'database').medianLatency);
    expect(last.services.every((s) => s.up && s.cpuPercent > 0 && s.memoryBytes > 0)).toBe(true);
    expect(steps.reduce((n, s) => n + s.orders, 0)).toBeGreaterThan(0);
    expect(steps.reduce((n, s) => n + s.revenueUsd, 0)).toBeGreaterThan(0);
  });

  it('database down: payments, orders, api and gateway fail and slow down; orders stop', () => {
    const down = run(1, 30, [incident({ type: 'service_down', service: 'database' })]);
    const ok = run(1, 30);
    const last = down[down.length - 1];
    expect(svc(last, 'database').up).toBe(false);
    expect(svc(last, 'database').cpuPercent).toBe(0);
    for (const s of ['payments', 'orders', 'api', 'gateway']) {
      expect(svc(last, s).up).toBe(true);
      expect(svc(last, s).errorRatio).toBeGreaterThan(0.3);
      expect(svc(last, s).medianLatency).toBeGreaterThan(5 * svc(ok[29], s).medianLatency);
    }
    expect(total(down, 'database', '503')).toBeGreaterThan(0);
    expect(down.reduce((n, s) => n + s.orders, 0)).toBe(0);
  });

  it('a latency spike raises the service and its callers, not its callees', () => {
    const spike = run(1, 10, [incident({ type: 'latency_spike', service: 'orders', magnitude: 10 })]);
    const ok = run(1, 10);
    const ratio = (s: string) => svc(spike[9], s).medianLatency / svc(ok[9], s).medianLatency;
    expect(ratio('orders')).toBeGreaterThan(2);
    expect(ratio('api')).toBeGreaterThan(1.5);
    expect(ratio('gateway')).toBeGreaterThan(1.5);
    expect(ratio('database')).toBeCloseTo(1, 5);
  });

  it('applies error bursts, level shifts and slow drifts', () => {
    const burst = run(1, 30, [incident({ type: 'error_burst', service: 'payments', magnitude: 0.5 })]);
    expect(total(burst, 'payments', '500') / total(burst, 'payments')).toBeGreaterThan(0.4);

    const shift = run(1, 30, [incident({ type: 'level_shift', service: 'gateway', magnitude: 1 })]);
    expect(total(shift, 'gateway') / total(run(1, 30), 'gateway')).toBeGreaterThan(1.8);

    const drift = incident({ type: 'slow_drift', service: 'api', magnitude: 1, endsAt: T0 + 100_000 });
    const early = effectsAt([drift], T0 + 10_000).api;
    const late = effectsAt([drift], T0 + 90_000).api;
    expect(late.memoryFactor).toBeGreaterThan(early.memoryFactor);
    expect(late.latencyFactor).toBeCloseTo(1.9, 5);
    expect(effectsAt([drift], T0 + 100_000).api.latencyFactor).toBe(1); // ended
  });
});

describe('incident requests', () => {
  it('fills in the default magnitude', () => {
    expect(parseIncidentSpec({ type: 'latency_spike', service: 'api', durationSeconds: 30 })).toEqual({
      type: 'latency_spike',
      service: 'api',
      durationSeconds: 30,
      magnitude: 5,
    });
  });

  it.each([
    [null, /must be a JSON object/],
    [{ type: 'meltdown', service: 'api', durationSeconds: 1 }, /type must be one of latency_spike/],
    [{ type: 'error_burst', service: 'cache', durationSeconds: 1 }, /service must be one of .*got "cache"/],
    [{ type: 'error_burst', service: 'api' }, /durationSeconds must be a number/],
    [
      { type: 'error_burst', service: 'api', durationSeconds: 1, magnitude: 2 },
      /magnitude for error_burst must be in \(0, 1\]/,
    ],
    [{ type: 'latency_spike', service: 'api', durationSeconds: 1, magnitude: 0.5 }, /at least 1/],
    [{ type: 'level_shift', service: 'api', durationSeconds: 1, extra: 1 }, /unknown field "extra"/],
  ])('rejects %j', (body, message) => {
    expect(() => parseIncidentSpec(body)).toThrow(message);
  });
});
