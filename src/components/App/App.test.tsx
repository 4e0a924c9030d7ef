import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { type AppRootProps, PluginType } from '@grafana/data';
import { render, screen, waitFor } from '@testing-library/react';
import { installFakeBackendSrv, healthyReport } from '../../testing/fakeBackendSrv';
import { testIds } from '../../testIds';
import App from './App';

const BASE = '/a/vigil-observability-app';
// react-router 7 semantics (Grafana 13 line), which also silences v6's deprecation warnings.
const FUTURE = { v7_relativeSplatPath: true, v7_startTransition: true };
const props = {
  basename: BASE,
  meta: { id: 'vigil-observability-app', name: 'Vigil', type: PluginType.app, enabled: true, jsonData: {} },
  query: {},
  path: BASE,
  onNavChanged: () => {},
} as unknown as AppRootProps;

/** As a host page does: a bare router whose location is already under the app's base URL. */
function renderBare(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]} future={FUTURE}>
      <App {...props} />
    </MemoryRouter>
  );
}

/** As Grafana does: the app root under a route `/a/<plugin id>/*`. */
function renderInGrafanaRoute(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]} future={FUTURE}>
      <Routes>
        <Route path="/a/:pluginId/*" element={<App {...props} />} />
      </Routes>
    </MemoryRouter>
  );
}

describe('App routes', () => {
  beforeEach(() => {
    // As the real sidecar with no detectors answers: healthy, and no anomaly events.
    installFakeBackendSrv((req) =>
      req.url.endsWith('/anomalies')
        ? { status: 200, body: { from: 0, to: 86_400_000, anomalies: [] } }
        : req.url.endsWith('/incidents')
          ? { status: 200, body: { incidents: [] } }
          : req.url.endsWith('/slos')
            ? { status: 200, body: { slos: [] } }
            : req.url.endsWith('/rules')
              ? { status: 200, body: { rules: [] } }
              : req.url.endsWith('/datasources')
                ? { status: 200, body: { datasources: [{ name: 'prometheus', type: 'prometheus', url: 'http://p' }] } }
                : req.url.endsWith('/detectors')
                  ? { status: 200, body: { detectors: [] } }
                  : { status: 200, body: healthyReport }
    );
  });

  test.each([
    ['rules', testIds.pages.rules, 'No alert rules yet'],
    ['slos', testIds.pages.slos, 'No SLOs yet'],
    // The Incidents page has two parts, each with its own states: incidents, then anomalies.
    ['incidents', testIds.pages.incidents, 'No active incidents'],
  ])('%s renders its page and, once the sidecar answers, its empty state', async (route, pageId, emptyText) => {
    renderBare(`${BASE}/${route}`);
    expect(screen.getByTestId(pageId)).toBeInTheDocument();
    expect(screen.getAllByTestId(testIds.pages.loading)[0]).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByTestId(testIds.pages.empty)[0]).toHaveTextContent(emptyText));
  });

  test.each([renderInGrafanaRoute, renderBare])('rules/new opens the rule editor (%p)', async (renderAt) => {
    renderAt(`${BASE}/rules/new`);
    expect(await screen.findByTestId(testIds.ruleEditor.form)).toBeInTheDocument();
    // a new rule starts on the sidecar's first datasource
    expect(screen.getByTestId(testIds.ruleEditor.datasource)).toHaveTextContent('prometheus');
  });

  test('settings shows the sidecar health: status and each datasource', async () => {
    renderInGrafanaRoute(`${BASE}/settings`);
    expect(screen.getByTestId(testIds.pages.settings)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId(testIds.settings.healthStatus)).toHaveTextContent('degraded'));
    const rows = screen.getAllByTestId(testIds.settings.datasource);
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('prometheus'),
      expect.stringContaining('no: connect ECONNREFUSED'),
    ]);
  });

  test.each([renderInGrafanaRoute, renderBare])('an unknown path lands on alert rules (%p)', async (renderAt) => {
    renderAt(`${BASE}/nowhere/deeper`);
    expect(await screen.findByTestId(testIds.pages.rules)).toBeInTheDocument();
  });

  test('an unreachable sidecar gives every page a clear error state, not a crash', async () => {
    installFakeBackendSrv(() => ({ status: 502, body: {} }));
    for (const [route, pageId] of [
      ['rules', testIds.pages.rules],
      ['settings', testIds.pages.settings],
    ]) {
      const { unmount } = renderBare(`${BASE}/${route}`);
      expect(screen.getByTestId(pageId)).toBeInTheDocument();
      await waitFor(() => expect(screen.getByTestId(testIds.pages.error)).toHaveTextContent('could not be reached'));
      unmount();
    }
  });
});
