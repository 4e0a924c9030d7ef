// The SLO endpoints against a started sidecar: create, read, list (by budget remaining), update
// with If-Match, delete; 400 naming the field, 409 on a stale version; the Grafana user recorded in
// the change log; the SLO's burn-rate rule kept in step and read-only through the rules API; the
// guide's dashboard data and the generated Prometheus rules.
import type { RuleResource } from '@vigil/core';
import { parse } from 'yaml';
import { startTestServer, type TestServer } from '../testing/fixtures';
import type { ErrorBody } from './errors';
import type { SloView } from './slos';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ datasources: [{ name: 'prometheus', type: 'prometheus', url: 'http://127.0.0.1:9' }] });
});
afterAll(() => srv?.stop());

const spec = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  name: `${id} availability`,
  service: 'api',
  target: 99.9,
  sli: {
    ratio: {
      bad: 'sum(increase(http_requests_total{code=~"5.."}[$__range]))',
      total: 'sum(increase(http_requests_total[$__range]))',
    },
  },
  datasource: 'prometheus',
  ...over,
});

function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return srv.call(path, {
    method,
    headers: { 'content-type': 'application/json', 'x-grafana-user': 'alice', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('/api/v1/slos', () => {
  it('creates an SLO with its rule, records the user, and reads it back in its spec', async () => {
    const res = await send('POST', '/api/v1/slos', spec('checkout'));
    expect(res.status).toBe(201);
    const view = (await res.json()) as SloView;
    expect(view).toMatchObject({
      id: 'checkout',
      target: 99.9,
      window: '30d',
      version: 1,
      createdBy: 'alice',
      status: null,
      spec: expect.objectContaining({ id: 'checkout', datasource: 'prometheus' }),
    });
    expect(await (await srv.call('/api/v1/slos/checkout')).json()).toEqual(view);
    const changes = await srv.store.listChanges('slo', 'checkout');
    expect(changes.map((c) => [c.action, c.user])).toEqual([['create', 'alice']]);
    // Its burn-rate rule, read-only through the rules API.
    const rule = (await (await srv.call('/api/v1/rules/slo-checkout')).json()) as RuleResource;
    expect(rule).toMatchObject({ condition: { kind: 'slo', slo: 'checkout' }, readOnly: true });
    const del = await send('DELETE', '/api/v1/rules/slo-checkout');
    expect(del.status).toBe(403);
    expect(((await del.json()) as ErrorBody).error.message).toMatch(/kept by it: change the SLO/);
  });

  it('refuses a bad spec with 400 naming the field, an unknown datasource, and a duplicate with 409', async () => {
    const bad = await send('POST', '/api/v1/slos', spec('bad', { target: 100 }));
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid_slo');
    expect(body.error.message).toMatch(/^invalid SLO: target: /);
    const ds = await send('POST', '/api/v1/slos', spec('nods', { datasource: 'influx' }));
    expect(ds.status).toBe(400);
    expect(((await ds.json()) as ErrorBody).error.message).toMatch(/datasource: unknown datasource "influx"/);
    await send('POST', '/api/v1/slos', spec('dup'));
    const again = await send('POST', '/api/v1/slos', spec('dup'));
    expect(again.status).toBe(409);
    expect((await srv.call('/api/v1/slos/bad')).status).toBe(404);
    expect((await srv.call('/api/v1/slos/nods')).status).toBe(404);
  });

  it('updates with If-Match, refuses a stale version, and keeps the rule in step', async () => {
    await send('POST', '/api/v1/slos', spec('orders'));
    const ok = await send('PUT', '/api/v1/slos/orders', spec('orders', { target: 99.5 }), {
      'if-match': '1',
      'x-grafana-user': 'bob',
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ version: 2, target: 99.5, createdBy: 'alice', updatedBy: 'bob' });
    const stale = await send('PUT', '/api/v1/slos/orders', spec('orders'), { 'if-match': '1' });
    expect(stale.status).toBe(409);
    const other = await send('PUT', '/api/v1/slos/orders', spec('other'));
    expect(other.status).toBe(400);
    const rule = (await (await srv.call('/api/v1/rules/slo-orders')).json()) as RuleResource;
    expect(rule.description).toMatch(/99\.5% over 30d/);
    expect((await send('DELETE', '/api/v1/slos/orders', undefined, { 'x-grafana-user': 'carol' })).status).toBe(204);
    expect((await srv.call('/api/v1/rules/slo-orders')).status).toBe(404);
    expect((await send('DELETE', '/api/v1/slos/orders')).status).toBe(404);
    expect((await srv.store.listChanges('slo', 'orders')).map((c) => [c.action, c.user])).toEqual([
      ['delete', 'carol'],
      ['update', 'bob'],
      ['create', 'alice'],
    ]);
  });

  it('lists by budget remaining, and gives the guide dashboard figures', async () => {
    await send('POST', '/api/v1/slos', spec('low'));
    await send('POST', '/api/v1/slos', spec('high'));
    const status = (remaining: number, sli: number) => ({
      budget: { sli, remaining, consumed: 1 - remaining, status: remaining < 0.2 ? 'critical' : 'healthy' },
      sliNow: sli,
      burnRate: 1,
      timeToExhaustionMs: null,
      burnRates: [],
      window: { start: 0, end: 1, durationMs: 1, elapsedMs: 1 },
    });
    await srv.store.putSloStatuses([
      { sloId: 'low', evaluatedAt: 1000, status: status(0.1, 0.9991), error: null },
      { sloId: 'high', evaluatedAt: 1000, status: status(0.9, 0.998), error: null },
    ]);
    const list = ((await (await srv.call('/api/v1/slos')).json()) as { slos: SloView[] }).slos;
    expect(list.slice(0, 2).map((v) => [v.id, v.status?.budgetRemaining])).toEqual([
      ['low', 0.1],
      ['high', 0.9],
    ]);
    const dash = (await (await srv.call('/api/v1/slos/dashboard')).json()) as Record<string, unknown> & {
      slo_statuses: Record<string, { status: string; compliance: boolean }>;
    };
    expect(dash.slo_statuses.low).toMatchObject({ status: 'compliant', compliance: true });
    expect(dash.slo_statuses.high).toMatchObject({ status: 'violated', compliance: false });
    expect(dash.slo_statuses.checkout).toMatchObject({ status: 'no_data', compliance: false });
    expect(dash.total_slos).toBe(list.length);
    expect(dash.compliant_slos).toBe(1);
    expect(dash.overall_compliance).toBeCloseTo((1 / list.length) * 100, 9);
  });

  it('checks the burn-down parameters before querying (the queries are tested against Prometheus in slo/)', async () => {
    const bad = await srv.call('/api/v1/slos/checkout/budget?step=soon');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.message).toMatch(/^step: expected a duration/);
    const many = await srv.call('/api/v1/slos/checkout/budget?step=1s');
    expect(many.status).toBe(400);
    expect(((await many.json()) as ErrorBody).error.message).toMatch(/more than 11000/);
    const reversed = await srv.call(`/api/v1/slos/checkout/budget?from=${Date.now()}&to=${Date.now() - 1000}`);
    expect(reversed.status).toBe(400);
    expect((await srv.call('/api/v1/slos/nope/budget')).status).toBe(404);
    // The datasource does not answer (nothing listens on port 9): a gateway error, not a crash.
    const down = await srv.call('/api/v1/slos/checkout/budget');
    expect(down.status).toBeGreaterThanOrEqual(500);
  });

  it('serves the generated Prometheus rules of an SLO', async () => {
    const res = await srv.call('/api/v1/slos/checkout/prometheus-rules');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/yaml/);
    const file = parse(await res.text()) as { groups: Array<{ rules: Array<{ alert?: string }> }> };
    expect(file.groups.flatMap((g) => g.rules).filter((r) => r.alert).length).toBe(4);
    const slice = spec('sliced', {
      sli: { timeslice: { query: 'histogram_quantile(0.95, x)', op: '<', threshold: 0.5, slice: '5m' } },
    });
    expect((await send('POST', '/api/v1/slos', slice)).status).toBe(201);
    const none = await srv.call('/api/v1/slos/sliced/prometheus-rules');
    expect(none.status).toBe(400);
    expect(((await none.json()) as ErrorBody).error.message).toMatch(/^SLO sliced: sli/);
  });
});
