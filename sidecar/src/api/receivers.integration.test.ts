// The receiver endpoints against a started sidecar (real SQLite store, the dispatcher running, loopback
// PagerDuty and Slack fakes): accepted bodies reach routing and the channels; every refused body is a
// 4xx with a clear error and leaves nothing in the store.
import type { GroupsResponse } from '@vigil/core';
import { waitFor } from '../../../test/harness';
import { loadGolden } from '../testing/hostileWebhooks';
import { postJson, startNotifyTestServer, type NotifyTestServer } from '../testing/notifyFixtures';
import type { ErrorBody } from './errors';

jest.setTimeout(60_000);

let t: NotifyTestServer;
beforeAll(async () => {
  t = await startNotifyTestServer({ server: { port: 0, bodyLimit: '64kb' } });
});
afterAll(() => t?.stop());

const AM = '/api/v1/receivers/alertmanager';
const GRAFANA = '/api/v1/receivers/grafana';

function amBody(alerts: Array<{ labels: Record<string, string>; status?: string; fingerprint?: string }>) {
  return {
    version: '4',
    status: 'firing',
    receiver: 'vigil',
    groupKey: '{}:{}',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    alerts: alerts.map((a) => ({
      status: a.status ?? 'firing',
      labels: a.labels,
      annotations: { summary: `${a.labels.alertname} is firing` },
      startsAt: '2026-12-07T01:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://127.0.0.1:9090/graph',
      ...(a.fingerprint ? { fingerprint: a.fingerprint } : {}),
    })),
  };
}

const groupAlerts = async () => {
  const res = await t.srv.call('/api/v1/notify/groups');
  expect(res.status).toBe(200);
  return ((await res.json()) as GroupsResponse).groups.flatMap((g) =>
    g.alerts.map((a) => ({ ...a, receiver: g.receiver }))
  );
};

describe('POST /api/v1/receivers/alertmanager', () => {
  it('accepts the golden body: every alert counted', async () => {
    const res = await postJson(t.srv, AM, loadGolden('alertmanager-v4.json'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2 });
  });

  it('routes a received critical alert to PagerDuty and stores it as an Alertmanager alert', async () => {
    const fp = 'aa00bb11cc22dd33';
    const res = await postJson(
      t.srv,
      AM,
      amBody([{ labels: { alertname: 'ReceivedCritical', severity: 'critical', job: 'api' }, fingerprint: fp }])
    );
    expect(await res.json()).toEqual({ accepted: 1 });
    const event = await waitFor('the PagerDuty event', async () =>
      t.pd.received().find((r) => JSON.stringify(r.body).includes('ReceivedCritical'))
    );
    expect(event.status).toBe(202);
    expect(event.body).toMatchObject({ event_action: 'trigger', payload: { severity: 'critical' } });
    const [stored] = await t.srv.store.getNotifyAlerts([fp]);
    expect(stored).toMatchObject({
      fingerprint: fp,
      source: 'alertmanager',
      status: 'firing',
      labels: { alertname: 'ReceivedCritical', severity: 'critical', job: 'api' },
      endsAt: null,
      threshold: null,
      actions: [],
      generatorURL: 'http://127.0.0.1:9090/graph',
    });
  });

  it('gives an alert without severity the mapped one (warning), so routing by severity matches', async () => {
    const fp = 'ee44ff55aa66bb77';
    await postJson(t.srv, AM, amBody([{ labels: { alertname: 'NoSeverity' }, fingerprint: fp }]));
    const alert = await waitFor('the alert in a group', async () =>
      (await groupAlerts()).find((a) => a.fingerprint === fp)
    );
    expect(alert).toMatchObject({ receiver: 'slack', labels: { alertname: 'NoSeverity', severity: 'warning' } });
  });
});

