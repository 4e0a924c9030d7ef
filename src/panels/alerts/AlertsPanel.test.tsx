import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { FieldType, LoadingState, toDataFrame } from '@grafana/data';
import { installFakeBackendSrv } from '../../testing/fakeBackendSrv';
import { panelProps } from '../../testing/panelProps';
import { testIds } from '../../testIds';
import { AlertsPanel } from './AlertsPanel';
import { type AlertsOptions, defaultAlertsOptions } from './types';

const ids = testIds.alertsPanel;

function alertsFrame(n: number) {
  return toDataFrame({
    fields: [
      { name: 'alertname', type: FieldType.string, values: Array.from({ length: n }, (_, i) => `Alert${i}`) },
      {
        name: 'severity',
        type: FieldType.string,
        values: Array.from({ length: n }, (_, i) => (i === 0 ? 'critical' : 'warning')),
      },
      { name: 'state', type: FieldType.string, values: Array.from({ length: n }, () => 'firing') },
    ],
  });
}

describe('AlertsPanel', () => {
  test('shows the count, the per-severity counts and the list, capped at maxItems', () => {
    render(<AlertsPanel {...panelProps({ ...defaultAlertsOptions, maxItems: 3 }, [alertsFrame(5)])} />);
    expect(screen.getByTestId(ids.container)).toBeInTheDocument();
    expect(screen.getByTestId(ids.count)).toHaveTextContent('5');
    const chips = screen.getAllByTestId(ids.severityCount).map((el) => el.textContent);
    expect(chips).toEqual(['critical 1', 'warning 4']);
    const items = within(screen.getByTestId(ids.list)).getAllByTestId(ids.item);
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent('Alert0');
    expect(screen.getByText('and 2 more')).toBeInTheDocument();
  });

  test('missing or invalid maxItems falls back to the default of 10', () => {
    const { unmount } = render(
      <AlertsPanel {...panelProps(undefined as unknown as typeof defaultAlertsOptions, [alertsFrame(12)])} />
    );
    expect(screen.getAllByTestId(ids.item)).toHaveLength(10);
    unmount();
    render(<AlertsPanel {...panelProps({ ...defaultAlertsOptions, maxItems: NaN }, [alertsFrame(12)])} />);
    expect(screen.getAllByTestId(ids.item)).toHaveLength(10);
  });

  test('no active alerts is an explicit empty state', () => {
    render(<AlertsPanel {...panelProps(defaultAlertsOptions, [])} />);
    expect(screen.getByTestId(ids.empty)).toHaveTextContent('No active alerts');
    expect(screen.queryByTestId(ids.container)).not.toBeInTheDocument();
  });

  test('a failed query shows its error; a first load shows loading', () => {
    const { unmount } = render(
      <AlertsPanel
        {...panelProps(defaultAlertsOptions, [], {
          state: LoadingState.Error,
          errors: [{ message: 'bad_data: parse error' }],
        })}
      />
    );
    expect(screen.getByTestId(ids.error)).toHaveTextContent('bad_data: parse error');
    unmount();
    render(<AlertsPanel {...panelProps(defaultAlertsOptions, [], { state: LoadingState.Loading })} />);
    expect(screen.getByTestId(ids.loading)).toBeInTheDocument();
  });

  test('groups by severity (the default) or service; the severity filter hides the rest', () => {
    const { unmount } = render(<AlertsPanel {...panelProps(defaultAlertsOptions, [alertsFrame(3)])} />);
    expect(screen.getAllByTestId(ids.group).map((g) => g.dataset.group)).toEqual(['critical', 'warning']);
    unmount();
    render(
      <AlertsPanel
        {...panelProps<AlertsOptions>({ ...defaultAlertsOptions, severities: ['critical'], groupBy: 'service' }, [
          alertsFrame(3),
        ])}
      />
    );
    expect(screen.getByTestId(ids.count)).toHaveTextContent('1');
    expect(screen.getAllByTestId(ids.group).map((g) => g.textContent)).toEqual([expect.stringContaining('no service')]);
  });

  test("source sidecar: reads the sidecar's alert instances through the app proxy", async () => {
    const fake = installFakeBackendSrv(() => ({
      status: 200,
      body: {
        alerts: [
          {
            ruleId: 'down',
            ruleName: 'Service down',
            fingerprint: 'a',
            state: 'firing',
            severity: 'critical',
            labels: { service: 'payments' },
          },
          {
            ruleId: 'cpu',
            ruleName: 'High CPU',
            fingerprint: 'b',
            state: 'pending',
            severity: 'warning',
            labels: { service: 'api' },
          },
          {
            ruleId: 'cpu',
            ruleName: 'High CPU',
            fingerprint: 'c',
            state: 'recovering',
            severity: 'warning',
            labels: {},
          },
          { ruleId: 'cpu', ruleName: 'High CPU', fingerprint: 'd', state: 'normal', severity: 'warning', labels: {} },
        ],
      },
    }));
    render(
      <AlertsPanel
        {...panelProps<AlertsOptions>({ ...defaultAlertsOptions, source: 'sidecar', groupBy: 'service' }, [])}
      />
    );
    expect(screen.getByTestId(ids.loading)).toBeInTheDocument();
    expect(await screen.findByTestId(ids.count)).toHaveTextContent('3');
    expect(screen.getAllByTestId(ids.group).map((g) => g.dataset.group)).toEqual(['api', 'payments', '(none)']);
    expect(fake.requests[0].url).toBe('/api/plugin-proxy/vigil-observability-app/sidecar/api/v1/alerts');
    // each alert links to its rule's editor and to the Incidents page
    const ruleLinks = screen.getAllByTestId(ids.ruleLink).map((a) => a.getAttribute('href'));
    expect(ruleLinks).toEqual(expect.arrayContaining(['/a/vigil-observability-app/rules/down/edit']));
    expect(ruleLinks).toContain('/a/vigil-observability-app/rules/cpu/edit');
    expect(screen.getAllByTestId(ids.incidentLink)[0]).toHaveAttribute('href', '/a/vigil-observability-app/incidents');
  });

  test('an alert from a query links to the rule list searched by its name', () => {
    render(<AlertsPanel {...panelProps<AlertsOptions>(defaultAlertsOptions, [alertsFrame(1)])} />);
    expect(screen.getByTestId(ids.ruleLink)).toHaveAttribute('href', '/a/vigil-observability-app/rules?search=Alert0');
    expect(screen.getByTestId(ids.incidentLink)).toHaveAttribute('href', '/a/vigil-observability-app/incidents');
  });

  test('source sidecar: an unreachable sidecar is the error state', async () => {
    installFakeBackendSrv(() => ({ status: 502, body: {} }));
    render(<AlertsPanel {...panelProps<AlertsOptions>({ ...defaultAlertsOptions, source: 'sidecar' }, [])} />);
    expect(await screen.findByTestId(ids.error)).toHaveTextContent('could not be reached');
  });
});
