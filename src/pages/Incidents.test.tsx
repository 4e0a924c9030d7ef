import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { config } from '@grafana/runtime';
import { SIDECAR_PROXY_BASE } from '../api/client';
import { FakeEventSource } from '../testing/eventSource';
import { fakeIncidentSidecar as fakeSidecar, incidentAlert, incidentView } from '../testing/incidents';
import { testIds } from '../testIds';
import { Incidents } from './Incidents';

const ids = testIds.incidents;
const BASE = '/a/vigil-observability-app';
const user = config.bootData.user as { login?: string; orgRole?: string };

function renderPage(search = '') {
  return render(
    <MemoryRouter
      initialEntries={[`${BASE}/incidents${search}`]}
      future={{ v7_relativeSplatPath: true, v7_startTransition: true }}
    >
      <Routes>
        <Route path={`${BASE}/incidents`} element={<Incidents />} />
      </Routes>
    </MemoryRouter>
  );
}

let restoreEventSource: () => void;
beforeEach(() => {
  restoreEventSource = FakeEventSource.install();
});
afterEach(() => {
  restoreEventSource();
  delete user.orgRole;
});

describe('Incidents page: the list', () => {
  test('active incidents (open and acknowledged asked apart) with root cause, then the anomalies', async () => {
    const { fake } = fakeSidecar();
    renderPage();
    const row = await screen.findByTestId(ids.incident);
    expect(row.dataset).toMatchObject({ incidentId: 'inc-1', state: 'open', severity: 'critical' });
    expect(within(row).getByTestId(ids.open)).toHaveTextContent('database: DatabaseDown (+2 alerts)');
    expect(within(row).getByTestId(ids.open)).toHaveAttribute('href', `${BASE}/incidents?incident=inc-1`);
    expect(within(row).getByTestId(ids.rootCause)).toHaveTextContent(
      'databasemost upstream service with an active alert (database)'
    );
    expect(row).toHaveTextContent('3 alerts, 1 suppressed');
    const reads = fake.requests.filter((r) => r.url.endsWith('/incidents')).map((r) => r.params);
    expect(reads).toEqual(
      expect.arrayContaining([
        { state: 'open', limit: 200 },
        { state: 'acknowledged', limit: 200 },
      ])
    );
    const section = screen.getByTestId(ids.anomalies);
    expect(await within(section).findAllByTestId(ids.row)).toHaveLength(3);
    expect(within(section).getByTestId(ids.summary)).toHaveTextContent('3 anomalies (1 open)');
  });

  test('live: an incident event updates its row and adds a new one, without a reload', async () => {
    const { fake } = fakeSidecar();
    renderPage();
    await screen.findByTestId(ids.incident);
    const es = FakeEventSource.last();
    expect(es.url).toBe('/api/plugin-proxy/vigil-observability-app/sidecar/api/v1/stream');
    await act(async () => es.open());
    await waitFor(() => expect(screen.getByTestId(ids.stream)).toHaveAttribute('data-status', 'live'));
    const before = fake.requests.length;
    act(() => {
      es.emit('incident', {
        type: 'incident',
        at: '2026-01-01T10:06:00Z',
        incident: incidentView({ state: 'acknowledged', acknowledgedBy: 'alice', updatedAt: '2026-01-01T10:06:00Z' }),
      });
      es.emit('incident', {
        type: 'incident',
        at: '2026-01-01T10:07:00Z',
        incident: incidentView({
          id: 'inc-2',
          title: 'cache: CacheMisses',
          severity: 'warning',
          updatedAt: '2026-01-01T10:07:00Z',
        }),
      });
    });
    const rows = screen.getAllByTestId(ids.incident);
    expect(rows.map((r) => [r.dataset.incidentId, r.dataset.state])).toEqual([
      ['inc-2', 'open'],
      ['inc-1', 'acknowledged'],
    ]);
    expect(rows[1]).toHaveTextContent('acknowledged by alice');
    expect(fake.requests.length).toBe(before);
  });

  test('the filter asks the sidecar for that state; nothing there is the empty state', async () => {
    const { fake } = fakeSidecar();
    renderPage();
    await screen.findByTestId(ids.incident);
    fireEvent.click(within(screen.getByTestId(ids.filter)).getByLabelText('Resolved'));
    await waitFor(() => expect(screen.getByTestId(testIds.pages.empty)).toHaveTextContent('No resolved incidents'));
    expect(fake.requests.at(-1)?.params).toEqual({ state: 'resolved', limit: 200 });
  });

  test('incidents that cannot be read show their error with a retry; the anomalies still show', async () => {
    let calls = 0;
    fakeSidecar((path) => (path === '/incidents' && ++calls <= 2 ? { status: 502, body: {} } : undefined));
    renderPage();
    const error = await screen.findByTestId(testIds.pages.error);
    expect(error).toHaveTextContent('Could not load incidents');
    expect(error).toHaveTextContent(/the sidecar could not be reached through Grafana's plugin proxy \(HTTP 502\)/);
    expect(await within(screen.getByTestId(ids.anomalies)).findAllByTestId(ids.row)).toHaveLength(3);
    fireEvent.click(within(error).getByRole('button', { name: /retry/i }));
    expect(await screen.findByTestId(ids.incident)).toBeInTheDocument();
  });

  test('the title opens the detail in place', async () => {
    fakeSidecar();
    renderPage();
    fireEvent.click(await screen.findByTestId(ids.open));
    expect(await screen.findByTestId(ids.detail)).toHaveAttribute('data-incident-id', 'inc-1');
  });
});

describe('Incidents page: one incident', () => {
  test('root cause and why, members and suppressed alerts with reasons and links, timeline, anomalies', async () => {
    const event = (id: string, seriesKey: string) => ({
      id,
      kind: 'anomaly',
      seriesKey,
      startedAt: Date.parse('2026-01-01T10:01:00Z'),
      endedAt: Date.parse('2026-01-01T10:04:00Z'),
      severity: 'error',
      message: `Anomaly in ${seriesKey}`,
      metadata: { detector: 'latency', anomaly_type: 'extreme_high' },
    });
    const { fake } = fakeSidecar((path) =>
      path === '/anomalies'
        ? {
            status: 200,
            body: {
              from: 0,
              to: 0,
              anomalies: [event('near', 'p95{service="api"}'), event('elsewhere', 'p95{service="billing"}')],
            },
          }
        : undefined
    );
    renderPage('?incident=inc-1');
    const detail = await screen.findByTestId(ids.detail);
    expect(within(detail).getByTestId(ids.detailTitle)).toHaveTextContent('database: DatabaseDown (+2 alerts)');
    expect(within(detail).getByTestId(ids.detailRootCause)).toHaveTextContent(
      'Likely root cause: database: DatabaseDown'
    );
    expect(within(detail).getByTestId(ids.rootCauseReason)).toHaveTextContent(
      'most upstream service with an active alert (database)'
    );
    const members = within(within(detail).getByTestId(ids.members)).getAllByTestId(ids.alert);
    expect(members.map((m) => [m.dataset.fingerprint, m.dataset.rootCause])).toEqual([
      ['fp-db', 'true'],
      ['fp-gw', 'false'],
    ]);
    expect(within(members[0]).getByTestId(ids.ruleLink)).toHaveAttribute('href', `${BASE}/rules?search=DatabaseDown`);
    expect(within(members[0]).getByTestId(ids.dashboardLink).querySelector('a')).toHaveAttribute(
      'href',
      '/d/db-overview'
    );
    const [api] = within(within(detail).getByTestId(ids.suppressed)).getAllByTestId(ids.alert);
    expect(within(api).getByTestId(ids.alertSuppression)).toHaveTextContent(
      'downstream effect of database: DatabaseDown (database) is active'
    );
    expect(within(api).getByTestId(ids.sourceLink).querySelector('a')).toHaveAttribute(
      'href',
      'http://127.0.0.1:9090/graph?g0.expr=errors'
    );
    expect(within(api).queryByTestId(ids.runbookLink)).not.toBeInTheDocument();
    expect(
      within(detail)
        .getAllByTestId(ids.timelineEntry)
        .map((e) => e.dataset.kind)
    ).toEqual(['opened', 'alert_suppressed', 'alert_joined']);
    // Anomalies of its services from 5 minutes before it opened: the api's, not billing's.
    const context = within(detail).getByTestId(ids.contextAnomalies);
    expect(within(context).getAllByTestId(ids.row)).toHaveLength(1);
    expect(context).toHaveTextContent('Anomaly in p95{service="api"}');
    const asked = fake.requests.find((r) => r.url.endsWith('/anomalies'))?.params as { from: number };
    expect(asked.from).toBe(Date.parse('2026-01-01T09:55:00Z'));
  });

  test('an Editor acknowledges with a comment: the sidecar is asked, the detail shows it by admin', async () => {
    const { fake } = fakeSidecar();
    renderPage('?incident=inc-1');
    fireEvent.click(await screen.findByTestId(ids.acknowledge));
    fireEvent.change(screen.getByTestId(ids.comment), { target: { value: 'on it' } });
    fireEvent.click(screen.getByTestId(ids.confirmAction));
    await waitFor(() => expect(screen.getByTestId(ids.detail)).toHaveAttribute('data-state', 'acknowledged'));
    const post = fake.requests.find((r) => r.method === 'POST');
    expect([post?.url.slice(SIDECAR_PROXY_BASE.length), post?.data]).toEqual([
      '/incidents/inc-1/acknowledge',
      { comment: 'on it' },
    ]);
    expect(screen.getByTestId(ids.handledBy)).toHaveTextContent('acknowledged by admin');
    expect(screen.queryByTestId(ids.acknowledge)).not.toBeInTheDocument();
    expect(screen.getByTestId(ids.resolve)).toBeInTheDocument();
    const last = screen.getAllByTestId(ids.timelineEntry).at(-1)!;
    expect(last).toHaveAttribute('data-kind', 'acknowledged');
    expect(last).toHaveTextContent('acknowledged: on it');
    expect(last).toHaveTextContent('admin');
  });

  test('a refused action is shown; a Viewer gets no buttons', async () => {
    fakeSidecar((path, req) =>
      req.method === 'POST'
        ? { status: 409, body: { error: { code: 'conflict', message: 'already resolved' } } }
        : undefined
    );
    const view = renderPage('?incident=inc-1');
    fireEvent.click(await screen.findByTestId(ids.resolve));
    fireEvent.click(screen.getByTestId(ids.confirmAction));
    expect(await screen.findByTestId(ids.actionError)).toHaveTextContent('HTTP 409 already resolved');
    view.unmount();
    user.orgRole = 'Viewer';
    renderPage('?incident=inc-1');
    await screen.findByTestId(ids.detail);
    expect(screen.queryByTestId(ids.acknowledge)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.resolve)).not.toBeInTheDocument();
  });

  test('live: an alert event of this incident reloads it and the new alert shows', async () => {
    const { held } = fakeSidecar();
    renderPage('?incident=inc-1');
    await screen.findByTestId(ids.detail);
    const es = FakeEventSource.last();
    await act(async () => es.open());
    const joined = incidentAlert({
      fingerprint: 'fp-orders',
      labels: { alertname: 'OrdersDrop', service: 'orders', severity: 'warning' },
      severity: 'warning',
      correlation: { kind: 'dependency', upstream: 'gateway', downstream: 'orders', with: 'fp-gw' },
    });
    held.incident = { ...held.incident, alerts: [...held.incident.alerts, joined], alertCount: 4 };
    act(() =>
      es.emit('alert', {
        type: 'alert',
        at: '2026-01-01T10:08:00Z',
        fingerprint: 'fp-orders',
        status: 'firing',
        labels: joined.labels,
        incidentId: 'inc-1',
      })
    );
    const row = await waitFor(() => {
      const found = screen.getAllByTestId(ids.alert).find((a) => a.dataset.fingerprint === 'fp-orders');
      expect(found).toBeDefined();
      return found!;
    });
    expect(within(row).getByTestId(ids.alertReason)).toHaveTextContent(
      'orders depends on gateway: correlated with GatewayLatency (gateway)'
    );
  });

  test('an unknown incident: the error names it, with Back to the list', async () => {
    fakeSidecar();
    renderPage('?incident=nope');
    expect(await screen.findByTestId(testIds.pages.error)).toHaveTextContent('sidecar GET /incidents/nope: HTTP 404');
    expect(screen.getByTestId(ids.back)).toHaveAttribute('href', `${BASE}/incidents`);
  });
});
