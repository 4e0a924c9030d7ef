/**
 * Request counters for SLO tests: one sample a minute, as Prometheus would have scraped them, with
 * the error rate a test chooses per minute, and the direct count of what they hold in a span.
 */
import type { Slo } from '@vigil/core';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** Counter series (`<prefix>_requests_total`, `<prefix>_errors_total`, label `svc`) for the backfill. */
export function sloCounters(
  prefix: string,
  svc: string,
  from: number,
  to: number,
  perMinute: number,
  errorsAt: (t: number) => number
) {
  const requests: Array<{ timestamp: number; value: number }> = [];
  const errors: Array<{ timestamp: number; value: number }> = [];
  let r = 0;
  let e = 0;
  for (let t = from; t <= to; t += MIN) {
    r += perMinute;
    e += errorsAt(t);
    requests.push({ timestamp: t, value: r });
    errors.push({ timestamp: t, value: Math.round(e * 1000) / 1000 });
  }
  return [
    { labels: { __name__: `${prefix}_requests_total`, svc }, samples: requests },
    { labels: { __name__: `${prefix}_errors_total`, svc }, samples: errors },
  ];
}

/** A 99.9% availability SLO over 30 days on those counters. */
export function counterSlo(prefix: string, svc: string, over: Partial<Slo> = {}): Slo {
  return {
    id: `${svc}-availability`,
    name: `${svc} availability`,
    description: '',
    service: svc,
    target: 99.9,
    sli: {
      kind: 'ratio',
      language: 'promql',
      bad: `sum(increase(${prefix}_errors_total{svc="${svc}"}[$__range]))`,
      total: `sum(increase(${prefix}_requests_total{svc="${svc}"}[$__range]))`,
    },
    datasource: 'prom',
    window: { kind: 'rolling', durationMs: 30 * DAY },
    measurementWindowMs: 5 * MIN,
    minEvents: 0,
    alerting: { page: true, ticket: true },
    labels: {},
    ...over,
  };
}
