// Optional InfluxDB 1.x output of the workload: every few seconds, one point per service (request and
// error counts, p95 latency, CPU, memory, up) and one business point, in line protocol over /write.
// It lets the InfluxDB side of Vigil (datasource, dashboards, detectors) run on the same simulated system.
import { Step } from './model';

/** Where and how often to write. */
export interface InfluxOutputOptions {
  url: string;
  database: string;
  /** Flush interval, seconds. Default 10. */
  intervalSeconds?: number;
  /** Called with a message when a write fails (the workload keeps running). */
  onError?: (message: string) => void;
}

interface ServiceAgg {
  requests: number;
  errors: number;
  latencies: number[];
  cpu: number;
  memory: number;
  up: boolean;
}

/** The p-quantile (0..1) of unsorted values, nearest rank; NaN for none. */
export function quantile(values: number[], p: number): number {
  if (!values.length) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Collects steps and turns them into line protocol. */
export class InfluxAggregator {
  private services = new Map<string, ServiceAgg>();
  private orders = 0;
  private revenue = 0;

  /** Adds one simulation step. */
  record(step: Step): void {
    for (const s of step.services) {
      const agg = this.services.get(s.service) ?? {
        requests: 0,
        errors: 0,
        latencies: [],
        cpu: 0,
        memory: 0,
        up: true,
      };
      for (const r of s.requests) {
        agg.requests += r.count;
        if (r.code !== '200') {
          agg.errors += r.count;
        }
      }
      agg.latencies.push(...s.latencies);
      agg.cpu = s.cpuPercent;
      agg.memory = s.memoryBytes;
      agg.up = s.up;
      this.services.set(s.service, agg);
    }
    this.orders += step.orders;
    this.revenue += step.revenueUsd;
  }

  /** Line protocol for everything recorded since the last drain (timestamp in ms), then resets. */
  drain(timestampMs: number): string[] {
    const lines: string[] = [];
    for (const [service, a] of this.services) {
      const fields = [
        `requests=${a.requests}i`,
        `errors=${a.errors}i`,
        `error_ratio=${a.requests ? a.errors / a.requests : 0}`,
        `cpu_percent=${Math.round(a.cpu * 100) / 100}`,
        `memory_bytes=${a.memory}i`,
        `up=${a.up ? 1 : 0}i`,
      ];
      const p95 = quantile(a.latencies, 0.95);
      if (Number.isFinite(p95)) {
        fields.push(`latency_p95_seconds=${p95}`);
      }
      lines.push(`vigil_demo_service,service=${service} ${fields.join(',')} ${timestampMs}`);
    }
    if (this.services.size) {
      lines.push(
        `vigil_demo_business orders=${this.orders}i,revenue_usd=${Math.round(this.revenue * 100) / 100} ${timestampMs}`
      );
    }
    this.services = new Map();
    this.orders = 0;
    this.revenue = 0;
    return lines;
  }
}

/** Starts periodic writes; `record` feeds steps, `close` writes what is left and stops. */
export function startInfluxOutput(opts: InfluxOutputOptions): { record(step: Step): void; close(): Promise<void> } {
  const agg = new InfluxAggregator();
  let lastError = '';
  const flush = async (): Promise<void> => {
    const lines = agg.drain(Date.now());
    if (!lines.length) {
      return;
    }
    try {
      const params = new URLSearchParams({ db: opts.database, precision: 'ms' });
      const res = await fetch(`${opts.url.replace(/\/$/, '')}/write?${params}`, {
        method: 'POST',
        body: lines.join('\n'),
        signal: AbortSignal.timeout(5000),
      });
      if (res.status !== 204) {
        throw new Error(`HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
      }
      lastError = '';
    } catch (err) {
      // Report a failure once until writes work again, not on every flush.
      const message = `write to InfluxDB ${opts.url} db ${opts.database}: ${(err as Error).message}`;
      if (message !== lastError) {
        opts.onError?.(message);
      }
      lastError = message;
    }
  };
  const timer = setInterval(() => void flush(), (opts.intervalSeconds ?? 10) * 1000);
  return {
    record: (step) => agg.record(step),
    close: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}
