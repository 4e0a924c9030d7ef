import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { type BackendSrvRequest, config } from '@grafana/runtime';
import type { SilenceView } from '@vigil/core';
import { SIDECAR_PROXY_BASE } from '../api/client';
import { type CannedResponse, installFakeBackendSrv } from '../testing/fakeBackendSrv';
import { channelView, notificationView, routingResponse, silenceView } from '../testing/notify';
import { testIds } from '../testIds';
import { Notifications } from './Notifications';

const ids = testIds.notify;
const BASE = '/a/vigil-observability-app';

function renderPage(search = '') {
  return render(
    <MemoryRouter
      initialEntries={[`${BASE}/notifications${search}`]}
      future={{ v7_relativeSplatPath: true, v7_startTransition: true }}
    >
      <Routes>
        <Route path={`${BASE}/notifications`} element={<Notifications />} />
      </Routes>
    </MemoryRouter>
  );
}

/** A sidecar holding silences in memory: POST adds one (as `admin`), DELETE expires it. */
function fakeSidecar(over: (path: string, req: BackendSrvRequest) => CannedResponse | undefined = () => undefined) {
  const silences: SilenceView[] = [silenceView()];
  return installFakeBackendSrv((req) => {
    const path = req.url.slice(SIDECAR_PROXY_BASE.length);
    const custom = over(path, req);
    if (custom) {
      return custom;
    }
    if (path === '/notify/routing') {
      return { status: 200, body: routingResponse() };
    }
    if (path === '/notify/channels') {
      return {
        status: 200,
        body: { channels: [channelView(), channelView({ name: 'pager', type: 'pagerduty', lastDelivery: null })] },
      };
    }
    if (path === '/notify/channels/ops-webhook/test') {
      return { status: 200, body: { ok: false, error: 'HTTP 500 from 127.0.0.1:9099', durationMs: 8 } };
    }
    if (path === '/silences' && req.method === 'POST') {
      const body = req.data as { matchers: SilenceView['matchers']; endsAt: string; comment: string };
      const created = silenceView({ id: 'sil-new', ...body, createdBy: 'admin', startsAt: new Date().toISOString() });
      silences.push(created);
      return { status: 200, body: created };
    }
    if (path.startsWith('/silences/') && req.method === 'DELETE') {
      const s = silences.find((x) => path.endsWith(`/${x.id}`));
      if (s) {
        s.state = 'expired';
        s.endsAt = new Date().toISOString();
      }
      return { status: 200, body: s };
    }
    if (path === '/silences') {
      return { status: 200, body: { silences: silences.map((s) => ({ ...s })) } };
    }
    if (path === '/notifications') {
      return { status: 200, body: { notifications: [notificationView()] } };
    }
    if (path === '/notifications/n-1/retry') {
      return { status: 200, body: notificationView({ status: 'pending' }) };
    }
    return { status: 404, body: { error: { code: 'not_found', message: `no ${req.method} ${path}` } } };
  });
}

const user = config.bootData.user as { login?: string; orgRole?: string };

