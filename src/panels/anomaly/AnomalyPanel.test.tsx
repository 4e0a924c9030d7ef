import React from 'react';
import { render, screen } from '@testing-library/react';
import { FieldType, LoadingState, toDataFrame } from '@grafana/data';
import { panelProps } from '../../testing/panelProps';
import { testIds } from '../../testIds';
import { AnomalyPanel } from './AnomalyPanel';
import { defaultAnomalyOptions } from './types';

const ids = testIds.anomalyPanel;
const t0 = Date.UTC(2026, 0, 1);
const n = 60;
const times = Array.from({ length: n }, (_, i) => t0 + i * 60_000);
const value = times.map((_, i) => 100 + 10 * Math.sin(i / 6) + (i === 40 ? 80 : 0));

describe('AnomalyPanel', () => {
  test('draws the series with its band and counts the anomalies', () => {
    const frame = toDataFrame({
      name: 'api latency',
      fields: [
        { name: 'time', type: FieldType.time, values: times },
        { name: 'latency', type: FieldType.number, values: value },
        { name: 'expected', type: FieldType.number, values: value.map((_, i) => 100 + 10 * Math.sin(i / 6)) },
        { name: 'lower', type: FieldType.number, values: value.map((_, i) => 85 + 10 * Math.sin(i / 6)) },
        { name: 'upper', type: FieldType.number, values: value.map((_, i) => 115 + 10 * Math.sin(i / 6)) },
        { name: 'anomaly', type: FieldType.number, values: value.map((_, i) => (i === 40 ? 1 : 0)) },
      ],
    });
    const { container } = render(<AnomalyPanel {...panelProps(defaultAnomalyOptions, [frame])} />);
    expect(screen.getByTestId(ids.container)).toBeInTheDocument();
    expect(screen.getByTestId(ids.anomalyCount)).toHaveTextContent('1 anomaly');
    const chart = screen.getByTestId(ids.chart);
    // uPlot mounted its canvas, and the legend names the metric, band and anomaly series.
    expect(chart.querySelector('canvas')).not.toBeNull();
    expect(container).toHaveTextContent('latency');
    expect(container).toHaveTextContent('latency anomalies');
    expect(screen.getByText(/3σ over 100 points/)).toBeInTheDocument();
  });

  test('a plain series renders without band fields', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: times },
        { name: 'cpu', type: FieldType.number, values: value },
      ],
    });
    render(<AnomalyPanel {...panelProps(defaultAnomalyOptions, [frame])} />);
    expect(screen.getByTestId(ids.anomalyCount)).toHaveTextContent('0 anomalies');
    expect(screen.getByText(/no expected band in the data/)).toBeInTheDocument();
    expect(screen.getByTestId(ids.chart).querySelector('canvas')).not.toBeNull();
  });

  test('empty, error, bad options and loading states', () => {
    const { rerender } = render(<AnomalyPanel {...panelProps(defaultAnomalyOptions, [])} />);
    expect(screen.getByTestId(ids.empty)).toHaveTextContent('No time series');
    rerender(
      <AnomalyPanel
        {...panelProps(defaultAnomalyOptions, [], {
          state: LoadingState.Error,
          errors: [{ message: 'Prometheus: 503' }],
        })}
      />
    );
    expect(screen.getByTestId(ids.error)).toHaveTextContent('Prometheus: 503');
    rerender(<AnomalyPanel {...panelProps({ sensitivity: 0, window: 100 }, [])} />);
    expect(screen.getByTestId(ids.error)).toHaveTextContent('sensitivity must be above 0 (got 0)');
    rerender(<AnomalyPanel {...panelProps(defaultAnomalyOptions, [], { state: LoadingState.Loading })} />);
    expect(screen.getByTestId(ids.loading)).toBeInTheDocument();
  });
});
