/**
 * The rule benchmark's rule set and data, generated deterministically from a seed so that Vigil and
 * Prometheus evaluate exactly the same rules over exactly the same series.
 *
 * Each service has 5 instances and 5 rules, as a real per-service rule set has: error ratio warning
 * and critical on one expression, CPU warning and critical on another (two rules sharing a query with
 * different thresholds, as alerting rule sets usually pair them), and a low-traffic rule with a query of
 * its own. Every query returns one series per instance (5). The data puts a few percent of the
 * instances over each threshold, so some alerts are pending (and, with `for`, firing) as in production.
 */
import { stringify } from 'yaml';
import type { RuleBody } from '../../core/src/rules/api';
import { rng } from '../../core/src/detection/synthetic';
import type { BulkSeries } from './remoteWrite';

/** Rules per service (see the file comment). */
export const RULES_PER_SERVICE = 5;
/** Instances (series per query) per service. */
export const INSTANCES = 5;
/** Rules per Prometheus group: a team's file, say. */
export const RULES_PER_GROUP = 100;

/** One rule, written once for both engines. */
export interface BenchRule {
  id: string;
  /** Prometheus alert name (a valid metric name; several rules share it, as in real rule files). */
  alert: string;
  service: string;
  query: string;
  op: '>' | '<';
  threshold: number;
  severity: 'critical' | 'warning';
  forSeconds: number;
}

/** `svc0042`: service names sort in generation order. */
export function serviceName(i: number): string {
  return `svc${String(i).padStart(4, '0')}`;
}

/** The rules of the first `services` services (5 each). */
export function benchRules(services: number): BenchRule[] {
  const out: BenchRule[] = [];
  for (let i = 0; i < services; i++) {
    const s = serviceName(i);
    const errors =
      `100 * sum by (instance) (rate(bench_requests_total{service="${s}",code="500"}[5m]))` +
      ` / sum by (instance) (rate(bench_requests_total{service="${s}"}[5m]))`;
    const cpu = `bench_cpu_usage_percent{service="${s}"}`;
    const traffic = `sum by (instance) (rate(bench_requests_total{service="${s}",code="200"}[5m]))`;
    const rule = (
      suffix: string,
      alert: string,
      query: string,
      op: '>' | '<',
      threshold: number,
      severity: BenchRule['severity'],
      forSeconds: number
    ): BenchRule => ({ id: `${s}-${suffix}`, alert, service: s, query, op, threshold, severity, forSeconds });
    out.push(
      rule('error-ratio-warning', 'BenchHighErrorRatio', errors, '>', 5, 'warning', 300),
      rule('error-ratio-critical', 'BenchHighErrorRatio', errors, '>', 10, 'critical', 120),
      rule('cpu-warning', 'BenchHighCpu', cpu, '>', 80, 'warning', 600),
      rule('cpu-critical', 'BenchHighCpu', cpu, '>', 95, 'critical', 300),
      rule('low-traffic', 'BenchLowTraffic', traffic, '<', 2, 'warning', 300)
    );
  }
  return out;
}

/** Distinct queries of a rule set (what a deduplicating engine sends per cycle). */
export function distinctQueries(rules: readonly BenchRule[]): number {
  return new Set(rules.map((r) => r.query)).size;
}

function duration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/** Vigil's rule file: `{ rules: RuleBody[] }`, every rule at `interval`. */
export function vigilRuleFile(rules: readonly BenchRule[], interval: string): string {
  const bodies: RuleBody[] = rules.map((r) => ({
    id: r.id,
    name: `${r.alert} ${r.service} ${r.severity}`,
    severity: r.severity,
    datasource: 'prometheus',
    query: r.query,
    condition: { kind: 'threshold', op: r.op, threshold: r.threshold },
    for: duration(r.forSeconds),
    interval,
    labels: { service: r.service, team: `team${r.service.slice(-1)}` },
    annotations: { summary: `${r.alert} on {{ $labels.instance }}: {{ $value }}` },
  }));
  return stringify({ rules: bodies });
}

/**
 * Prometheus' rule file with the same rules, `RULES_PER_GROUP` per group named `<prefix>-NNN`, every
 * group at `interval`.
 */
export function prometheusRuleFile(rules: readonly BenchRule[], interval: string, prefix: string): string {
  const groups: Array<{ name: string; interval: string; rules: unknown[] }> = [];
  for (let g = 0; g * RULES_PER_GROUP < rules.length; g++) {
    groups.push({
      name: `${prefix}-${String(g).padStart(3, '0')}`,
      interval,
      rules: rules.slice(g * RULES_PER_GROUP, (g + 1) * RULES_PER_GROUP).map((r) => ({
        alert: r.alert,
        expr: `(${r.query}) ${r.op} ${r.threshold}`,
        for: duration(r.forSeconds),
        labels: { severity: r.severity, service: r.service, team: `team${r.service.slice(-1)}` },
        annotations: { summary: `${r.alert} on {{ $labels.instance }}: {{ $value }}` },
      })),
    });
  }
  return stringify({ groups });
}

/**
 * The series behind `services` services: per instance, request counters (codes 200 and 500) and a
 * CPU gauge, one sample every `stepMs` from `fromMs` to `toMs`. About 4% of the instances run at a 7%
 * error ratio and 2% at 15%; 4% at 85% CPU and 2% at 97%; 3% serve under 2 requests/s.
 */
export function benchSeries(services: number, fromMs: number, toMs: number, stepMs: number): BulkSeries[] {
  const timestamps: number[] = [];
  for (let t = fromMs; t <= toMs; t += stepMs) {
    timestamps.push(t);
  }
  const out: BulkSeries[] = [];
  for (let i = 0; i < services; i++) {
    const service = serviceName(i);
    for (let j = 0; j < INSTANCES; j++) {
      const u = rng(1 + i * INSTANCES + j);
      const instance = `10.0.${i % 250}.${j}:8080`;
      const pick = u();
      const rps = pick < 0.03 ? 1 : 5 + 45 * u();
      const errRatio = pick > 0.98 ? 0.15 : pick > 0.94 ? 0.07 : 0.005 + 0.01 * u();
      const cpuPick = u();
      const cpuLevel = cpuPick > 0.98 ? 97 : cpuPick > 0.94 ? 85 : 20 + 50 * u();
      const ok: number[] = [];
      const err: number[] = [];
      const cpu: number[] = [];
      let okTotal = Math.floor(1e5 * u());
      let errTotal = Math.floor(1e3 * u());
      for (let k = 0; k < timestamps.length; k++) {
        // ±10% per step around the instance's rate, so rate() is not a constant.
        const served = rps * (stepMs / 1000) * (0.9 + 0.2 * u());
        errTotal += Math.round(served * errRatio);
        okTotal += Math.round(served * (1 - errRatio));
        ok.push(okTotal);
        err.push(errTotal);
        cpu.push(Math.min(100, Math.round((cpuLevel + 2 * (u() - 0.5)) * 100) / 100));
      }
      const base = { service, instance, job: 'bench' };
      out.push(
        { labels: { __name__: 'bench_requests_total', ...base, code: '200' }, timestamps, values: ok },
        { labels: { __name__: 'bench_requests_total', ...base, code: '500' }, timestamps, values: err },
        { labels: { __name__: 'bench_cpu_usage_percent', ...base }, timestamps, values: cpu }
      );
    }
  }
  return out;
}
