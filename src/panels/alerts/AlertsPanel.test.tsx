import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { FieldType, LoadingState, toDataFrame } from '@grafana/data';
import { panelProps } from '../../testing/panelProps';
import { testIds } from '../../testIds';
import { AlertsPanel } from './AlertsPanel';
import { defaultAlertsOptions } from './types';

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
    render(<AlertsPanel {...panelProps({ maxItems: 3 }, [alertsFrame(5)])} />);
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
    render(<AlertsPanel {...panelProps({ maxItems: NaN }, [alertsFrame(12)])} />);
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
});