describe('POST /api/v1/receivers/grafana', () => {
  it("accepts Grafana's contact point body and keeps the query value", async () => {
    const res = await postJson(t.srv, GRAFANA, loadGolden('grafana.json'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2 });
    const stored = await waitFor('the Grafana alert stored', async () => {
      const [a] = await t.srv.store.getNotifyAlerts(['c6eadffa33fcdf37']);
      return a;
    });
    expect(stored).toMatchObject({
      source: 'grafana',
      value: 93.5,
      labels: { alertname: 'CPU high', host: 'web-1', severity: 'warning' },
      annotations: { summary: 'CPU above 90% on web-1', dashboard_url: 'http://127.0.0.1:3000/d/dash1?orgId=1' },
    });
  });
});

describe('refused receiver bodies', () => {
  // Each refusal must leave the inbox and the dispatcher's alerts as they were.
  async function expectNothingStored(fingerprint: string): Promise<void> {
    expect(await t.srv.store.readInbox(10)).toEqual([]);
    expect(await t.srv.store.getNotifyAlerts([fingerprint])).toEqual([]);
  }
  const fp = '0123456789abcdef';
  const good = () => amBody([{ labels: { alertname: 'Refused', severity: 'critical' }, fingerprint: fp }]);

  it('401 without the bearer token or with a wrong one', async () => {
    for (const token of [null, 'wrong-token-0123456789abcdef']) {
      for (const path of [AM, GRAFANA]) {
        const res = await t.srv.call(path, {
          method: 'POST',
          token,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(good()),
        });
        expect(res.status).toBe(401);
        expect(((await res.json()) as ErrorBody).error.code).toBe('unauthorized');
      }
    }
    await expectNothingStored(fp);
  });

  it('415 for a body that is not JSON, naming the content type', async () => {
    const res = await t.srv.call(AM, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(good()),
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      error: {
        code: 'unsupported_media_type',
        message: 'the Alertmanager webhook body must be JSON: send "Content-Type: application/json" (got "text/plain")',
      },
    });
    const none = await t.srv.call(GRAFANA, { method: 'POST' });
    expect(none.status).toBe(415);
    expect(((await none.json()) as ErrorBody).error.message).toMatch(/\(none given\)$/);
    await expectNothingStored(fp);
  });

  it('413 past server.bodyLimit, 400 for invalid JSON and for an empty body', async () => {
    const big = good();
    big.alerts[0].annotations.summary = 'x'.repeat(70 * 1024);
    const tooBig = await postJson(t.srv, AM, big);
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as ErrorBody).error.code).toBe('payload_too_large');

    const broken = await postJson(t.srv, AM, '{"version": "4", "alerts": [');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ErrorBody).error.code).toBe('invalid_json');

    const empty = await postJson(t.srv, GRAFANA, '');
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({
      error: {
        code: 'invalid_payload',
        message: 'invalid Grafana webhook body, nothing stored: $: the body is empty',
        fields: [{ path: '$', message: 'the body is empty' }],
      },
    });
    await expectNothingStored(fp);
  });

  it('400 invalid_payload with the JSON path of each problem; a body wrong anywhere is refused whole', async () => {
    const body = amBody([
      { labels: { alertname: 'Refused', severity: 'critical' }, fingerprint: fp },
      { labels: { alertname: 'Refused', 'bad-name': 'x' } },
    ]);
    (body.alerts[0] as Record<string, unknown>).startsAt = 'yesterday';
    const res = await postJson(t.srv, AM, body);
    expect(res.status).toBe(400);
    const err = ((await res.json()) as { error: { code: string; message: string; fields: Array<{ path: string }> } })
      .error;
    expect(err.code).toBe('invalid_payload');
    expect(err.message).toMatch(
      /^invalid Alertmanager webhook body, nothing stored: \$\.alerts\[0\]\.startsAt: .* \(and 1 more\)$/
    );
    expect(err.fields.map((f) => f.path)).toEqual(['$.alerts[0].startsAt', '$.alerts[1].labels["bad-name"]']);
    // The same alerts as Grafana would send them, but with Alertmanager's version: refused too.
    const wrongVersion = await postJson(t.srv, GRAFANA, good());
    expect(wrongVersion.status).toBe(400);
    expect(((await wrongVersion.json()) as { error: { fields: unknown[] } }).error.fields).toEqual([
      { path: '$.version', message: 'must be "1", got "4"' },
    ]);
    await expectNothingStored(fp);
  });
});
