import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { SIDECAR_PROXY_BASE } from '../../api/client';
import { panelProps } from '../../testing/panelProps';
import { burnRate, fakeSloSidecar, sloStatus, sloView } from '../../testing/slos';
import { testIds } from '../../testIds';
import { sloChoices } from './module';
import { SloPanel } from './SloPanel';
import { defaultSloOptions, type SloOptions } from './types';

const ids = testIds.sloPanel;
const sidecar = (sloId = 'api_availability'): SloOptions => ({ ...defaultSloOptions, source: 'sidecar', sloId });

describe('SloPanel on a sidecar SLO', () => {
  test("the sidecar's budget, SLI, target and burn-rate alerts; no query needed", async () => {
    const { fake } = fakeSloSidecar([
      sloView({ status: sloStatus({ burnRates: [burnRate({ firing: true }), burnRate({ name: 'ticket-1d' })] }) }),
    ]);
    render(<SloPanel {...panelProps(sidecar(), [])} />);
    expect(await screen.findByTestId(ids.budgetRemaining)).toHaveTextContent('40.0%');
    expect(screen.getByTestId(ids.status)).toHaveTextContent('warning');
    expect(screen.getByTestId(ids.sli)).toHaveTextContent('99.940%');
    expect(screen.getByTestId(ids.objective)).toHaveTextContent('99.9%');
    expect(screen.getByTestId(ids.budgetRemaining).dataset.budgetStatus).toBe('warning');
    expect(screen.getByTestId(ids.timeToExhaustion)).toHaveTextContent('1d 12h');
    expect(screen.getByTestId(ids.container)).toHaveTextContent('API availability · 30d');
    // The burn-down from GET …/budget: the fake's four points, ending at 70%.
    const line = await screen.findByTestId(ids.burnDown);
    expect([line.dataset.points, line.dataset.remaining]).toEqual(['4', '0.7']);
    expect(line.querySelector('path')?.getAttribute('d')?.split('L')).toHaveLength(4);
    const rows = within(screen.getByTestId(ids.burnRates)).getAllByTestId(ids.burnRateRow);
    expect(rows.map((r) => [r.dataset.alert, r.dataset.firing])).toEqual([
      ['page-1h', 'true'],
      ['ticket-1d', 'false'],
    ]);
    expect(rows[0]).toHaveTextContent('page-1h1h / 5m14.4×2.00×1.50×firing');
    expect(fake.requests.map((r) => r.url)).toEqual([
      `${SIDECAR_PROXY_BASE}/slos/api_availability`,
      `${SIDECAR_PROXY_BASE}/slos/api_availability/budget`,
    ]);
  });

  test('alerts turned off in the spec say they would fire, not that they fire', async () => {
    const slo = sloView({
      status: sloStatus({ burnRates: [burnRate({ firing: true }), burnRate({ name: 'ticket-1d', kind: 'ticket' })] }),
    });
    fakeSloSidecar([{ ...slo, spec: { ...slo.spec, alerting: { page: false } } }]);
    render(<SloPanel {...panelProps(sidecar(), [])} />);
    const rows = within(await screen.findByTestId(ids.burnRates)).getAllByTestId(ids.burnRateRow);
    expect(rows.map((r) => [r.dataset.firing, (r as HTMLTableRowElement).cells[5].textContent])).toEqual([
      ['true', 'would fire (off)'],
      ['false', 'no'],
    ]);
  });

  test('a failed burn-down says why and leaves the budget on screen; one point is not a line', async () => {
    const { fake } = fakeSloSidecar([sloView(), sloView({ id: 'young', name: 'Young' })], (req) => {
      if (req.url.endsWith('/api_availability/budget')) {
        return { status: 502, body: { error: { code: 'datasource_error', message: 'query Prometheus: timeout' } } };
      }
      if (req.url.endsWith('/young/budget')) {
        return { status: 200, body: { points: [{ t: 1, remaining: 1, consumed: 0 }] } };
      }
      return undefined;
    });
    const { rerender } = render(<SloPanel {...panelProps(sidecar(), [])} />);
    expect(await screen.findByText(/No burn-down: .*timeout/)).toHaveAttribute('data-testid', ids.burnDownNote);
    expect(screen.getByTestId(ids.budgetRemaining)).toHaveTextContent('40.0%');
    rerender(<SloPanel {...panelProps(sidecar('young'), [])} />);
    expect(await screen.findByText('Not enough data for a burn-down yet.')).toBeInTheDocument();
    expect(screen.queryByTestId(ids.burnDown)).toBeNull();
    expect(fake.requests.length).toBe(4);
  });

  test('no SLO picked, not evaluated yet, a failed evaluation, an unknown SLO', async () => {
    const { fake } = fakeSloSidecar([
      sloView({ id: 'new', name: 'New SLO', status: null }),
      sloView({ id: 'broken', name: 'Broken', status: sloStatus({ error: 'prometheus: connection refused' }) }),
    ]);
    const { rerender } = render(<SloPanel {...panelProps(sidecar(''), [])} />);
    expect(screen.getByTestId(ids.empty)).toHaveTextContent('Pick an SLO');
    expect(fake.requests).toHaveLength(0);
    rerender(<SloPanel {...panelProps(sidecar('new'), [])} />);
    expect(await screen.findByText(/New SLO: the sidecar has not evaluated it yet/)).toBeInTheDocument();
    rerender(<SloPanel {...panelProps(sidecar('broken'), [])} />);
    expect(
      await screen.findByText(/Broken: its last evaluation failed: prometheus: connection refused/)
    ).toBeInTheDocument();
    rerender(<SloPanel {...panelProps(sidecar('gone'), [])} />);
    expect(await screen.findByTestId(ids.error)).toHaveTextContent('HTTP 404');
  });

  test("the SLO picker offers the sidecar's SLOs by name", async () => {
    fakeSloSidecar([sloView({ id: 'b', name: 'Zeta' }), sloView({ id: 'a', name: 'Alpha' })]);
    await expect(sloChoices()).resolves.toEqual([
      { value: 'a', label: 'Alpha', description: 'api · 99.9% over 30d' },
      { value: 'b', label: 'Zeta', description: 'api · 99.9% over 30d' },
    ]);
  });
});

