import { StreamingDetector } from './detector';
import { anomalyMessage, anomalyMetadata, severityForConfidence } from './events';
import { gaussian } from './synthetic';

describe('anomaly events (guide: handle_detected_anomaly)', () => {
  it('maps confidence to severity at the guide thresholds', () => {
    expect(severityForConfidence(0.95)).toBe('error');
    expect(severityForConfidence(0.9)).toBe('warning');
    expect(severityForConfidence(0.71)).toBe('warning');
    expect(severityForConfidence(0.7)).toBe('info');
    expect(severityForConfidence(0)).toBe('info');
  });

  it('builds the guide message and metadata from a detected spike', () => {
    const g = gaussian(1);
    const d = new StreamingDetector();
    const t0 = Date.UTC(2024, 0, 1);
    for (let i = 0; i < 400; i++) {
      d.push(100 + g(), t0 + i * 60_000);
    }
    const r = d.detect(130, t0 + 400 * 60_000);
    expect(r.isAnomaly).toBe(true);
    const msg = anomalyMessage('http_latency_p99', r);
    expect(msg).toMatch(/^Anomaly in http_latency_p99: current=130\.00, expected=\d+\.\d\d±\d+\.\d\d$/);
    expect(msg).toContain(`expected=${r.expected.toFixed(2)}±${r.baseline!.stddev.toFixed(2)}`);
    const m = anomalyMetadata(r, d.scoring);
    expect(m).toMatchObject({
      anomaly_type: 'extreme_high',
      severity: 'error',
      detection_method: 'ml_statistical',
      scoring: 'likelihood',
      confidence: 1,
    });
    expect(m.baseline_mean).toBeCloseTo(100, 0);
    expect(m.z_score).toBeGreaterThan(10);
  });
});
