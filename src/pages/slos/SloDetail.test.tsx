import React from 'react';
import { MemoryRouter } from 'react-router';
import { render, screen, within } from '@testing-library/react';
import { burnRate, fakeSloSidecar, sloStatus, sloView } from '../../testing/slos';
import type { SloBurnRateView } from '../../api/slos';
import { testIds } from '../../testIds';
import { SloDetailPage } from './SloDetail';

const ids = testIds.slos;

function renderDetail(id: string) {
  return render(
    <MemoryRouter future={{ v7_relativeSplatPath: true, v7_startTransition: true }}>
      <SloDetailPage id={id} canWrite={false} />
    </MemoryRouter>
  );
}

/** An SLO whose page alerts are turned off (`alerting: { page: false }`), with its ticket alerts on. */
function pageOff(burnRates: SloBurnRateView[]) {
  const v = sloView({ status: sloStatus({ burnRates }) });
  return { ...v, spec: { ...v.spec, alerting: { page: false } } };
}

describe('SloDetailPage: burn-rate alerts whose alerting is off', () => {
  test('say "would fire (off)" where the SLO panel does, not "firing"', async () => {
    fakeSloSidecar([
      pageOff([
        burnRate({ firing: true }),
        burnRate({ name: 'page-6h', firing: false }),
        burnRate({ name: 'ticket-1d', kind: 'ticket', severity: 'warning', factor: 3, firing: true }),
      ]),
    ]);
    renderDetail('api_availability');
    const rows = within(await screen.findByTestId(ids.burnRates)).getAllByTestId(ids.burnRateRow);
    // The verdict itself is kept (data-firing); only what the page claims changes.
    expect(rows.map((r) => [r.dataset.alert, r.dataset.firing])).toEqual([
      ['page-1h', 'true'],
      ['page-6h', 'false'],
      ['ticket-1d', 'true'],
    ]);
    const firingCell = (r: HTMLElement) => r.querySelectorAll('td')[5].textContent;
    expect(rows.map(firingCell)).toEqual(['would fire (off)', 'no (off)', 'firing']);
    expect(screen.getByTestId(ids.detail)).toHaveTextContent('firing: ticket-1d · would fire (off): page-1h');
  });

  test('with alerting on, a firing alert says "firing" and the others "no"', async () => {
    fakeSloSidecar([
      sloView({ status: sloStatus({ burnRates: [burnRate({ firing: true }), burnRate({ name: 'x' })] }) }),
    ]);
    renderDetail('api_availability');
    const rows = within(await screen.findByTestId(ids.burnRates)).getAllByTestId(ids.burnRateRow);
    expect(rows.map((r) => r.querySelectorAll('td')[5].textContent)).toEqual(['firing', 'no']);
    expect(screen.getByTestId(ids.detail)).toHaveTextContent('firing: page-1h');
    expect(screen.getByTestId(ids.detail)).not.toHaveTextContent('would fire');
  });
});