describe('Notifications page', () => {
  afterEach(() => {
    delete user.login;
    delete user.orgRole;
  });

  test('shows the routing tree, inhibition, time intervals, channels, silences and failed notifications', async () => {
    fakeSidecar();
    renderPage();
    const routes = await screen.findAllByTestId(ids.route);
    expect(routes.map((r) => [r.dataset.routeId, r.dataset.depth, r.dataset.receiver])).toEqual([
      ['root', '0', 'ops-webhook'],
      ['root.0', '1', 'pager'],
      ['root.0.0', '2', 'dba-pager'],
      ['root.1', '1', 'chat'],
    ]);
    expect(routes[1]).toHaveTextContent('severity="critical"');
    expect(routes[1]).toHaveTextContent('continue');
    expect(routes[3]).toHaveTextContent(
      'group by every label · wait 30s · interval 5m · repeat 4h · muted during weekend'
    );
    expect(screen.getByTestId(ids.inhibitRule)).toHaveTextContent('severity="critical"severity="warning"service');
    expect(screen.getAllByTestId(ids.timeInterval).map((t) => [t.textContent, t.dataset.active])).toEqual([
      ['weekendactive nowmute on severity="warning"', 'true'],
      ['nightsnot activeused by no route', 'false'],
    ]);
    const channels = await screen.findAllByTestId(ids.channel);
    expect(channels.map((c) => [c.dataset.channel, c.dataset.type, c.dataset.lastStatus])).toEqual([
      ['ops-webhook', 'webhook', 'sent'],
      ['pager', 'pagerduty', 'never'],
    ]);
    expect(channels[0]).toHaveTextContent('127.0.0.1:9099');
    const silence = await screen.findByTestId(ids.silence);
    expect(silence.dataset.state).toBe('active');
    expect(silence).toHaveTextContent('alertname="HighLatency"');
    expect(within(silence).getByTestId(ids.silenceAuthor)).toHaveTextContent('alice');
    const failed = await screen.findByTestId(ids.notification);
    expect(failed).toHaveTextContent('[FIRING:1] HighLatency');
    expect(failed).toHaveTextContent('HTTP 500 from 127.0.0.1:9099');
  });

  test("Send test shows the channel's answer", async () => {
    const fake = fakeSidecar();
    renderPage();
    const [channel] = await screen.findAllByTestId(ids.channel);
    fireEvent.click(within(channel).getByTestId(ids.testSend));
    const result = await within(channel).findByTestId(ids.testResult);
    expect(result.dataset.ok).toBe('false');
    expect(result).toHaveTextContent('Failed: HTTP 500 from 127.0.0.1:9099');
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([
      `${SIDECAR_PROXY_BASE}/notify/channels/ops-webhook/test`,
    ]);
  });

  test('opened from an alert, the form is filled with its labels; creating lists the new silence', async () => {
    user.login = 'admin';
    const fake = fakeSidecar();
    renderPage(`?matchers=${encodeURIComponent('{alertname="CPU high",service="api"}')}`);
    const form = await screen.findByTestId(ids.silenceForm);
    expect(
      within(form)
        .getAllByTestId(ids.matcherName)
        .map((i) => (i as HTMLInputElement).value)
    ).toEqual(['alertname', 'service']);
    expect(
      within(form)
        .getAllByTestId(ids.matcherValue)
        .map((i) => (i as HTMLInputElement).value)
    ).toEqual(['CPU high', 'api']);
    expect(within(form).getByTestId(ids.author)).toHaveTextContent('Created by admin');
    fireEvent.change(within(form).getByTestId(ids.duration), { target: { value: '30m' } });
    fireEvent.change(within(form).getByTestId(ids.comment), { target: { value: 'rolling out the fix' } });
    const before = Date.now();
    fireEvent.click(within(form).getByTestId(ids.createSilence));
    await waitFor(() => expect(screen.queryByTestId(ids.silenceForm)).not.toBeInTheDocument());
    const post = fake.requests.find((r) => r.method === 'POST');
    const body = post?.data as { matchers: unknown; endsAt: string; comment: string };
    expect(body.matchers).toEqual([
      { name: 'alertname', op: '=', value: 'CPU high' },
      { name: 'service', op: '=', value: 'api' },
    ]);
    expect(body.comment).toBe('rolling out the fix');
    const end = Date.parse(body.endsAt);
    expect(end - before).toBeGreaterThanOrEqual(30 * 60_000);
    expect(end - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    await waitFor(() => expect(screen.getAllByTestId(ids.silence)).toHaveLength(2));
    const created = screen.getAllByTestId(ids.silence).find((s) => s.dataset.silenceId === 'sil-new');
    expect(created && within(created).getByTestId(ids.silenceAuthor)).toHaveTextContent('admin');
  });

  test('problems are shown next to their fields: found in the form, or by the sidecar', async () => {
    const fake = fakeSidecar((path, req) =>
      path === '/silences' && req.method === 'POST'
        ? {
            status: 400,
            body: {
              error: {
                code: 'invalid_silence',
                message: 'invalid silence',
                fields: [
                  { field: 'matchers[0].value', message: 'value rejected by the sidecar' },
                  { field: 'createdBy', message: 'author (createdBy) is required' },
                ],
              },
            },
          }
        : undefined
    );
    renderPage();
    fireEvent.click(await screen.findByTestId(ids.newSilence));
    const form = screen.getByTestId(ids.silenceForm);
    fireEvent.click(within(form).getByTestId(ids.createSilence));
    // Checked in the form first: nothing is sent.
    expect(await within(form).findByText('Label name is required.')).toBeInTheDocument();
    expect(within(form).getByText('Say why the alerts are silenced.')).toBeInTheDocument();
    expect(fake.requests.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.change(within(form).getByTestId(ids.matcherName), { target: { value: 'alertname' } });
    fireEvent.change(within(form).getByTestId(ids.matcherValue), { target: { value: 'X' } });
    fireEvent.change(within(form).getByTestId(ids.comment), { target: { value: 'c' } });
    fireEvent.click(within(form).getByTestId(ids.createSilence));
    expect(await within(form).findByText('value rejected by the sidecar')).toBeInTheDocument();
    expect(within(form).getByTestId(ids.formError)).toHaveTextContent('createdBy: author (createdBy) is required');
    expect(screen.getByTestId(ids.silenceForm)).toBeInTheDocument();
  });

  test('Expire asks first, then expires and the list shows it expired', async () => {
    const fake = fakeSidecar();
    renderPage();
    const silence = await screen.findByTestId(ids.silence);
    fireEvent.click(within(silence).getByTestId(ids.expire));
    expect(screen.getByRole('dialog')).toHaveTextContent('Expire this silence?');
    expect(fake.requests.some((r) => r.method === 'DELETE')).toBe(false);
    fireEvent.click(screen.getByTestId(ids.confirmExpire));
    await waitFor(() => expect(screen.getByTestId(ids.silence).dataset.state).toBe('expired'));
    expect(within(screen.getByTestId(ids.silence)).queryByTestId(ids.expire)).not.toBeInTheDocument();
    expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([
      `${SIDECAR_PROXY_BASE}/silences/sil-1`,
    ]);
  });

  test('Retry puts a failed notification back and reloads the log', async () => {
    const fake = fakeSidecar();
    renderPage();
    fireEvent.click(within(await screen.findByTestId(ids.notification)).getByTestId(ids.retry));
    await waitFor(() =>
      expect(fake.requests.filter((r) => r.url.endsWith('/notifications')).length).toBeGreaterThanOrEqual(2)
    );
    expect(fake.requests.some((r) => r.method === 'POST' && r.url.endsWith('/notifications/n-1/retry'))).toBe(true);
  });

  test('a Viewer reads everything but gets no write buttons', async () => {
    user.orgRole = 'Viewer';
    fakeSidecar();
    renderPage('?matchers=alertname%3DX');
    await screen.findByTestId(ids.silence);
    await screen.findByTestId(ids.notification);
    expect(screen.queryByTestId(ids.silenceForm)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.newSilence)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.expire)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.retry)).not.toBeInTheDocument();
    for (const b of screen.getAllByTestId(ids.testSend)) {
      expect(b).toBeDisabled();
    }
  });

  test('one part failing to load shows its error; the others still render', async () => {
    fakeSidecar((path) =>
      path === '/notify/routing'
        ? { status: 500, body: { error: { code: 'internal', message: 'store down' } } }
        : undefined
    );
    renderPage();
    const error = await screen.findByTestId(testIds.pages.error);
    expect(error).toHaveTextContent('Could not load the routing tree');
    expect(error).toHaveTextContent('store down');
    expect(await screen.findAllByTestId(ids.channel)).toHaveLength(2);
  });
});
