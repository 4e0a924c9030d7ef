// The engine's own timer loop in a running sidecar (real clock, real Prometheus): rules stored and
// reloaded are evaluated on their grid without anyone driving them, fire, show in /metrics, and a
// disabled rule is left alone. No timing is asserted: the test waits for the outcome.
import { startPrometheus, waitFor, type PrometheusHandle } from '../../../test/harness';
import { startTestServer, type TestServer } from '../testing/fixtures';
import { alertEvents, putTestRule, readMetric } from '../testing/ruleEngine';

jest.setTimeout(60_000);

let prom: PrometheusHandle;
let server: TestServer;

beforeAll(async () => {
  prom = await startPrometheus();
  server = await startTestServer({ datasources: [{ name: 'prom', type: 'prometheus', url: prom.url }] });
});
afterAll(async () => {
  await server?.stop();
  await prom?.stop();
});

it('evaluates stored rules on schedule after a reload and fires them', async () => {
  const rule = {
    severity: 'info',
    query: 'vector(7)',
    condition: { kind: 'threshold', op: '>', threshold: 5 },
    interval: '1s',
  };
  await putTestRule(server.store, server.config, { ...rule, id: 'always', name: 'Always' });
  await putTestRule(server.store, server.config, { ...rule, id: 'paused', name: 'Paused', enabled: false });
  await server.rules.reload();
  expect(server.rules.ruleCount).toBe(2);

  const [event] = await waitFor('a firing event of the scheduled rule', async () => {
    const events = await alertEvents(server.store, 'always');
    return events.length > 0 && events;
  });
  expect(event.metadata).toMatchObject({ event: 'firing', value: 7, threshold: 5, labels: { alertname: 'Always' } });
  expect(server.rules.status('always')).toMatchObject({ health: 'ok', seriesCount: 1, states: { firing: 1 } });
  expect(server.rules.status('paused')).toMatchObject({ health: 'unknown', lastEvaluation: null });

  const text = await (await server.call('/metrics', { token: null })).text();
  expect(readMetric(text, 'vigil_rule_series', { rule: 'always' })).toBe(1);
  expect(readMetric(text, 'vigil_alerts', { state: 'firing' })).toBe(1);
  expect(readMetric(text, 'vigil_rule_queries_total', { deduplicated: 'false' })).toBeGreaterThanOrEqual(1);
});
