/**
 * Writes the browser test's panel fixtures (host/testdata/{anomaly,anomaly-raw,slo,alerts,alerts-sidecar}.json): realistic panel
 * data as a Prometheus-backed dashboard would get it, plus an `expect` block with what a person must
 * see. Deterministic (seeded noise, fixed start time); re-run after changing it:
 *   npx tsx host/testdata/generate.ts
 * The anomaly band and marks come from @vigil/core's detector in the guide's scoring mode (|z| above the
 * sensitivity), the rule the panel's "σ" option describes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StreamingDetector } from '../../core/src';

const OUT = path.dirname(new URL(import.meta.url).pathname);
const START = Date.UTC(2026, 10, 2, 9, 0, 0); // a Monday morning, 09:00 UTC

/** mulberry32: small seeded PRNG so the fixture is identical on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

function write(name: string, body: unknown) {
  fs.writeFileSync(path.join(OUT, `${name}.json`), JSON.stringify(body, null, 1) + '\n');
}

/** p95 latency of the api service at 30 s: a slow ramp, noise, and a 4-minute spike from point `spikeAt`. */
function latency(n: number, spikeAt: number, start: number) {
  const rand = rng(42);
  const time: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < n; i++) {
    time.push(start + i * 30_000);
    const base = 0.18 + 0.02 * Math.sin((i / n) * Math.PI) + (rand() - 0.5) * 0.012;
    const spike = i >= spikeAt && i < spikeAt + 8 ? 0.55 + rand() * 0.25 : 0;
    value.push(round(base + spike, 4));
  }
  return { time, value };
}

/** The anomaly panel's two fixtures: 3 h with the detector's verdicts, 6 h of bare series. */
function anomaly() {
  const n = 360;
  const { time, value } = latency(n, 290, START);
  const detector = new StreamingDetector({ windowSize: 100, sensitivity: 3, scoring: 'guide' });
  const expected: Array<number | null> = [];
  const lower: Array<number | null> = [];
  const upper: Array<number | null> = [];
  const flags: number[] = [];
  const types: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = detector.detect(value[i], time[i]);
    const scored = r.reason === 'ok';
    expected.push(scored ? round(r.expected, 4) : null);
    lower.push(scored ? round(r.lower, 4) : null);
    upper.push(scored ? round(r.upper, 4) : null);
    flags.push(r.isAnomaly ? 1 : 0);
    types.push(r.isAnomaly ? r.anomalyType : '');
  }
  const anomalies = flags.reduce((a, b) => a + b, 0);
  if (anomalies === 0) {
    throw new Error('anomaly fixture: the detector marked no point of the spike; the fixture would not test the marks');
  }
  // Incidents as a person reads them: runs of consecutive anomalous points.
  const incidents = flags.filter((f, i) => f === 1 && flags[i - 1] !== 1).length;
  write('anomaly', {
    title: 'api p95 latency',
    options: { sensitivity: 3, window: 100 },
    frames: [
      {
        name: 'api p95 latency',
        refId: 'A',
        fields: [
          { name: 'Time', type: 'time', values: time },
          {
            name: 'p95',
            type: 'number',
            values: value,
            config: { unit: 's', displayName: 'api p95 latency' },
            labels: { service: 'api' },
          },
          { name: 'expected', type: 'number', values: expected, config: { unit: 's' } },
          { name: 'lower', type: 'number', values: lower, config: { unit: 's' } },
          { name: 'upper', type: 'number', values: upper, config: { unit: 's' } },
          { name: 'anomaly', type: 'number', values: flags },
          { name: 'anomaly_type', type: 'string', values: types },
        ],
      },
    ],
    expect: {
      anomalyCount: `${anomalies} ${anomalies === 1 ? 'anomaly' : 'anomalies'}`,
      incidents,
      types: [...new Set(types.filter(Boolean))].sort(),
    },
  });
  // A series as a Prometheus query returns it, no verdicts: the panel runs the detector itself with its
  // default options. 6 h long with the spike late, so it falls after any warm-up or learning period.
  // The spike must be marked, as a high anomaly.
  const raw = latency(720, 600, START - 3 * 3600_000);
  write('anomaly-raw', {
    title: 'api p95 latency (detected in the panel)',
    frames: [
      {
        name: 'api p95 latency',
        refId: 'A',
        fields: [
          { name: 'Time', type: 'time', values: raw.time },
          {
            name: 'Value',
            type: 'number',
            values: raw.value,
            config: { unit: 's', displayName: 'api p95 latency' },
            labels: { service: 'api' },
          },
        ],
      },
    ],
    expect: { minAnomalies: 1, incidentTypes: ['extreme_high', 'statistical_high'] },
  });
}

