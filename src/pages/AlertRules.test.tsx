import React from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { installFakeBackendSrv } from '../testing/fakeBackendSrv';
import { ruleResource } from '../testing/rules';
import { testIds } from '../testIds';
import { AlertRules } from './AlertRules';

const ids = testIds.rules;
const BASE = '/a/vigil-observability-app';

function Where() {
  const loc = useLocation();
  return <div data-testid="where">{loc.pathname + loc.search}</div>;
}

function renderPage() {
  return render(
    <MemoryRouter initialEntries={[`${BASE}/rules`]} future={{ v7_relativeSplatPath: true, v7_startTransition: true }}>
      <Routes>
        <Route path={`${BASE}/rules`} element={<AlertRules />} />
        <Route path="*" element={<Where />} />
      </Routes>
    </MemoryRouter>
  );
}

const rules = [
  ruleResource({ id: 'cpu', name: 'High CPU', status: { ...ruleResource().status, states: { normal: 2 } } }),
  ruleResource({ id: 'down', name: 'Service down', severity: 'critical' }),
  ruleResource({ id: 'from_file', name: 'Error rate', origin: 'file', readOnly: true, file: 'rules.yaml' }),
];

describe('AlertRules page', () => {
  test('lists rules most urgent first, with state, severity and a read-only badge on file rules', async () => {
    installFakeBackendSrv(() => ({ status: 200, body: { rules } }));
    renderPage();
    const rows = await screen.findAllByTestId(ids.row);
    expect(rows.map((r) => [r.dataset.ruleId, r.dataset.state, r.dataset.severity])).toEqual([
      ['down', 'firing', 'critical'],
      ['from_file', 'firing', 'warning'],
      ['cpu', 'normal', 'warning'],
    ]);
    expect(within(rows[1]).getByTestId(ids.readOnlyBadge)).toBeInTheDocument();
    expect(within(rows[1]).queryByTestId(ids.delete)).not.toBeInTheDocument();
    expect(within(rows[1]).getByTestId(ids.edit)).toHaveTextContent('View');
    expect(screen.getByTestId(ids.summary)).toHaveTextContent('3 rules');
  });

  test('search and the origin filter narrow the list', async () => {
    installFakeBackendSrv(() => ({ status: 200, body: { rules } }));
    renderPage();
    await screen.findAllByTestId(ids.row);
    fireEvent.change(screen.getByTestId(ids.search), { target: { value: 'service down' } });
    expect(screen.getAllByTestId(ids.row).map((r) => r.dataset.ruleId)).toEqual(['down']);
    expect(screen.getByTestId(ids.summary)).toHaveTextContent('1 of 3 rules match the filters');
    fireEvent.change(screen.getByTestId(ids.search), { target: { value: '' } });
    fireEvent.click(within(screen.getByTestId(ids.originFilter)).getByLabelText('From files'));
    expect(screen.getAllByTestId(ids.row).map((r) => r.dataset.ruleId)).toEqual(['from_file']);
  });

  test('delete asks first, then deletes and reloads', async () => {
    let current = rules;
    const fake = installFakeBackendSrv((req) => {
      if (req.method === 'DELETE') {
        current = current.filter((r) => !req.url.endsWith(`/rules/${r.id}`));
        return { status: 204, body: '' };
      }
      return { status: 200, body: { rules: current } };
    });
    renderPage();
    const rows = await screen.findAllByTestId(ids.row);
    fireEvent.click(within(rows[2]).getByTestId(ids.delete));
    expect(screen.getByRole('dialog')).toHaveTextContent('Delete "High CPU"?');
    fireEvent.click(screen.getByTestId(ids.confirmDelete));
    await waitFor(() => expect(screen.getAllByTestId(ids.row)).toHaveLength(2));
    expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([
      expect.stringMatching(/\/rules\/cpu$/),
    ]);
  });

  test('create, edit and duplicate open the editor routes', async () => {
    installFakeBackendSrv(() => ({ status: 200, body: { rules } }));
    const { unmount } = renderPage();
    fireEvent.click(await screen.findByTestId(ids.create));
    expect(screen.getByTestId('where')).toHaveTextContent(`${BASE}/rules/new`);
    unmount();
    renderPage();
    fireEvent.click((await screen.findAllByTestId(ids.edit))[0]);
    expect(screen.getByTestId('where')).toHaveTextContent(`${BASE}/rules/down/edit`);
  });

  test('no rules: the empty state says how to get one', async () => {
    installFakeBackendSrv(() => ({ status: 200, body: { rules: [] } }));
    renderPage();
    expect(await screen.findByTestId(testIds.pages.empty)).toHaveTextContent('No alert rules yet');
  });
});
