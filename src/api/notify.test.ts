import { installFakeBackendSrv } from '../testing/fakeBackendSrv';
import { channelView, notificationView, routingResponse, silenceView } from '../testing/notify';
import { SIDECAR_PROXY_BASE, SidecarError } from './client';
import {
  createSilence,
  expireSilence,
  getRouting,
  listChannels,
  listGroups,
  listNotifications,
  listSilences,
  retryNotification,
  testSendChannel,
} from './notify';

const silenceBody = { matchers: 'alertname="HighLatency"', endsAt: '2026-01-01T12:00:00Z', comment: 'fix' };

describe('notification API calls', () => {
  test('each call goes to its route with its method, params and body', async () => {
    const fake = installFakeBackendSrv((req) => {
      const path = req.url.slice(SIDECAR_PROXY_BASE.length);
      if (path === '/notify/channels') {
        return { status: 200, body: { channels: [channelView()] } };
      }
      if (path.endsWith('/test')) {
        return { status: 200, body: { ok: true, durationMs: 12 } };
      }
      if (path === '/notify/routing') {
        return { status: 200, body: routingResponse() };
      }
      if (path === '/notify/groups') {
        return { status: 200, body: { groups: [] } };
      }
      if (path === '/silences' && req.method === 'GET') {
        return { status: 200, body: { silences: [silenceView()] } };
      }
      if (path.startsWith('/silences')) {
        return { status: 200, body: silenceView({ state: req.method === 'DELETE' ? 'expired' : 'active' }) };
      }
      if (path === '/notifications') {
        return { status: 200, body: { notifications: [notificationView()] } };
      }
      return { status: 202, body: notificationView({ status: 'pending' }) };
    });
    await expect(listChannels()).resolves.toEqual({ channels: [channelView()] });
    await expect(testSendChannel('ops webhook/1')).resolves.toEqual({ ok: true, durationMs: 12 });
    await expect(getRouting()).resolves.toEqual(routingResponse());
    await expect(listGroups()).resolves.toEqual({ groups: [] });
    await listSilences();
    await listSilences({ state: 'active' });
    await expect(createSilence(silenceBody)).resolves.toMatchObject({ id: 'sil-1', state: 'active' });
    await expect(expireSilence('sil-1')).resolves.toMatchObject({ state: 'expired' });
    await listNotifications({ status: 'failed' });
    await expect(retryNotification('n-1')).resolves.toMatchObject({ status: 'pending' });
    expect(fake.requests.map((r) => [r.method, r.url.slice(SIDECAR_PROXY_BASE.length), r.params, r.data])).toEqual([
      ['GET', '/notify/channels', undefined, undefined],
      // the name is encoded: a space or slash in a name cannot reach another route
      ['POST', '/notify/channels/ops%20webhook%2F1/test', undefined, {}],
      ['GET', '/notify/routing', undefined, undefined],
      ['GET', '/notify/groups', undefined, undefined],
      ['GET', '/silences', undefined, undefined],
      ['GET', '/silences', { state: 'active' }, undefined],
      ['POST', '/silences', undefined, silenceBody],
      ['DELETE', '/silences/sil-1', undefined, undefined],
      ['GET', '/notifications', { status: 'failed' }, undefined],
      ['POST', '/notifications/n-1/retry', undefined, {}],
    ]);
  });

  test('an answer of the wrong shape fails naming the call', async () => {
    installFakeBackendSrv(() => ({ status: 200, body: '<html>login</html>' }));
    await expect(listChannels()).rejects.toThrow('sidecar GET /notify/channels: the answer is not a channel list');
    await expect(getRouting()).rejects.toThrow('the answer is not a routing tree');
    await expect(listSilences()).rejects.toThrow('the answer is not a silence list');
    await expect(createSilence(silenceBody)).rejects.toThrow('sidecar POST /silences: the answer is not a silence');
    await expect(listNotifications()).rejects.toThrow('the answer is not a notification list');
    await expect(testSendChannel('x')).rejects.toThrow('the answer is not a test-send result');
    // retry answers are informative only: no body is fine
    await expect(retryNotification('n-1')).resolves.toBeUndefined();
  });

  test('a 400 on a silence carries its field errors', async () => {
    installFakeBackendSrv(() => ({
      status: 400,
      body: {
        error: {
          code: 'invalid_silence',
          message: 'invalid silence',
          fields: [
            { field: 'matchers[0].value', message: 'invalid regular expression' },
            { field: 'comment', message: 'comment is required' },
            { nonsense: true },
          ],
        },
      },
    }));
    const err = await createSilence(silenceBody).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SidecarError);
    expect((err as SidecarError).code).toBe('invalid_silence');
    expect((err as SidecarError).fields).toEqual([
      { field: 'matchers[0].value', message: 'invalid regular expression' },
      { field: 'comment', message: 'comment is required' },
    ]);
  });

  test('empty names and ids are refused before any request', async () => {
    const fake = installFakeBackendSrv(() => ({ status: 200, body: {} }));
    await expect(testSendChannel('')).rejects.toThrow('channel name must be a non-empty string');
    await expect(expireSilence('')).rejects.toThrow('silence id must be a non-empty string');
    await expect(retryNotification('')).rejects.toThrow('notification id must be a non-empty string');
    expect(fake.requests).toEqual([]);
  });
});
