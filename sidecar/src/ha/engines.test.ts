// The detection handle behind leadership changes: the leader reports its running detectors, a standby
// the configured ones (not running here), so the API lists the same detectors on every replica.
import type { DetectorConfig } from '../config/detectorSchema';
import { idleStatus, type DetectorStatus } from '../detection/status';
import type { DetectionService } from '../detection/service';
import { switchedDetection } from './engines';

const config = {
  name: 'api_p95_latency',
  datasource: 'prometheus',
  query: 'histogram_quantile(0.95, sum by (le) (rate(http_duration_seconds_bucket[1m])))',
  intervalMs: 15_000,
  stepMs: 15_000,
  lookbackMs: 86_400_000,
} as DetectorConfig;

/** A running detection service as the leader has it: warm, one run. */
function running(): DetectionService & { stopped: boolean } {
  const status: DetectorStatus = { ...idleStatus(config), warm: true, runs: 1 };
  return {
    stopped: false,
    status: () => [status],
    async stop() {
      this.stopped = true;
    },
  };
}

describe('switchedDetection', () => {
  it('lists the configured detectors on a standby, the running ones on the leader', async () => {
    const started: Array<ReturnType<typeof running>> = [];
    const detection = switchedDetection(
      () => {
        started.push(running());
        return started[started.length - 1];
      },
      false,
      () => [idleStatus(config)]
    );
    expect(detection.status()).toEqual([
      expect.objectContaining({ name: 'api_p95_latency', datasource: 'prometheus', warm: false, runs: 0, series: [] }),
    ]);
    await detection.lead(true);
    expect(started).toHaveLength(1);
    expect(detection.status()).toEqual([expect.objectContaining({ name: 'api_p95_latency', warm: true, runs: 1 })]);
    await detection.lead(false);
    expect(started[0].stopped).toBe(true);
    expect(detection.status()).toEqual([expect.objectContaining({ warm: false, runs: 0 })]);
  });
});
