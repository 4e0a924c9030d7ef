import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { SIDECAR_PROXY_BASE } from '../api/client';
import response from '../testdata/anomalies.json';
import { installFakeBackendSrv } from '../testing/fakeBackendSrv';
import { testIds } from '../testIds';
import { Incidents } from './Incidents';

const DAY_MS = 24 * 3600 * 1000;

describe('Incidents page', () => {
  test('asks the proxy for the last 24 hours and lists the events, newest first', async () => {
    const fake = installFakeBackendSrv(() => ({ status: 200, body: response }));
    const before = Date.now();
    render(<Incidents />);
    expect(screen.getByTestId(testIds.pages.loading)).toBeInTheDocument();
    const rows = await screen.findAllByTestId(testIds.incidents.row);

    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0];
    expect(req.url).toBe(`${SIDECAR_PROXY_BASE}/anomalies`);
    expect(req.method).toBe('GET');
    const { from, to } = req.params as { from: number; to: number };
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to - from).toBe(DAY_MS);

    expect(screen.queryByTestId(testIds.pages.loading)).not.toBeInTheDocument();
    expect(rows.map((r) => [r.dataset.severity, r.dataset.status])).toEqual([
      ['error', 'open'],
      ['warning', 'closed'],
      ['info', 'closed'],
    ]);
    const first = within(rows[0]);
    expect(first.getByText('error')).toBeInTheDocument();
    expect(first.getByText('open')).toBeInTheDocument();
    expect(first.getByText('2026-11-27 12:33:20 UTC')).toBeInTheDocument();
    expect(first.getByText('ongoing (10m so far)')).toBeInTheDocument();
    expect(first.getByText('api-latency')).toBeInTheDocument();
    expect(first.getByText('extreme_high')).toBeInTheDocument();
    expect(
      first.getByText('Anomaly in api-latency{service="api"}: current=0.84, expected=0.12±0.02')
    ).toBeInTheDocument();
    expect(first.getByText('97%')).toBeInTheDocument();
    expect(within(rows[1]).getByText('4m 30s')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.incidents.summary)).toHaveTextContent('3 anomalies (1 open)');
    expect(screen.queryByTestId(testIds.pages.empty)).not.toBeInTheDocument();
  });

  test('no events: the empty state', async () => {
    installFakeBackendSrv(() => ({ status: 200, body: { from: 0, to: DAY_MS, anomalies: [] } }));
    render(<Incidents />);
    await waitFor(() =>
      expect(screen.getByTestId(testIds.pages.empty)).toHaveTextContent('No anomalies in the last 24 hours')
    );
    expect(screen.queryByTestId(testIds.incidents.list)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.pages.error)).not.toBeInTheDocument();
  });

  test.each([
    [502, {}, /the sidecar could not be reached through Grafana's plugin proxy \(HTTP 502\)/],
    [
      401,
      { error: { code: 'unauthorized', message: 'missing or invalid bearer token' } },
      /the sidecar refused the request \(HTTP 401\)\. Check the sidecar token/,
    ],
    [200, '<html>login</html>', /the answer is not an anomaly list/],
  ])('HTTP %p: the error state names what failed, with a retry', async (status, body, message) => {
    installFakeBackendSrv(() => ({ status, body }));
    render(<Incidents />);
    const error = await screen.findByTestId(testIds.pages.error);
    expect(error).toHaveTextContent('Could not load anomalies');
    expect(error).toHaveTextContent(message);
    expect(within(error).getByRole('button', { name: /retry/i })).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.incidents.list)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.pages.empty)).not.toBeInTheDocument();
  });

  test('retry after the sidecar comes back lists the events', async () => {
    let calls = 0;
    installFakeBackendSrv(() => (++calls === 1 ? { status: 502, body: {} } : { status: 200, body: response }));
    render(<Incidents />);
    fireEvent.click(within(await screen.findByTestId(testIds.pages.error)).getByRole('button', { name: /retry/i }));
    expect(await screen.findAllByTestId(testIds.incidents.row)).toHaveLength(3);
    expect(screen.queryByTestId(testIds.pages.error)).not.toBeInTheDocument();
    expect(calls).toBe(2);
  });
});
