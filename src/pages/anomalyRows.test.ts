import type { AnomaliesResponse, AnomalyEvent } from '../api/types';
import response from '../testdata/anomalies.json';
import { formatDuration, formatUtc, toAnomalyRow, toAnomalyRows } from './anomalyRows';

const realistic = response as AnomaliesResponse;

describe('toAnomalyRows', () => {
  test('maps a realistic sidecar answer, newest first, with every column', () => {
    const rows = toAnomalyRows(realistic.anomalies, realistic.to);
    expect(rows.map((r) => r.id)).toEqual(['evt-latency-api-1', 'evt-errors-orders-1', 'evt-cpu-db-1']);
    expect(rows[0]).toEqual({
      id: 'evt-latency-api-1',
      severity: 'error',
      status: 'open',
      startedAt: 1795782800000,
      started: '2026-11-27 12:33:20 UTC',
      duration: 'ongoing (10m so far)',
      detector: 'api-latency',
      seriesKey: 'api-latency{service="api"}',
      anomalyType: 'extreme_high',
      message: 'Anomaly in api-latency{service="api"}: current=0.84, expected=0.12±0.02',
      confidence: '97%',
    });
    expect(rows[1]).toMatchObject({ severity: 'warning', status: 'closed', duration: '4m 30s', confidence: '82%' });
    expect(rows[2]).toMatchObject({
      severity: 'info',
      status: 'closed',
      duration: '2h 5m',
      anomalyType: 'trend_change_increasing',
    });
  });

  test('sorts by start time whatever the order of the answer', () => {
    const reversed = [...realistic.anomalies].reverse();
    expect(toAnomalyRows(reversed, realistic.to).map((r) => r.startedAt)).toEqual([
      1795782800000, 1795760000000, 1795700000000,
    ]);
  });

  test('an event with sparse metadata still maps, naming the detector from the series key', () => {
    const sparse = {
      id: 'x',
      kind: 'anomaly',
      seriesKey: 'mem{service="gateway"}',
      startedAt: 0,
      endedAt: 12_000,
      severity: 'critical',
      message: 'Anomaly in mem',
      metadata: {},
    } as unknown as AnomalyEvent;
    expect(toAnomalyRow(sparse, 60_000)).toMatchObject({
      detector: 'mem',
      severity: 'unknown',
      anomalyType: '—',
      confidence: '—',
      duration: '12s',
    });
  });
});

describe('formatting', () => {
  test.each([
    [0, '0s'],
    [999, '0s'],
    [59_000, '59s'],
    [61_000, '1m 1s'],
    [3_600_000, '1h'],
    [90_061_000, '1d 1h'],
    [-1, '—'],
  ])('formatDuration(%p) = %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test('formatUtc is UTC to the second', () => {
    expect(formatUtc(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02 03:04:05 UTC');
    expect(formatUtc(NaN)).toBe('—');
  });
});
