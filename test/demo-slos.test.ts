// The demo's SLOs (demo/slos.yaml): the sidecar's spec parser accepts them as the guide's three SLOs;
// every query reads a metric the demo workload registers, with a service it simulates; the latency
// threshold is a bucket bound of the workload's histogram; and demo/run.ts's loading step is
// idempotent against a real sidecar (created once, then updated, never duplicated).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Slo } from '@vigil/core';
import { parseSloFile } from '../sidecar/src/slo/spec';
import { startTestServer, TEST_TOKEN, type TestServer } from '../sidecar/src/testing/fixtures';
import { DEMO_SLOS_FILE, loadDemoSlos } from '../demo/slos';
import { createMetrics, LATENCY_BUCKETS } from '../demo/workload/metrics';
import { SERVICES } from '../demo/workload/topology';

const slos = parseSloFile(parse(readFileSync(DEMO_SLOS_FILE, 'utf8')));

/** The queries of an SLI (a latency SLI's is its histogram's `_bucket` series). */
function queriesOf(slo: Slo): string[] {
  const sli = slo.sli;
  if (sli.kind === 'ratio') {
    return [sli.good ?? sli.bad ?? '', sli.total];
  }
  if (sli.kind === 'latency') {
    return [`${sli.histogram}_bucket{${sli.matchers}}`];
  }
  return [sli.query];
}

/** Metric names a query reads: identifiers followed by a selector or range. */
const metricNames = (q: string) => [...q.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{[]/g)].map((m) => m[1]);
const services = (q: string) => [...q.matchAll(/service\s*=\s*"([^"]+)"/g)].map((m) => m[1]);

test("the spec parser accepts the demo SLOs: the guide's three, with its targets", () => {
  expect(slos.map((s) => [s.id, s.target, s.sli.kind])).toEqual([
    ['api_availability', 99.9, 'ratio'],
    ['api_response_time', 95, 'latency'],
    ['data_pipeline_success', 99.5, 'ratio'],
  ]);
  expect(slos.every((s) => s.datasource === 'prometheus')).toBe(true);
});

test('every query reads a metric of the workload registry, for a service the workload simulates', async () => {
  const registry = createMetrics().registry;
  const names = new Set(
    (await registry.getMetricsAsJSON()).flatMap((m) =>
      String(m.type) === 'histogram' ? [`${m.name}_bucket`, `${m.name}_count`, `${m.name}_sum`] : [m.name]
    )
  );
  for (const slo of slos) {
    const queries = queriesOf(slo);
    for (const q of queries) {
      const used = metricNames(q);
      expect([slo.id, used.length > 0]).toEqual([slo.id, true]);
      expect([slo.id, used.filter((n) => !names.has(n))]).toEqual([slo.id, []]);
      expect([slo.id, services(q).filter((s) => !(SERVICES as readonly string[]).includes(s))]).toEqual([slo.id, []]);
    }
  }
  const latency = slos.find((s) => s.sli.kind === 'latency')!.sli;
  expect(latency.kind === 'latency' && LATENCY_BUCKETS.includes(latency.thresholdSeconds)).toBe(true);
});

describe('loading into a sidecar (demo/run.ts)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({
      datasources: [{ name: 'prometheus', type: 'prometheus', url: 'http://127.0.0.1:9' }],
    });
  });
  afterAll(() => srv?.stop());

  it('creates the SLOs once, then updates them: a restart leaves one copy of each', async () => {
    const first = await loadDemoSlos({ url: srv.url, token: TEST_TOKEN });
    expect(first).toEqual({ created: slos.map((s) => s.id), updated: [] });
    const second = await loadDemoSlos({ url: srv.url, token: TEST_TOKEN });
    expect(second).toEqual({ created: [], updated: slos.map((s) => s.id) });
    const list = (await (await srv.call('/api/v1/slos')).json()) as { slos: Array<{ id: string; version: number }> };
    expect(list.slos.map((s) => s.id).sort()).toEqual(slos.map((s) => s.id).sort());
    expect(list.slos.every((s) => s.version === 2)).toBe(true);
  });

  it('a refused SLO stops the load, naming it and the answer', async () => {
    await expect(loadDemoSlos({ url: srv.url, token: 'wrong-token' })).rejects.toThrow(
      /loading the demo SLO api_availability: HTTP 401/
    );
  });
});
