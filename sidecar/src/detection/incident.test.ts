import { gaussian, StreamingDetector, type DetectionResult } from '@vigil/core';
import { anomalyEvent } from './event';
import { IncidentTracker, type IncidentChange } from './incident';

const STEP = 60_000;
const T0 = Date.UTC(2026, 0, 1);

/** A judged point: anomalous or not, in or out of the band [90, 110]. */
function point(i: number, value: number, isAnomaly = false, confidence = isAnomaly ? 1 : 0.2): DetectionResult {
  return {
    timestamp: T0 + i * STEP,
    value,
    isAnomaly,
    anomalyScore: isAnomaly ? 1 : 0,
    confidence,
    zScore: (value - 100) / 3.3,
    expected: 100,
    lower: 90,
    upper: 110,
    anomalyType: isAnomaly ? 'extreme_high' : 'none',
    reason: 'ok',
    seasonality: 'none',
    baseline: { count: 100, mean: 100, stddev: 3.3, median: 100, p95: 105, p99: 108, min: 92, max: 108 },
    trend: { slope: 0, firstSlope: 0, secondSlope: 0, change: 0, isChange: false, confidence: 0 } as never,
  };
}

function run(tracker: IncidentTracker, points: DetectionResult[]): IncidentChange[] {
  return points.flatMap((p) => tracker.observe(p));
}

let ids = 0;
const newTracker = (closeAfter = 3) => new IncidentTracker(closeAfter, 5 * STEP, () => `inc-${++ids}`);

describe('IncidentTracker', () => {
  it('turns consecutive anomalous points into one incident, closed after closeAfter normal points', () => {
    const t = newTracker();
    const pts = [point(0, 100), point(1, 150, true, 0.75), point(2, 160, true, 0.95), point(3, 155, true, 0.8)];
    pts.push(point(4, 101), point(5, 99), point(6, 100), point(7, 100));
    const changes = run(t, pts);
    expect(changes.map((c) => c.kind)).toEqual(['open', 'update', 'update', 'close']);
    const closed = changes[3].incident;
    expect(closed.startedAt).toBe(T0 + STEP);
    expect(closed.endedAt).toBe(T0 + 3 * STEP);
    expect(closed.points).toBe(3);
    expect(closed.peak.value).toBe(160);
    expect(new Set(changes.map((c) => c.incident.id)).size).toBe(1);
  });

  it('keeps the incident open while points stay out of the band, even if not scored anomalous (cool-down)', () => {
    const t = newTracker();
    const changes = run(t, [point(0, 150, true), point(1, 140), point(2, 130), point(3, 100), point(4, 100)]);
    expect(changes.map((c) => c.kind)).toEqual(['open', 'update', 'update']);
    expect(t.current?.lastAnomalyAt).toBe(T0 + 2 * STEP);
  });

  it('a normal point between anomalies does not split the incident; recovery then a new anomaly reopens', () => {
    const t = newTracker(2);
    const changes = run(t, [
      point(0, 150, true),
      point(1, 100),
      point(2, 150, true),
      point(3, 100),
      point(4, 100), // closes
      point(5, 100),
      point(6, 150, true), // a new incident
    ]);
    expect(changes.map((c) => c.kind)).toEqual(['open', 'update', 'close', 'open']);
    expect(changes[3].incident.id).not.toBe(changes[0].incident.id);
    expect(changes[2].incident.endedAt).toBe(T0 + 2 * STEP);
  });

  it('closes on a gap in the data, then starts afresh', () => {
    const t = newTracker();
    const changes = run(t, [point(0, 150, true), point(10, 150, true)]);
    expect(changes.map((c) => c.kind)).toEqual(['open', 'close', 'open']);
    expect(changes[1].incident.endedAt).toBe(T0);
    expect(t.expire(T0 + 20 * STEP).map((c) => c.kind)).toEqual(['close']);
  });

  it('survives a save and restore with its open incident', () => {
    const t = newTracker();
    run(t, [point(0, 150, true)]);
    const restored = newTracker().restore(JSON.parse(JSON.stringify(t.toJSON())));
    expect(run(restored, [point(1, 150, true)]).map((c) => [c.kind, c.incident.id])).toEqual([
      ['update', t.current?.id],
    ]);
  });
});

describe('anomalyEvent', () => {
  it('carries the guide message, metadata and the severity of the peak confidence', () => {
    const t = newTracker();
    const [open] = t.observe(point(0, 150, true, 0.75));
    const ctx = {
      detector: 'lat',
      datasource: 'prometheus',
      query: 'q',
      scoring: 'likelihood' as const,
      seriesKey: 'lat{service="api"}',
      seriesLabels: { service: 'api' },
      labels: { team: 'sre' },
    };
    const e1 = anomalyEvent(open.incident, ctx);
    expect(e1.severity).toBe('warning');
    expect(e1.endedAt).toBeNull();
    expect(e1.message).toBe('Anomaly in lat{service="api"}: current=150.00, expected=100.00±3.30');
    t.observe(point(1, 170, true, 0.95));
    const e2 = anomalyEvent(t.current!, ctx);
    expect(e2.severity).toBe('error');
    expect(e2.metadata).toMatchObject({
      anomaly_type: 'extreme_high',
      confidence: 0.95,
      severity: 'error',
      baseline_mean: 100,
      baseline_stdev: 3.3,
      detection_method: 'ml_statistical',
      labels: { service: 'api', team: 'sre', detector: 'lat' },
      status: 'open',
      points: 2,
      peak_value: 170,
    });
  });

  it('one event for a real detector over a series with a sustained spike', () => {
    const d = new StreamingDetector(); // default (likelihood) scoring
    const noise = gaussian(7);
    const t = newTracker();
    const changes: IncidentChange[] = [];
    for (let i = 0; i < 700; i++) {
      const v = 100 + 2 * noise() + (i >= 600 && i < 610 ? 50 : 0);
      changes.push(...t.observe(d.detect(v, T0 + i * STEP)));
    }
    const opened = changes.filter((c) => c.kind === 'open');
    expect(opened).toHaveLength(1);
    expect(opened[0].incident.startedAt).toBe(T0 + 600 * STEP);
    expect(opened[0].incident.points).toBe(10);
    expect(changes.filter((c) => c.kind === 'close')).toHaveLength(1);
  });
});
