// The index decides as the brute force: random alert streams (services on a random topology, label
// dependencies, symptom groups, severities, resolutions, incidents resolved and reopened, the same
// fingerprint in several incidents, alerts and incidents removed) are decided by `correlate` over every recent alert and by
// `CandidateIndex`, step by step, and every decision must be the same.
import { CandidateIndex } from './candidateIndex';
import { correlate } from './correlate';
import type { Severity } from '../rules/types';
import { CORRELATION_DEFAULTS, type CorrelationAlert, type CorrelationConfig, type CorrelationIncident } from './types';

/** A small deterministic PRNG (mulberry32): the same seed, the same stream. */
function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let x = Math.imul(t ^ (t >>> 15), 1 | t);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const SEVERITIES: Severity[] = ['critical', 'error', 'warning', 'info'];
const NAMES = ['ServiceDown', 'HighLatency', 'HighErrorRate', 'CpuHigh', 'DiskFull', 'Drift'];

/**
 * `services`: how many (default 3–10); `unlisted`: the share of joining alerts that name their incident
 * without the incident listing them (a caller's incidents may lag behind its alerts).
 */
function scenario(
  seed: number,
  steps: number,
  config: CorrelationConfig,
  opts: { services?: number; unlisted?: number } = {}
): void {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const services = Array.from({ length: opts.services ?? 3 + Math.floor(r() * 8) }, (_, i) => `s${i}`);
  const dependsOn: Record<string, string[]> = {};
  for (const s of services) {
    if (r() < 0.5) {
      dependsOn[s] = services.filter((t) => t !== s && r() < 0.25);
    }
  }
  const topology = { dependsOn };
  const index = new CandidateIndex(topology, config);
  const recent: CorrelationAlert[] = [];
  const keys: string[] = [];
  const incidents: CorrelationIncident[] = [];
  let now = 1_000_000;
  for (let step = 0; step < steps; step++) {
    now += Math.floor(r() * 60_000);
    const roll = r();
    if (roll < 0.15 && recent.length > 0) {
      // An alert resolves (or fires again): the same record, another status.
      const i = Math.floor(r() * recent.length);
      recent[i] = { ...recent[i], status: recent[i].status === 'firing' ? 'resolved' : 'firing' };
      index.put(keys[i], recent[i]);
      continue;
    }
    if (roll < 0.19 && recent.length > 0) {
      // An alert leaves the candidates (out of the window).
      const i = Math.floor(r() * recent.length);
      index.remove(keys[i]);
      recent.splice(i, 1);
      keys.splice(i, 1);
      continue;
    }
    if (roll < 0.2 && incidents.length > 0) {
      // An incident is no longer given.
      const i = Math.floor(r() * incidents.length);
      index.removeIncident(incidents[i].id);
      incidents.splice(i, 1);
      continue;
    }
    if (roll < 0.27 && incidents.length > 0) {
      // An incident resolves, or is reopened.
      const i = Math.floor(r() * incidents.length);
      incidents[i] = { ...incidents[i], state: incidents[i].state === 'resolved' ? 'open' : 'resolved' };
      index.putIncident(incidents[i]);
      continue;
    }
    const labels: Record<string, string> = { alertname: pick(NAMES) };
    if (r() < 0.85) {
      labels.service = pick(services);
    }
    if (r() < 0.2) {
      labels.depends_on = services.filter(() => r() < 0.2).join(', ');
    }
    if (r() < 0.3) {
      labels.metric = pick(['cpu_usage', 'api_response_time', 'errors', 'latency', 'disk']);
    }
    const alert: CorrelationAlert = {
      fingerprint: `f${Math.floor(r() * steps)}`,
      labels,
      severity: pick(SEVERITIES),
      startsAt: now - Math.floor(r() * 10 * 60_000),
      status: 'firing',
      incidentId: null,
      suppressed: false,
    };
    const expected = correlate(alert, recent, incidents, topology, config, now);
    expect({ step, decision: index.decide(alert) }).toEqual({ step, decision: expected });
    let incidentId = expected.incidentId;
    if (incidentId === null) {
      incidentId = `i${step}`;
      const incident: CorrelationIncident = {
        id: incidentId,
        state: 'open',
        severity: alert.severity,
        openedAt: r() < 0.2 ? now - 120_000 : now,
        alerts: [alert.fingerprint],
      };
      incidents.push(incident);
      index.putIncident(incident);
    } else if (r() >= (opts.unlisted ?? 0)) {
      const i = incidents.findIndex((x) => x.id === incidentId);
      incidents[i] = { ...incidents[i], alerts: [...incidents[i].alerts, alert.fingerprint] };
      index.joinIncident(incidentId, alert.fingerprint);
    }
    const stored = { ...alert, incidentId, suppressed: expected.suppressed !== null };
    recent.push(stored);
    keys.push(`${incidentId}\u0000${alert.fingerprint}\u0000${step}`);
    index.put(keys[keys.length - 1], stored);
  }
}

describe('CandidateIndex', () => {
  const grouped: CorrelationConfig = {
    ...CORRELATION_DEFAULTS,
    symptomGroups: [
      { name: 'saturation', members: ['cpu_usage', 'api_response_time', 'CpuHigh'] },
      { name: 'errors', members: ['errors', 'latency', 'HighErrorRate', 'HighLatency'] },
      { name: 'latency', members: ['HighLatency', 'api_response_time'] },
    ],
  };

  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('decides as correlate on random stream %i', (seed) => {
    scenario(seed, 150, seed % 4 === 0 ? CORRELATION_DEFAULTS : grouped);
  });

  // A storm of few services: most candidates are summarised (serviceSummary.ts), and change under it.
  it.each(Array.from({ length: 12 }, (_, i) => i + 101))('decides as correlate on a few-service stream %i', (seed) => {
    scenario(seed, 300, seed % 3 === 0 ? CORRELATION_DEFAULTS : grouped, {
      services: 1 + (seed % 2),
      unlisted: seed % 4 === 1 ? 0.3 : 0,
    });
  });

  it('decides as correlate with suppression off and a short window', () => {
    scenario(99, 300, { ...grouped, windowMs: 60_000, suppressDownstream: false, suppressLowerSeverity: false });
  });

  it('looks at the alerts that can correlate only', () => {
    const index = new CandidateIndex({ dependsOn: { api: ['db'] } }, CORRELATION_DEFAULTS);
    const base = { severity: 'warning' as const, startsAt: 0, status: 'firing' as const, suppressed: false };
    index.putIncident({ id: 'I1', state: 'open', severity: 'critical', openedAt: 0, alerts: ['db1'] });
    index.put('db1', { ...base, fingerprint: 'db1', labels: { service: 'db' }, incidentId: 'I1' });
    index.put('x', { ...base, fingerprint: 'x', labels: { service: 'cache' }, incidentId: null });
    const d = index.decide({ ...base, fingerprint: 'a', labels: { service: 'api' }, incidentId: null });
    expect(d).toEqual({
      incidentId: 'I1',
      reason: { kind: 'dependency', upstream: 'db', downstream: 'api', with: 'db1' },
      suppressed: { kind: 'downstream', by: 'db1', upstream: 'db' },
    });
    // An alert declaring a new edge on itself: the unrelated cache becomes its upstream.
    const viaLabel = index.decide({
      ...base,
      fingerprint: 'b',
      labels: { service: 'web', depends_on: 'cache' },
      incidentId: null,
    });
    expect(viaLabel.suppressed).toEqual({ kind: 'downstream', by: 'x', upstream: 'cache' });
  });
});
