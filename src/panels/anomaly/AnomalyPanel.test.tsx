import React from 'react';
import { render, screen } from '@testing-library/react';
import { FieldType, LoadingState, toDataFrame } from '@grafana/data';
import { panelProps } from '../../testing/panelProps';
import { testSeries } from '../../testing/series';
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
    // uPlot mounted its canvas, the legend names the metric, the key the band and the marks.
    expect(chart.querySelector('canvas')).not.toBeNull();
    expect(container).toHaveTextContent('latency');
    expect(container).toHaveTextContent('expected band');
    expect(container).toHaveTextContent('anomalies');
    expect(screen.getByText(/3σ over 100 points/)).toBeInTheDocument();
    // the verdicts came with the data: listed as they are, the type unknown (the data does not say)
    const incidents = screen.getAllByTestId(ids.incident);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toHaveAttribute('data-anomaly-type', 'unknown');
    expect(incidents[0]).toHaveTextContent(/Anomaly in latency: current=\d+\.\d\d, expected=\d+\.\d\d±5\.00/);
  });

  test('says so when its detector has learned fewer points than its scoring needs (the sidecar’s has history)', () => {
    const short = testSeries({ n: 120, noise: 2 });
    const long = testSeries({ n: 500, noise: 2 });
    const frame = (s: { times: number[]; values: number[] }) =>
      toDataFrame({
        fields: [
          { name: 'time', type: FieldType.time, values: s.times },
          { name: 'latency', type: FieldType.number, values: s.values },
        ],
      });
    const { unmount } = render(<AnomalyPanel {...panelProps(defaultAnomalyOptions, [frame(short)])} />);
    expect(screen.getByTestId(ids.windowNote)).toHaveTextContent(
      /from the 120 points shown \(the detector learns from 300\); the sidecar’s detector also learns its lookback/
    );
    unmount();
    render(<AnomalyPanel {...panelProps(defaultAnomalyOptions, [frame(long)])} />);
    expect(screen.queryByTestId(ids.windowNote)).toBeNull();
  });

  test('a series with a spike: the panel detects it and lists one extreme_high incident', () => {
    const s = testSeries({ n: 500, period: 240, noise: 2, spikes: { 420: 60 } });
    const frame = toDataFrame({
      name: 'gateway latency',
      fields: [
        { name: 'time', type: FieldType.time, values: s.times },
        { name: 'latency', type: FieldType.number, values: s.values },
      ],
    });
    const { container } = render(<AnomalyPanel {...panelProps(defaultAnomalyOptions, [frame])} />);
    expect(screen.getByTestId(ids.anomalyCount)).toHaveTextContent('1 anomaly');
    expect(container).toHaveTextContent('latency');
    expect(container).toHaveTextContent('expected band');
    expect(screen.getByText(/likelihood scoring · marks from 00:30/)).toBeInTheDocument();
    const incidents = screen.getAllByTestId(ids.incident);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toHaveAttribute('data-anomaly-type', 'extreme_high');
    expect(incidents[0]).toHaveTextContent('2026-01-01 07:00:00');
    expect(incidents[0]).toHaveTextContent(/extreme high/);
    expect(incidents[0]).toHaveTextContent(/Anomaly in latency: current=\d+\.\d\d, expected=\d+\.\d\d±\d+\.\d\d/);
    expect(incidents[0]).toHaveTextContent('confidence 100%');
  });

  test('a narrow panel keeps one header line: no key, the settings cut with the whole text as a title', () => {
    const frame = toDataFrame({
      name: 'api latency',
      fields: [
        { name: 'time', type: FieldType.time, values: times },
        { name: 'latency', type: FieldType.number, values: value },
      ],
    });
    const props = { ...panelProps(defaultAnomalyOptions, [frame]), width: 400 };
    const { container } = render(<AnomalyPanel {...props} />);
    expect(container).not.toHaveTextContent('expected band');
    expect(screen.getByTitle(/^3σ over 100 points/)).toBeInTheDocument();
  });

  test('a clean sine series: band drawn, no anomalies, no incident list', () => {
    const s = testSeries({ n: 1000, period: 240 });
    const frame = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: s.times },
        { name: 'cpu', type: FieldType.number, values: s.values },
      ],
    });
    const { container } = render(<AnomalyPanel {...panelProps(defaultAnomalyOptions, [frame])} />);
    expect(screen.getByTestId(ids.anomalyCount)).toHaveTextContent('0 anomalies');
    expect(container).toHaveTextContent('cpu');
    expect(container).toHaveTextContent('expected band');
    expect(screen.queryByTestId(ids.incidentList)).toBeNull();
    expect(screen.getByTestId(ids.chart).querySelector('canvas')).not.toBeNull();
  });

  test('a short series: too few points for a band, and the learning period is said', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: times.slice(0, 8) },
        { name: 'cpu', type: FieldType.number, values: value.slice(0, 8) },
      ],
    });
    render(<AnomalyPanel {...panelProps(defaultAnomalyOptions, [frame])} />);
    expect(screen.getByText(/no expected band in the data/)).toBeInTheDocument();
    expect(screen.getByText(/learning: marks from point 31/)).toBeInTheDocument();
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
    rerender(<AnomalyPanel {...panelProps({ ...defaultAnomalyOptions, sensitivity: 0 }, [])} />);
    expect(screen.getByTestId(ids.error)).toHaveTextContent(
      'options: detector option sensitivity: must be a positive number, got 0'
    );
    rerender(<AnomalyPanel {...panelProps({ ...defaultAnomalyOptions, window: 5 }, [])} />);
    expect(screen.getByTestId(ids.error)).toHaveTextContent(
      'detector option windowSize: must be an integer >= 20, got 5'
    );
    rerender(<AnomalyPanel {...panelProps(defaultAnomalyOptions, [], { state: LoadingState.Loading })} />);
    expect(screen.getByTestId(ids.loading)).toBeInTheDocument();
  });
});
