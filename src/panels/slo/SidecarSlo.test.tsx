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
    expect(screen.getByTestId(ids.container)).toHaveTextContent('30d · exhaustion 1d 12h');
    const rows = within(screen.getByTestId(ids.burnRates)).getAllByTestId(ids.burnRateRow);
    expect(rows.map((r) => [r.dataset.alert, r.dataset.firing])).toEqual([
      ['page-1h', 'true'],
      ['ticket-1d', 'false'],
    ]);
    expect(rows[0]).toHaveTextContent('page-1h1h / 5m14.4×2.00×1.50×firing');
    expect(fake.requests.map((r) => r.url)).toEqual([`${SIDECAR_PROXY_BASE}/slos/api_availability`]);
  });

  test('no SLO picked, not evaluated yet, a failed evaluation, an unknown SLO', async () => {
    fakeSloSidecar([
      sloView({ id: 'new', name: 'New SLO', status: null }),
      sloView({ id: 'broken', name: 'Broken', status: sloStatus({ error: 'prometheus: connection refused' }) }),
    ]);
    const { rerender } = render(<SloPanel {...panelProps(sidecar(''), [])} />);
    expect(screen.getByTestId(ids.empty)).toHaveTextContent('Pick an SLO');
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
