import React from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { config } from '@grafana/runtime';
import { SIDECAR_PROXY_BASE } from '../api/client';
import { burnRate, fakeSloSidecar, sloStatus, sloView } from '../testing/slos';
import { testIds } from '../testIds';
import { Slos } from './Slos';

const ids = testIds.slos;
const BASE = '/a/vigil-observability-app';
const user = config.bootData.user as { orgRole?: string };
const field = (name: string) => screen.getByTestId(`${ids.fieldPrefix}${name}`);

/** Shows the current URL so a test can see where the page navigated. */
function Where() {
  const { search } = useLocation();
  return <div data-testid="where">{search}</div>;
}

function renderPage(search = '') {
  return render(
    <MemoryRouter
      initialEntries={[`${BASE}/slos${search}`]}
      future={{ v7_relativeSplatPath: true, v7_startTransition: true }}
    >
      <Routes>
        <Route
          path={`${BASE}/slos`}
          element={
            <>
              <Slos />
              <Where />
            </>
          }
        />
      </Routes>
    </MemoryRouter>
  );
}

afterEach(() => {
  delete user.orgRole;
});

const mixed = () => [
  sloView({ id: 'pending', name: 'Pending', status: null }),
  sloView({ id: 'healthy', name: 'Healthy', status: sloStatus({ budgetRemaining: 0.95, budgetStatus: 'healthy' }) }),
  sloView({
    id: 'gone',
    name: 'Gone',
    status: sloStatus({
      budgetRemaining: 0,
      budgetStatus: 'exhausted',
      burnRate: 20,
      burnRates: [burnRate({ firing: true, longRate: 20, shortRate: 18 })],
    }),
  }),
  sloView({ id: 'critical', name: 'Critical', status: sloStatus({ budgetRemaining: 0.1, budgetStatus: 'critical' }) }),
];

