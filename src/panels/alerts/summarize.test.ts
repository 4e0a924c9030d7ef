import { FieldType, toDataFrame } from '@grafana/data';
import { summarizeAlerts } from './summarize';

describe('summarizeAlerts', () => {
  test('table rows: counts active alerts per severity, leaves inactive ones out, most urgent first', () => {
    const frame = toDataFrame({
      fields: [
        {
          name: 'alertname',
          type: FieldType.string,
          values: ['HighLatency', 'ServiceDown', 'DiskFilling', 'Old', 'CPUHigh'],
        },
        { name: 'severity', type: FieldType.string, values: ['warning', 'critical', 'warning', 'critical', 'info'] },
        { name: 'state', type: FieldType.string, values: ['firing', 'firing', 'pending', 'resolved', 'firing'] },
        { name: 'service', type: FieldType.string, values: ['api', 'payments', 'database', 'api', 'orders'] },
      ],
    });
    const summary = summarizeAlerts([frame]);
    expect(summary.total).toBe(4);
    expect(summary.bySeverity).toEqual({ critical: 1, error: 0, warning: 2, info: 1, other: 0 });
    expect(summary.alerts.map((a) => `${a.name}:${a.severity}:${a.state}`)).toEqual([
      'ServiceDown:critical:firing',
      'HighLatency:warning:firing',
      'DiskFilling:warning:pending',
      'CPUHigh:info:firing',
    ]);
    expect(summary.alerts[0].labels.service).toBe('payments');
  });

  test('Prometheus ALERTS series: the alert is in the labels; a last value of 0 is not active', () => {
    const t = [1000, 2000];
    const series = (labels: Record<string, string>, values: number[]) =>
      toDataFrame({
        fields: [
          { name: 'Time', type: FieldType.time, values: t },
          { name: 'Value', type: FieldType.number, values, labels: { __name__: 'ALERTS', ...labels } },
        ],
      });
    const summary = summarizeAlerts([
      series({ alertname: 'ErrorBurst', alertstate: 'firing', severity: 'error' }, [1, 1]),
      series({ alertname: 'SlowDrift', alertstate: 'pending', severity: 'page' }, [1, 1]),
      series({ alertname: 'Gone', alertstate: 'firing', severity: 'critical' }, [1, 0]),
      series({ alertname: 'Odd', alertstate: 'firing', severity: 'sev9' }, [1, 1]),
    ]);
    expect(summary.alerts.map((a) => `${a.name}:${a.severity}:${a.state}`)).toEqual([
      'SlowDrift:critical:pending',
      'ErrorBurst:error:firing',
      'Odd:other:firing',
    ]);
    expect(summary.bySeverity.other).toBe(1);
  });

  test('no frames, or frames without alerts, give an empty summary', () => {
    expect(summarizeAlerts([]).total).toBe(0);
    const numbersOnly = toDataFrame({ fields: [{ name: 'Value', type: FieldType.number, values: [1, 2] }] });
    expect(summarizeAlerts([numbersOnly]).total).toBe(0);
  });
});
