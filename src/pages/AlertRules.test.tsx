import React from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { installFakeBackendSrv } from '../testing/fakeBackendSrv';
import { alertTransitions, alertView, ruleResource } from '../testing/rules';
import { testIds } from '../testIds';
import { AlertRules } from './AlertRules';

const ids = testIds.rules;
const BASE = '/a/vigil-observability-app';

function Where() {
  const loc = useLocation();
  return <div data-testid="where">{loc.pathname + loc.search}</div>;
}

function renderPage(search = '') {
  return render(
    <MemoryRouter
      initialEntries={[`${BASE}/rules${search}`]}
      future={{ v7_relativeSplatPath: true, v7_startTransition: true }}
    >
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
  test("?search= (an incident alert's rule link) starts the list filtered by it", async () => {
    installFakeBackendSrv(() => ({ status: 200, body: { rules } }));
    renderPage('?search=Service%20down');
    const rows = await screen.findAllByTestId(ids.row);
    expect(rows.map((r) => r.dataset.ruleId)).toEqual(['down']);
    expect(screen.getByTestId(ids.search)).toHaveValue('Service down');
  });

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

  describe('expanded row: the alert instances of a rule', () => {
    const alerts = [
      alertView({ ruleId: 'down', fingerprint: 'fp-a' }),
      alertView({ ruleId: 'down', fingerprint: 'fp-n', state: 'normal', labels: { instance: 'n:9100' } }),
    ];
    const answer = (alertsBody: unknown, alertsStatus = 200) =>
      installFakeBackendSrv((req) => {
        if (req.url.endsWith('/history')) {
          return { status: 200, body: { fingerprint: 'fp-a', history: alertTransitions() } };
        }
        if (req.url.endsWith('/alerts')) {
          return { status: alertsStatus, body: alertsBody };
        }
        return { status: 200, body: { rules } };
      });

    test('lists the active instances with labels, value vs threshold, since and summary; history on demand', async () => {
      const fake = answer({ alerts });
      renderPage();
      const row = (await screen.findAllByTestId(ids.row))[0];
      const toggle = within(row).getByTestId(ids.expand);
      expect(toggle).toHaveAttribute('aria-expanded', 'false');
      expect(toggle.tagName).toBe('BUTTON');
      fireEvent.click(toggle);
      expect(toggle).toHaveAttribute('aria-expanded', 'true');
      const list = await screen.findByTestId(ids.instances);
      expect(list.dataset.ruleId).toBe('down');
      const instances = await within(list).findAllByTestId(ids.instance);
      expect(instances.map((i) => [i.dataset.fingerprint, i.dataset.state])).toEqual([['fp-a', 'firing']]);
      const text = instances[0].textContent ?? '';
      for (const part of [
        'instance=a:9100',
        'service=api',
        '93.25',
        'threshold 80',
        'ago',
        '2025-11-24 16:00:00 UTC',
      ]) {
        expect(text).toContain(part);
      }
      expect(text).toContain('CPU at 93.25%');
      const alertsReq = fake.requests.find((r) => r.url.endsWith('/alerts'));
      expect(alertsReq?.params).toEqual({ rule: 'down' });

      const history = within(instances[0]).getByTestId(ids.historyToggle);
      expect(history).toHaveAttribute('aria-expanded', 'false');
      fireEvent.click(history);
      const transitions = await within(instances[0]).findAllByTestId(ids.transition);
      expect(transitions.map((t) => [t.dataset.from, t.dataset.to, t.dataset.event])).toEqual([
        ['pending', 'firing', 'firing'],
        ['normal', 'pending', ''],
      ]);
      expect(transitions[0]).toHaveTextContent('2025-11-24 16:00:00 UTC');
      expect(fake.requests.some((r) => r.url.endsWith('/alerts/fp-a/history'))).toBe(true);

      fireEvent.click(toggle);
      expect(screen.queryByTestId(ids.instances)).not.toBeInTheDocument();
    });

    test('each instance links to a new silence of its labels on the Notifications page', async () => {
      answer({ alerts });
      renderPage();
      fireEvent.click(within((await screen.findAllByTestId(ids.row))[0]).getByTestId(ids.expand));
      const [instance] = await within(await screen.findByTestId(ids.instances)).findAllByTestId(ids.instance);
      const href = within(instance).getByTestId(ids.silence).getAttribute('href') ?? '';
      const [path, query] = href.split('?');
      expect(path).toBe(`${BASE}/notifications`);
      const labels = alertView({ ruleId: 'down', fingerprint: 'fp-a' }).labels;
      const expected = Object.keys(labels)
        .sort()
        .map((k) => `${k}=${JSON.stringify(labels[k])}`)
        .join(',');
      expect(new URLSearchParams(query).get('matchers')).toBe(`{${expected}}`);
    });

    test('every series Normal: says there is no active instance', async () => {
      answer({ alerts: [alerts[1]] });
      renderPage();
      fireEvent.click(within((await screen.findAllByTestId(ids.row))[0]).getByTestId(ids.expand));
      const list = await screen.findByTestId(ids.instances);
      expect(await within(list).findByTestId(testIds.pages.empty)).toHaveTextContent(
        'No active instancesEvery series is Normal.'
      );
    });

    test('a failing sidecar shows the error state with a retry', async () => {
      let status = 500;
      installFakeBackendSrv((req) => {
        if (req.url.endsWith('/alerts')) {
          return { status, body: status === 200 ? { alerts } : { error: { code: 'internal', message: 'store down' } } };
        }
        return { status: 200, body: { rules } };
      });
      renderPage();
      fireEvent.click(within((await screen.findAllByTestId(ids.row))[0]).getByTestId(ids.expand));
      const list = await screen.findByTestId(ids.instances);
      const error = await within(list).findByTestId(testIds.pages.error);
      expect(error).toHaveTextContent("Could not load the rule's alert instances");
      status = 200;
      fireEvent.click(within(error).getByText('Retry'));
      expect(await within(list).findAllByTestId(ids.instance)).toHaveLength(1);
    });
  });
});