describe('SLOs page: the list', () => {
  test('sorted by budget remaining, with status colours, SLI, burn rate, time to exhaustion and firing alerts', async () => {
    fakeSloSidecar(mixed());
    renderPage();
    await screen.findByTestId(ids.list);
    const rows = screen.getAllByTestId(ids.row);
    expect(rows.map((r) => [r.dataset.sloId, r.dataset.budgetStatus])).toEqual([
      ['gone', 'exhausted'],
      ['critical', 'critical'],
      ['healthy', 'healthy'],
      ['pending', 'pending'],
    ]);
    const gone = rows[0];
    expect(within(gone).getByTestId(ids.budget)).toHaveTextContent('0.0%');
    expect(within(gone).getByTestId(ids.sli)).toHaveTextContent('99.940%');
    expect(within(gone).getByTestId(ids.burnRate)).toHaveTextContent('20.0×');
    expect(within(gone).getByTestId(ids.timeToExhaustion)).toHaveTextContent('exhausted');
    expect(within(gone).getByTestId(ids.firing)).toHaveTextContent('page-1h');
    expect(within(gone).getByTestId(ids.open)).toHaveAttribute('href', `${BASE}/slos?slo=gone`);
    expect(within(rows[2]).getByTestId(ids.timeToExhaustion)).toHaveTextContent('1d 12h');
    expect(within(rows[2]).getByTestId(ids.firing)).toHaveTextContent('none');
    // Each status its own colour (healthy green … exhausted dark red); pending has none of them.
    const colours = rows.map((r) => within(r).getByTestId(ids.budget).style.background);
    expect(new Set(colours).size).toBe(4);
  });

  test('an empty sidecar says how to start; a Viewer gets no New SLO', async () => {
    user.orgRole = 'Viewer';
    fakeSloSidecar([]);
    renderPage();
    expect(await screen.findByTestId(testIds.pages.empty)).toHaveTextContent('No SLOs yet');
    expect(screen.queryByTestId(ids.create)).toBeNull();
  });

  test('a sidecar that cannot be reached is an error with Retry', async () => {
    const { fake } = fakeSloSidecar([], (req) =>
      req.url.endsWith('/slos') ? { status: 502, body: 'Bad Gateway' } : undefined
    );
    renderPage();
    expect(await screen.findByTestId(testIds.pages.error)).toHaveTextContent(/could not be reached/);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('SLOs page: one SLO', () => {
  test('status, burn-rate table and the generated rules, downloadable', async () => {
    const created: Blob[] = [];
    URL.createObjectURL = jest.fn((b: Blob) => {
      created.push(b);
      return 'blob:x';
    });
    URL.revokeObjectURL = jest.fn();
    fakeSloSidecar([
      sloView({
        status: sloStatus({
          burnRates: [burnRate({ firing: true }), burnRate({ name: 'ticket-1d', lowTraffic: true })],
        }),
      }),
    ]);
    renderPage('?slo=api_availability');
    const table = await screen.findByTestId(ids.burnRates);
    const rows = within(table).getAllByTestId(ids.burnRateRow);
    expect(rows.map((r) => [r.dataset.alert, r.dataset.firing])).toEqual([
      ['page-1h', 'true'],
      ['ticket-1d', 'false'],
    ]);
    expect(rows[0]).toHaveTextContent('1h / 5m14.4×2.00×1.50×firingno');
    expect(rows[1]).toHaveTextContent('too few events');
    expect(screen.getByTestId(ids.detail)).toHaveTextContent('firing: page-1h');
    // The burn-down from the sidecar: a line ending at its last point's budget remaining.
    const chart = await screen.findByTestId(ids.burnDown);
    expect(chart.dataset.remaining).toBe('0.7');
    expect(chart).toHaveAttribute('aria-label', 'Error budget remaining over time, now 70.0%');
    expect(chart.querySelector('path')?.getAttribute('d')).toMatch(/^M44\.0,8\.0 L/);
    expect(screen.getByTestId(ids.rules)).toHaveTextContent('name: slo-api_availability');
    fireEvent.click(screen.getByTestId(ids.rulesDownload));
    expect(created).toHaveLength(1);
    // jsdom's Blob has no text(): read it as a browser would.
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(created[0]);
    });
    expect(text).toContain('groups:');
    expect(created[0].type).toBe('application/yaml');
  });

  test('a burn-down the sidecar cannot give is a message, not a page error', async () => {
    fakeSloSidecar([sloView()], (req) =>
      req.url.endsWith('/budget')
        ? { status: 502, body: { error: { code: 'source_unavailable', message: 'prometheus: connection refused' } } }
        : undefined
    );
    renderPage('?slo=api_availability');
    expect(await screen.findByText(/No burn-down: .*connection refused \(HTTP 502\)/)).toBeInTheDocument();
    expect(screen.getByTestId(ids.burnRates)).toBeInTheDocument();
  });

  test('a timeslice SLO: its rule file is not asked for, the page says why', async () => {
    const { fake } = fakeSloSidecar([
      sloView({ spec: { ...sloView().spec, sli: { timeslice: { query: 'q', op: '<', threshold: 1 } } } }),
    ]);
    renderPage('?slo=api_availability');
    expect(await screen.findByTestId(ids.detail)).toHaveTextContent(
      'No Prometheus rules for this SLO: a timeslice SLI'
    );
    expect(fake.requests.some((r) => r.url.endsWith('/prometheus-rules'))).toBe(false);
  });

  test('a failed evaluation is shown; Delete asks, deletes and returns to the list', async () => {
    const { fake } = fakeSloSidecar([sloView({ status: sloStatus({ error: 'prometheus: connection refused' }) })]);
    renderPage('?slo=api_availability');
    expect(await screen.findByTestId(ids.statusError)).toHaveTextContent('connection refused');
    fireEvent.click(screen.getByTestId(ids.delete));
    fireEvent.click(await screen.findByTestId('data-testid Confirm Modal Danger Button'));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent(''));
    await screen.findByTestId(testIds.pages.empty);
    expect(fake.requests.some((r) => r.method === 'DELETE')).toBe(true);
  });
});

describe('SLOs page: the editor', () => {
  test('preview: the unsaved spec evaluated by the sidecar, shown with its burn-down; nothing saved', async () => {
    const status = sloStatus({
      sli: 0.9995,
      budgetRemaining: 0.5,
      budgetStatus: 'healthy',
      burnRates: [burnRate({ firing: true })],
    });
    const burnDown = [1, 0.8, 0.5].map((remaining, k) => ({
      t: Date.UTC(2026, 11, 1, k),
      remaining,
      consumed: 1 - remaining,
    }));
    const { fake } = fakeSloSidecar([], (req) =>
      req.url.endsWith('/slos/preview') ? { status: 200, body: { status, burnDown } } : undefined
    );
    renderPage('?new=1');
    await screen.findByTestId(ids.form);
    fireEvent.change(field('id'), { target: { value: 'checkout_availability' } });
    fireEvent.change(field('name'), { target: { value: 'Checkout availability' } });
    fireEvent.change(field('service'), { target: { value: 'checkout' } });
    fireEvent.change(field('ratioEvents'), { target: { value: 'sum(increase(ok_total[$__range]))' } });
    fireEvent.change(field('ratioTotal'), { target: { value: 'sum(increase(all_total[$__range]))' } });
    fireEvent.click(screen.getByTestId(ids.previewButton));
    const block = await screen.findByTestId(ids.preview);
    expect(block).toHaveTextContent('SLI over the window: 99.95%');
    expect(block).toHaveTextContent('Would fire: page-1h');
    expect(within(block).getByTestId(ids.burnDown).dataset.remaining).toBe('0.5');
    const previews = fake.requests.filter((r) => r.url.endsWith('/slos/preview'));
    expect(previews).toHaveLength(1);
    expect((previews[0].data as { sli: unknown }).sli).toEqual({
      ratio: { good: 'sum(increase(ok_total[$__range]))', total: 'sum(increase(all_total[$__range]))' },
    });
    expect(fake.requests.some((r) => r.method === 'POST' && r.url.endsWith('/slos'))).toBe(false);
  });

  test("create: the sidecar's 400 field errors show under their fields; fixed, it saves and opens the SLO", async () => {
    let refuse = true;
    const { fake } = fakeSloSidecar([], (req) =>
      req.method === 'POST' && refuse
        ? {
            status: 400,
            body: {
              error: {
                code: 'invalid_slo',
                message: 'invalid SLO: sli.ratio.total: must contain $__range',
                fields: [
                  { field: 'sli.ratio.total', message: 'must contain $__range (or {{.window}}) where the window goes' },
                ],
              },
            },
          }
        : undefined
    );
    renderPage('?new=1');
    await screen.findByTestId(ids.form);
    fireEvent.change(field('id'), { target: { value: 'checkout_availability' } });
    fireEvent.change(field('name'), { target: { value: 'Checkout availability' } });
    fireEvent.change(field('service'), { target: { value: 'checkout' } });
    fireEvent.change(field('ratioEvents'), { target: { value: 'sum(increase(ok_total[$__range]))' } });
    fireEvent.change(field('ratioTotal'), { target: { value: 'sum(increase(all_total[5m]))' } });
    fireEvent.click(screen.getByTestId(ids.save));
    expect(await screen.findByText(/must contain \$__range \(or/)).toBeInTheDocument();
    expect(screen.getByTestId(ids.saveError)).toHaveTextContent('sli.ratio.total');
    refuse = false;
    fireEvent.change(field('ratioTotal'), { target: { value: 'sum(increase(all_total[$__range]))' } });
    expect(screen.queryByText(/must contain \$__range \(or/)).toBeNull();
    fireEvent.click(screen.getByTestId(ids.save));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('?slo=checkout_availability'));
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts[1].data).toEqual({
      id: 'checkout_availability',
      name: 'Checkout availability',
      service: 'checkout',
      target: 99.9,
      window: '30d',
      sli: { ratio: { good: 'sum(increase(ok_total[$__range]))', total: 'sum(increase(all_total[$__range]))' } },
      datasource: 'prometheus',
      minEvents: 0,
      alerting: { page: true, ticket: true },
    });
  });

  test('update: a calendar window and latency SLI, sent with If-Match', async () => {
    const { fake } = fakeSloSidecar([sloView({ version: 4 })]);
    renderPage('?edit=api_availability');
    await screen.findByTestId(ids.form);
    expect(field('id')).toBeDisabled();
    fireEvent.click(within(field('windowKind')).getByText('Calendar'));
    fireEvent.change(field('timeZone'), { target: { value: 'Europe/Berlin' } });
    fireEvent.click(within(field('sliKind')).getByText('Latency'));
    fireEvent.change(field('histogram'), { target: { value: 'http_request_duration_seconds' } });
    fireEvent.click(field('alertPage'));
    fireEvent.click(screen.getByTestId(ids.save));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('?slo=api_availability'));
    const put = fake.requests.find((r) => r.method === 'PUT')!;
    expect(put.url).toBe(`${SIDECAR_PROXY_BASE}/slos/api_availability`);
    expect(put.headers).toEqual({ 'If-Match': '4' });
    expect(put.data).toMatchObject({
      window: { calendar: 'month', timeZone: 'Europe/Berlin' },
      sli: { latency: { histogram: 'http_request_duration_seconds', threshold: '500ms' } },
      alerting: { page: false, ticket: true },
    });
  });

  test("a calendar window's problems show under the calendar inputs", async () => {
    fakeSloSidecar([sloView()], (req) =>
      req.method === 'PUT'
        ? {
            status: 400,
            body: {
              error: {
                code: 'invalid_slo',
                message: 'invalid SLO',
                fields: [
                  { field: 'window', message: 'expected a duration such as "30d" or { calendar, timeZone }' },
                  { field: 'window.timeZone', message: 'unknown time zone "Mars/Base"' },
                ],
              },
            },
          }
        : undefined
    );
    renderPage('?edit=api_availability');
    await screen.findByTestId(ids.form);
    fireEvent.click(within(field('windowKind')).getByText('Calendar'));
    fireEvent.change(field('timeZone'), { target: { value: 'Mars/Base' } });
    fireEvent.click(screen.getByTestId(ids.save));
    expect(await screen.findByText('unknown time zone "Mars/Base"')).toBeInTheDocument();
    expect(screen.getByText('expected a duration such as "30d" or { calendar, timeZone }')).toBeInTheDocument();
  });

  test('a 409 on save tells the user to reload', async () => {
    fakeSloSidecar([sloView()], (req) =>
      req.method === 'PUT'
        ? { status: 409, body: { error: { code: 'conflict', message: 'version mismatch' } } }
        : undefined
    );
    renderPage('?edit=api_availability');
    await screen.findByTestId(ids.form);
    fireEvent.click(screen.getByTestId(ids.save));
    expect(await screen.findByTestId(ids.saveError)).toHaveTextContent('Someone changed this SLO');
  });
});
