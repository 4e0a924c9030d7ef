// Correlation end to end on a started sidecar: alerts posted to the Alertmanager receiver become one
// incident (root cause the upstream service, the downstream alert suppressed) visible in the API, and
// the live stream carries the alert and incident changes as they are committed. On SQLite and on
// PostgreSQL.
import type { IncidentDetail, StreamEvent } from '@vigil/core';
import { waitFor } from '../../../test/harness';
import { TEST_TOKEN } from '../testing/fixtures';
import { postJson, startNotifyTestServer, type NotifyTestServer } from '../testing/notifyFixtures';
import { openSse, type SseClient } from '../testing/sse';
import { describeEachStore } from '../testing/storeBackends';

const amAlert = (service: string, alertname: string, severity: string) => ({
  status: 'firing',
  labels: { alertname, service, severity },
  annotations: { summary: `${service}: ${alertname}` },
  startsAt: new Date().toISOString(),
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: 'http://127.0.0.1:9090/graph',
  fingerprint: '',
});
const amBody = (alerts: unknown[]) => ({
  version: '4',
  groupKey: '{}:{}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'vigil',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://127.0.0.1:9093',
  alerts,
});

describeEachStore('correlation on a started sidecar', ({ backend, postgres }) => {
  let t: NotifyTestServer;
  let stream: SseClient;
  beforeAll(async () => {
    const url = backend === 'postgres' ? await postgres().createDatabase(`incidents_live_${process.pid}`) : null;
    t = await startNotifyTestServer({
      correlation: { enabled: true, topology: { dependsOn: { gateway: ['api'], api: ['database'] } } },
      ...(url ? { store: { type: 'postgres', url } } : {}),
    });
    stream = await openSse(`${t.srv.url}/api/v1/stream?types=alert,incident`, TEST_TOKEN);
  });
  afterAll(async () => {
    stream?.close();
    await t?.stop();
  });

  it('makes one incident of a cascade, names the database, and streams the changes', async () => {
    const post = await postJson(
      t.srv,
      '/api/v1/receivers/alertmanager',
      amBody([amAlert('database', 'ServiceDown', 'critical')])
    );
    expect(post.status).toBe(200);
    const post2 = await postJson(
      t.srv,
      '/api/v1/receivers/alertmanager',
      amBody([amAlert('gateway', 'HighLatency', 'warning')])
    );
    expect(post2.status).toBe(200);

    const seen: StreamEvent[] = [];
    await waitFor(
      'alert and incident events for both alerts',
      async () => {
        seen.push(JSON.parse((await stream.next()).data) as StreamEvent);
        const alerts = seen.filter((e) => e.type === 'alert');
        return alerts.length >= 2 && seen.some((e) => e.type === 'incident' && e.incident.alertCount === 2);
      },
      15_000,
      0
    );
    const incidentIds = new Set(seen.flatMap((e) => (e.type === 'alert' && e.incidentId ? [e.incidentId] : [])));
    expect(incidentIds.size).toBe(1);

    const [id] = [...incidentIds];
    const res = await t.srv.call(`/api/v1/incidents/${id}`);
    const detail = (await res.json()) as IncidentDetail;
    expect(detail).toMatchObject({ state: 'open', severity: 'critical', rootCause: { service: 'database' } });
    expect(detail.alerts.map((a) => [a.labels.service, a.role, a.suppression?.kind ?? null]).sort()).toEqual([
      ['database', 'member', null],
      ['gateway', 'suppressed', 'downstream'],
    ]);
    // Only the database pages.
    await waitFor('the page at PagerDuty', async () => t.pd.received().length === 1, 15_000, 20);
    expect(JSON.stringify(t.pd.received()[0].body)).toContain('ServiceDown');
    expect(t.slack.received()).toHaveLength(0);
  });
});