describe('SloPanel listing sidecar SLOs', () => {
  const list = (service = ''): SloOptions => ({
    ...defaultSloOptions,
    source: 'sidecar',
    sidecarShow: 'list',
    service,
  });
  const slos = () => [
    sloView({ id: 'healthy', name: 'Healthy', status: sloStatus({ budgetRemaining: 0.9, budgetStatus: 'healthy' }) }),
    sloView({
      id: 'spent',
      name: 'Spent',
      target: 99,
      status: sloStatus({ sli: 0.875, budgetRemaining: 0, budgetStatus: 'exhausted', timeToExhaustionMs: null }),
    }),
    sloView({ id: 'broken', name: 'Broken', status: sloStatus({ error: 'prometheus: connection refused' }) }),
    sloView({ id: 'other', name: 'Other', service: 'db' }),
  ];
  const rows = () =>
    screen
      .getAllByTestId(ids.listRow)
      .map((r) => [
        r.dataset.sloId,
        r.dataset.budgetStatus,
        ...[ids.listSli, ids.listObjective, ids.listBudget, ids.listTimeToExhaustion].map(
          (id) => within(r).getByTestId(id).textContent
        ),
      ]);

  test("a service's SLOs, least budget first, each with SLI, objective, budget and exhaustion", async () => {
    const { fake } = fakeSloSidecar(slos());
    render(<SloPanel {...panelProps(list('api'), [])} />);
    await screen.findByTestId(ids.list);
    expect(rows()).toEqual([
      ['spent', 'exhausted', '87.500%', '99%', '0.0%', 'exhausted'],
      ['healthy', 'healthy', '99.940%', '99.9%', '90.0%', '1d 12h'],
      ['broken', 'error', '99.940%', '99.9%', 'error', '—'],
    ]);
    expect(fake.requests.map((r) => r.url)).toEqual([`${SIDECAR_PROXY_BASE}/slos`]);
  });

  test('every SLO without a service; an empty list and a failing sidecar say so', async () => {
    fakeSloSidecar(slos());
    const { rerender } = render(<SloPanel {...panelProps(list(), [])} />);
    await screen.findByTestId(ids.list);
    expect(screen.getAllByTestId(ids.listRow)).toHaveLength(4);
    rerender(<SloPanel {...panelProps(list('web'), [])} />);
    expect(await screen.findByTestId(ids.empty)).toHaveTextContent('no SLO for the service "web"');
    fakeSloSidecar([], () => ({ status: 500, body: { error: { code: 'internal', message: 'store closed' } } }));
    rerender(<SloPanel {...panelProps(list('db'), [])} />);
    expect(await screen.findByTestId(ids.error)).toHaveTextContent('store closed');
  });
});
