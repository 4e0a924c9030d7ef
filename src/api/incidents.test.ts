import { installFakeBackendSrv } from '../testing/fakeBackendSrv';
import { incidentDetail, incidentView } from '../testing/incidents';
import { SIDECAR_PROXY_BASE, SidecarError } from './client';
import { acknowledgeIncident, getIncident, listIncidents, resolveIncident } from './incidents';

describe('incidents API calls', () => {
  test('each call goes to its route with its method, params and body', async () => {
    const fake = installFakeBackendSrv((req) => {
      const path = req.url.slice(SIDECAR_PROXY_BASE.length);
      if (path === '/incidents') {
        return { status: 200, body: { incidents: [incidentView()] } };
      }
      if (req.method === 'POST') {
        return {
          status: 200,
          body: incidentDetail({ state: path.endsWith('/resolve') ? 'resolved' : 'acknowledged' }),
        };
      }
      return { status: 200, body: incidentDetail() };
    });
    await expect(listIncidents()).resolves.toEqual({ incidents: [incidentView()] });
    await listIncidents({ state: 'acknowledged', limit: 50 });
    await expect(getIncident('inc 1/x')).resolves.toEqual(incidentDetail());
    await expect(acknowledgeIncident('inc-1', '  on it  ')).resolves.toMatchObject({ state: 'acknowledged' });
    await expect(resolveIncident('inc-1')).resolves.toMatchObject({ state: 'resolved' });
    await resolveIncident('inc-1', '   ');
    expect(fake.requests.map((r) => [r.method, r.url.slice(SIDECAR_PROXY_BASE.length), r.params, r.data])).toEqual([
      ['GET', '/incidents', undefined, undefined],
      ['GET', '/incidents', { state: 'acknowledged', limit: 50 }, undefined],
      // the id is encoded: a slash in an id cannot reach another route
      ['GET', '/incidents/inc%201%2Fx', undefined, undefined],
      ['POST', '/incidents/inc-1/acknowledge', undefined, { comment: 'on it' }],
      ['POST', '/incidents/inc-1/resolve', undefined, {}],
      ['POST', '/incidents/inc-1/resolve', undefined, {}],
    ]);
  });

  test('an action the sidecar answers without the incident still succeeds (undefined)', async () => {
    installFakeBackendSrv(() => ({ status: 204, body: '' }));
    await expect(acknowledgeIncident('inc-1')).resolves.toBeUndefined();
  });

  test.each([
    [
      'a list without incidents',
      () => listIncidents(),
      { items: [] },
      /GET \/incidents: the answer is not an incident list/,
    ],
    [
      'a list entry without a root cause',
      () => listIncidents(),
      { incidents: [{ ...incidentView(), rootCause: undefined }] },
      /not an incident list/,
    ],
    [
      'a detail without its alerts',
      () => getIncident('i'),
      incidentView(),
      /GET \/incidents\/i: the answer is not an incident/,
    ],
    [
      'a detail whose timeline entry has no time',
      () => getIncident('i'),
      incidentDetail({ timeline: [{ kind: 'opened' } as never] }),
      /not an incident/,
    ],
    ['HTML from a proxy', () => listIncidents(), '<html>login</html>', /not an incident list/],
  ])('%s: a SidecarError that says what is wrong', async (_what, call, body, message) => {
    installFakeBackendSrv(() => ({ status: 200, body }));
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SidecarError);
    expect((err as Error).message).toMatch(message);
  });

  test('a Viewer (403 from the proxy) is told so; a missing incident is a 404 that names its route', async () => {
    installFakeBackendSrv(() => ({ status: 403, body: { message: 'plugin proxy route access denied' } }));
    await expect(acknowledgeIncident('inc-1')).rejects.toThrow(
      /POST \/incidents\/inc-1\/acknowledge: the sidecar refused/
    );
    installFakeBackendSrv(() => ({
      status: 404,
      body: { error: { code: 'not_found', message: 'no incident inc-9' } },
    }));
    await expect(getIncident('inc-9')).rejects.toThrow('sidecar GET /incidents/inc-9: HTTP 404 no incident inc-9');
    await expect(getIncident('')).rejects.toThrow(/incident id must be a non-empty string/);
  });
});
