import { installFakeBackendSrv } from '../testing/fakeBackendSrv';
import { fakeSloSidecar, sloView } from '../testing/slos';
import { SIDECAR_PROXY_BASE, SidecarError } from './client';
import { createSlo, deleteSlo, getSlo, getSloPrometheusRules, listSlos, updateSlo } from './slos';

describe('SLO API calls', () => {
  test('each call goes to its route with its method, body and If-Match', async () => {
    const { fake } = fakeSloSidecar();
    await expect(listSlos()).resolves.toEqual([sloView()]);
    await expect(getSlo('api_availability')).resolves.toEqual(sloView());
    const spec = { ...sloView().spec, id: 'x y/z', name: 'New' };
    await expect(createSlo(spec)).resolves.toMatchObject({ id: 'x y/z', status: null });
    await expect(updateSlo('api_availability', { ...sloView().spec, name: 'Renamed' }, 1)).resolves.toMatchObject({
      name: 'Renamed',
      version: 2,
    });
    await expect(getSloPrometheusRules('api_availability')).resolves.toContain('slo-api_availability');
    await deleteSlo('x y/z');
    expect(
      fake.requests.map((r) => [r.method, r.url.slice(SIDECAR_PROXY_BASE.length), r.headers?.['If-Match']])
    ).toEqual([
      ['GET', '/slos', undefined],
      ['GET', '/slos/api_availability', undefined],
      ['POST', '/slos', undefined],
      ['PUT', '/slos/api_availability', '1'],
      ['GET', '/slos/api_availability/prometheus-rules', undefined],
      // the id is encoded: a slash in an id cannot reach another route
      ['DELETE', '/slos/x%20y%2Fz', undefined],
    ]);
  });

  test('a stale version is a 409 the caller can tell apart', async () => {
    fakeSloSidecar([sloView({ version: 3 })]);
    const err = await updateSlo('api_availability', sloView().spec, 2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SidecarError);
    expect((err as SidecarError).status).toBe(409);
  });

  test('a 400 invalid_slo carries its field errors', async () => {
    installFakeBackendSrv(() => ({
      status: 400,
      body: {
        error: {
          code: 'invalid_slo',
          message: 'invalid SLO: sli.ratio.total: required',
          fields: [{ field: 'sli.ratio.total', message: 'required' }],
        },
      },
    }));
    const err = (await createSlo({}).catch((e: unknown) => e)) as SidecarError;
    expect(err.code).toBe('invalid_slo');
    expect(err.fields).toEqual([{ field: 'sli.ratio.total', message: 'required' }]);
  });

  test.each([
    ['a list without slos', () => listSlos(), { items: [] }, /GET \/slos: the answer is not an SLO list/],
    ['an SLO without its spec', () => getSlo('a'), { ...sloView(), spec: undefined }, /not an SLO/],
    ['a status without burn rates', () => listSlos(), { slos: [{ ...sloView(), status: {} }] }, /not an SLO list/],
    ['a rule file that is JSON', () => getSloPrometheusRules('a'), { groups: [] }, /not a YAML rule file/],
    ['HTML from a proxy', () => listSlos(), '<html>login</html>', /not an SLO list/],
  ])('%s: a SidecarError that says what is wrong', async (_what, call, body, message) => {
    installFakeBackendSrv(() => ({ status: 200, body }));
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SidecarError);
    expect((err as Error).message).toMatch(message);
  });

  test('an empty id is refused before any request', async () => {
    const fake = installFakeBackendSrv(() => ({ status: 200, body: {} }));
    await expect(getSlo('')).rejects.toThrow(/non-empty/);
    expect(fake.requests).toHaveLength(0);
  });
});
