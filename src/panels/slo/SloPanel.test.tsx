import React from 'react';
import { render, screen } from '@testing-library/react';
import { FieldType, LoadingState, toDataFrame } from '@grafana/data';
import { panelProps } from '../../testing/panelProps';
import { testIds } from '../../testIds';
import { SloPanel } from './SloPanel';
import { defaultSloOptions } from './types';

const ids = testIds.sloPanel;
const t0 = Date.UTC(2026, 0, 1);

function sli(values: number[]) {
  return toDataFrame({
    name: 'api availability',
    fields: [
      { name: 'time', type: FieldType.time, values: values.map((_, i) => t0 + i * 15_000) },
      { name: 'availability', type: FieldType.number, values },
    ],
  });
}

describe('SloPanel', () => {
  test('shows SLI, objective, budget remaining and a healthy status', () => {
    render(<SloPanel {...panelProps(defaultSloOptions, [sli([99.95, 99.95, 99.95])])} />);
    expect(screen.getByTestId(ids.container)).toBeInTheDocument();
    expect(screen.getByTestId(ids.sli)).toHaveTextContent('99.950%');
    expect(screen.getByTestId(ids.objective)).toHaveTextContent('99.9%');
    expect(screen.getByTestId(ids.budgetRemaining)).toHaveTextContent('50.0%');
    expect(screen.getByTestId(ids.status)).toHaveTextContent('healthy');
  });

  test.each([
    [99.935, 'warning', '35.0%'],
    [99.91, 'critical', '10.0%'],
    [99.5, 'exhausted', '0.0%'],
  ])('SLI %p%% against 99.9%% is %s with %s left', (value, status, remaining) => {
    render(<SloPanel {...panelProps(defaultSloOptions, [sli([value])])} />);
    expect(screen.getByTestId(ids.status)).toHaveTextContent(status);
    expect(screen.getByTestId(ids.budgetRemaining)).toHaveTextContent(remaining);
  });

  test('options missing from the saved panel fall back to the defaults', () => {
    render(<SloPanel {...panelProps({} as typeof defaultSloOptions, [sli([0.9995])])} />);
    expect(screen.getByTestId(ids.objective)).toHaveTextContent('99.9%');
    expect(screen.getByTestId(ids.budgetRemaining)).toHaveTextContent('50.0%');
  });

  test('empty, invalid option, query error and loading states', () => {
    const { rerender } = render(<SloPanel {...panelProps(defaultSloOptions, [])} />);
    expect(screen.getByTestId(ids.empty)).toHaveTextContent('No SLI data');
    rerender(<SloPanel {...panelProps({ ...defaultSloOptions, objective: 120 }, [sli([99.9])])} />);
    expect(screen.getByTestId(ids.error)).toHaveTextContent(
      'objective must be a percentage strictly between 0 and 100, got 120'
    );
    rerender(
      <SloPanel
        {...panelProps(defaultSloOptions, [], { state: LoadingState.Error, errors: [{ message: 'timeout' }] })}
      />
    );
    expect(screen.getByTestId(ids.error)).toHaveTextContent('timeout');
    rerender(<SloPanel {...panelProps(defaultSloOptions, [], { state: LoadingState.Loading })} />);
    expect(screen.getByTestId(ids.loading)).toBeInTheDocument();
  });
});