/**
 * Gateway availability SLI (ratio of non-5xx requests), 6 h at 1 m. The last 10 minutes hold at
 * 0.99935: against a 99.9% objective that is 65% of the budget consumed, 35.0% left, "warning".
 */
function slo() {
  const rand = rng(7);
  const n = 360;
  const time: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < n; i++) {
    time.push(START + i * 60_000);
    const dip = i >= 200 && i < 215 ? -0.004 : 0; // an error burst earlier in the day
    value.push(i >= n - 10 ? 0.99935 : round(0.9996 + (rand() - 0.5) * 0.0004 + dip, 6));
  }
  write('slo', {
    title: 'gateway availability',
    options: { objective: 99.9, window: '5m', sliUnit: 'ratio' },
    frames: [
      {
        name: 'gateway availability',
        refId: 'A',
        fields: [
          { name: 'Time', type: 'time', values: time },
          {
            name: 'availability',
            type: 'number',
            values: value,
            config: { unit: 'percentunit' },
            labels: { service: 'gateway' },
          },
        ],
      },
    ],
    expect: { budgetRemaining: '35.0%', status: 'warning', objective: '99.9%' },
  });
}

/** Alert rows as a table query returns them: six active (firing or pending), two no longer active. */
function alerts() {
  const rows = [
    ['HighErrorRate', 'critical', 'firing', 'gateway', '5xx ratio above 5% for 5m'],
    ['ServiceDown', 'critical', 'firing', 'payments', 'payments has been down for 2m'],
    ['LatencySLOBurn', 'error', 'firing', 'api', 'p95 latency SLO burning 14x budget'],
    ['HighLatencyP95', 'warning', 'pending', 'orders', 'p95 latency above 500ms'],
    ['DiskFillingUp', 'warning', 'firing', 'database', 'disk full within 4h at this rate'],
    ['HighCPU', 'info', 'firing', 'orders', 'CPU above 80% for 15m'],
    ['HighErrorRate', 'critical', 'resolved', 'orders', '5xx ratio back under 1%'],
    ['MemoryPressure', 'warning', 'normal', 'api', 'memory under 70%'],
  ];
  const col = (i: number) => rows.map((r) => r[i]);
  write('alerts', {
    title: 'Active alerts',
    options: { maxItems: 10 },
    frames: [
      {
        name: 'alerts',
        refId: 'A',
        fields: [
          { name: 'Time', type: 'time', values: rows.map((_, i) => START + 3 * 3600_000 - i * 240_000) },
          { name: 'alertname', type: 'string', values: col(0) },
          { name: 'severity', type: 'string', values: col(1) },
          { name: 'state', type: 'string', values: col(2) },
          { name: 'service', type: 'string', values: col(3) },
          { name: 'summary', type: 'string', values: col(4) },
        ],
      },
    ],
    expect: { count: '6', items: 6, severities: { critical: 2, error: 1, warning: 2, info: 1 } },
  });
}

/**
 * The panel on the Vigil sidecar instead of frames: the browser test's sidecar has one firing alert (its
 * always-firing file rule, service browser-test), read through the app's plugin proxy.
 */
function alertsSidecar() {
  write('alerts-sidecar', {
    title: 'Active alerts (Vigil sidecar)',
    options: { source: 'sidecar', groupBy: 'service', maxItems: 10 },
    frames: [],
    expect: { count: '1', items: 1, severities: { critical: 1 } },
  });
}

anomaly();
slo();
alerts();
alertsSidecar();
console.log(`wrote ${OUT}/{anomaly,anomaly-raw,slo,alerts,alerts-sidecar}.json`);
