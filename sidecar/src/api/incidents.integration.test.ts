// The incident endpoints against a started sidecar, incidents seeded through the store's commitIncidents:
// list by state with counts and services, one with its alerts (roles, reasons, summaries) and timeline,
// acknowledge and resolve with the Grafana user (incident, timeline, change log; 404, 409, idempotent),
// and the stream event an acknowledge publishes, read by a real HTTP client. On SQLite and on PostgreSQL.
import type { IncidentDetail, IncidentsResponse, IncidentView, StreamEvent } from '@vigil/core';
import { cascade, incidentRecord, T0 } from '../testing/incidentFixtures';
import { startTestServer, TEST_TOKEN, type TestServer } from '../testing/fixtures';
import { postJson } from '../testing/notifyFixtures';
import { openSse } from '../testing/sse';
import { describeEachStore } from '../testing/storeBackends';
import type { ErrorBody } from './errors';

describeEachStore('incidents API', ({ backend, postgres }) => {
  let srv: TestServer;
  beforeAll(async () => {
    // On PostgreSQL the sidecar runs on a fresh database of the suite's server.
    const url = backend === 'postgres' ? await postgres().createDatabase(`incidents_api_${process.pid}`) : null;
    srv = await startTestServer(url ? { store: { type: 'postgres', url } } : {});
    await srv.store.commitIncidents(cascade('db-down', T0));
    await srv.store.commitIncidents({
      incidents: [
        incidentRecord('acked', {
          title: 'acked',
          state: 'acknowledged',
          updatedAt: T0 + 5000,
          acknowledgedAt: T0 + 5000,
          acknowledgedBy: 'carol',
        }),
        incidentRecord('old', { title: 'old', state: 'resolved', updatedAt: T0 - 10, resolvedAt: T0 - 10 }),
      ],
      alerts: [],
      timeline: [],
    });
  });
  afterAll(() => srv?.stop());

  const asUser = (user: string) => ({ 'x-grafana-user': user });

  async function list(query = ''): Promise<IncidentView[]> {
    const res = await srv.call(`/api/v1/incidents${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as IncidentsResponse).incidents;
  }

  async function errorOf(res: Response, status: number): Promise<ErrorBody['error']> {
    expect(res.status).toBe(status);
    return ((await res.json()) as ErrorBody).error;
  }

  it('lists incidents newest first, by state, with alert counts and services', async () => {
    expect((await list()).map((i) => i.id)).toEqual(['acked', 'db-down', 'old']);
    expect((await list('?state=open,acknowledged')).map((i) => i.id)).toEqual(['acked', 'db-down']);
    expect((await list('?state=resolved')).map((i) => i.id)).toEqual(['old']);
    expect((await list('?limit=1')).map((i) => i.id)).toEqual(['acked']);
    const [dbDown] = await list('?state=open');
    expect(dbDown).toEqual({
      id: 'db-down',
      title: 'database down (db-down)',
      state: 'open',
      severity: 'critical',
      rootCause: {
        fingerprint: 'db-down-db',
        service: 'database',
        reason: 'most upstream service with an active alert (database)',
      },
      openedAt: new Date(T0).toISOString(),
      updatedAt: new Date(T0 + 2000).toISOString(),
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      resolvedBy: null,
      alertCount: 3,
      suppressedCount: 1,
      services: ['api', 'database', 'gateway'],
    });
    expect(await errorOf(await srv.call('/api/v1/incidents?state=closed'), 400)).toEqual({
      code: 'invalid_request',
      message: 'state: unknown value "closed" (expected open, acknowledged, resolved)',
    });
    expect((await errorOf(await srv.call('/api/v1/incidents?limit=0'), 400)).message).toBe(
      'limit: expected an integer from 1 to 1000'
    );
    expect((await srv.call('/api/v1/incidents', { token: null })).status).toBe(401);
  });

  it('shows one incident with its alerts (roles, reasons, summaries) and its timeline oldest first', async () => {
    const res = await srv.call('/api/v1/incidents/db-down');
    expect(res.status).toBe(200);
    const d = (await res.json()) as IncidentDetail;
    expect(d.alerts.map((a) => [a.fingerprint, a.role])).toEqual([
      ['db-down-db', 'member'],
      ['db-down-api', 'member'],
      ['db-down-gw', 'suppressed'],
    ]);
    expect(d.alerts[0]).toMatchObject({
      correlation: null,
      suppression: null,
      summary: 'summary of db-down-db',
      annotations: { summary: 'summary of db-down-db' },
    });
    expect(d.alerts[1]).toMatchObject({
      correlation: { kind: 'dependency', upstream: 'database', downstream: 'api', with: 'db-down-db' },
      generatorURL: 'http://127.0.0.1:3000/rules/high_error_rate',
      startsAt: new Date(T0 + 1000).toISOString(),
      endsAt: null,
    });
    expect(d.alerts[2]).toMatchObject({
      severity: 'warning',
      suppression: { kind: 'downstream', by: 'db-down-db', upstream: 'database' },
      summary: null,
    });
    expect(d.timeline.map((t) => t.kind)).toEqual(['opened', 'alert_joined', 'alert_suppressed']);
    expect(d.timeline[0]).toEqual({
      at: new Date(T0).toISOString(),
      kind: 'opened',
      message: 'opened by DatabaseDown (database)',
      user: null,
    });
    expect(await errorOf(await srv.call('/api/v1/incidents/nope'), 404)).toEqual({
      code: 'not_found',
      message: 'incident "nope" not found',
    });
  });

  it('acknowledges as the Grafana user, publishes the change on the stream, and is idempotent', async () => {
    await srv.store.commitIncidents(cascade('ack-me', T0));
    const stream = await openSse(`${srv.url}/api/v1/stream`, TEST_TOKEN);
    try {
      expect(stream.status).toBe(200);
      expect(await stream.nextComment()).toBe('connected');
      const res = await postJson(
        srv,
        '/api/v1/incidents/ack-me/acknowledge',
        { comment: 'looking at the primary' },
        asUser('alice')
      );
      expect(res.status).toBe(200);
      const d = (await res.json()) as IncidentDetail;
      expect(d).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'alice', resolvedBy: null });
      expect(Date.parse(d.acknowledgedAt!)).toBeGreaterThan(T0);
      expect(d.timeline.at(-1)).toEqual({
        at: d.acknowledgedAt,
        kind: 'acknowledged',
        message: 'acknowledged: looking at the primary',
        user: 'alice',
      });

      const e = await stream.next();
      expect(e.event).toBe('incident');
      expect(Number(e.id)).toBeGreaterThan(0);
      const { alerts: _a, timeline: _t, ...view } = d;
      expect(JSON.parse(e.data) as StreamEvent).toEqual({ type: 'incident', at: d.acknowledgedAt, incident: view });

      // again, by someone else: nothing changes, nothing is recorded
      const again = await srv.call('/api/v1/incidents/ack-me/acknowledge', { method: 'POST', headers: asUser('bob') });
      expect(again.status).toBe(200);
      expect((await again.json()) as IncidentDetail).toEqual(d);
      const changes = await srv.store.listChanges('incident', 'ack-me');
      expect(changes).toEqual([
        {
          at: Date.parse(d.acknowledgedAt!),
          user: 'alice',
          action: 'acknowledge',
          objectType: 'incident',
          objectId: 'ack-me',
          detail: { from: 'open', to: 'acknowledged', comment: 'looking at the primary' },
        },
      ]);
    } finally {
      stream.close();
    }
  });

  it('resolves (api user without X-Grafana-User), idempotently; a resolved incident cannot be acknowledged', async () => {
    await srv.store.commitIncidents(cascade('fix-me', T0));
    const res = await srv.call('/api/v1/incidents/fix-me/resolve', { method: 'POST' });
    expect(res.status).toBe(200);
    const d = (await res.json()) as IncidentDetail;
    expect(d).toMatchObject({ state: 'resolved', resolvedBy: 'api', acknowledgedBy: null });
    expect(d.timeline.at(-1)).toMatchObject({ kind: 'resolved', message: 'resolved', user: 'api' });
    expect((await list('?state=resolved')).map((i) => i.id)).toContain('fix-me');

    const again = await postJson(srv, '/api/v1/incidents/fix-me/resolve', {}, asUser('bob'));
    expect((await again.json()) as IncidentDetail).toEqual(d);
    expect(await errorOf(await srv.call('/api/v1/incidents/fix-me/acknowledge', { method: 'POST' }), 409)).toEqual({
      code: 'conflict',
      message: 'incident "fix-me" is resolved: only an open incident can be acknowledged',
    });
    expect((await srv.store.listChanges('incident', 'fix-me')).map((c) => [c.action, c.user, c.detail])).toEqual([
      ['resolve', 'api', { from: 'open', to: 'resolved', comment: null }],
    ]);
  });

  it('resolves an acknowledged incident, keeping who acknowledged it', async () => {
    const res = await postJson(srv, '/api/v1/incidents/acked/resolve', { comment: 'failover done' }, asUser('dave'));
    expect(res.status).toBe(200);
    expect((await res.json()) as IncidentDetail).toMatchObject({
      state: 'resolved',
      acknowledgedBy: 'carol',
      resolvedBy: 'dave',
      timeline: [{ kind: 'resolved', message: 'resolved: failover done', user: 'dave' }],
    });
  });

  it('answers 404 for an unknown incident and 400 for a bad body, changing nothing', async () => {
    expect((await errorOf(await srv.call('/api/v1/incidents/nope/resolve', { method: 'POST' }), 404)).message).toBe(
      'incident "nope" not found'
    );
    expect(
      (await errorOf(await postJson(srv, '/api/v1/incidents/db-down/acknowledge', { comment: 5 }), 400)).message
    ).toBe('comment: expected a string of at most 2000 characters');
    expect(
      (await errorOf(await postJson(srv, '/api/v1/incidents/db-down/acknowledge', { note: 'x' }), 400)).message
    ).toBe('unknown field "note" (expected only comment)');
    expect((await errorOf(await postJson(srv, '/api/v1/incidents/db-down/acknowledge', '[1]'), 400)).message).toMatch(
      /must be a JSON object/
    );
    expect((await srv.store.getIncident('db-down'))?.state).toBe('open');
    expect(await srv.store.listChanges('incident', 'db-down')).toEqual([]);
  });
});
