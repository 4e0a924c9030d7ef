/**
 * bench:detect's feeds of the detector kernel (see bench/detect.ts): the workload, each way of
 * feeding it to StreamingDetectors or a DetectorBank, and the guide's algorithm as the baseline.
 */
import { DetectorBank, StreamingDetector, gaussian, rng, type DetectorOptions } from '../../core/src';
import { ReferenceDetector } from '../../core/src/detection/reference';

export const SERIES = Number(process.env.SERIES ?? 1000);
export const POINTS = Number(process.env.POINTS ?? 1000);
export const BASELINE_SERIES = Number(process.env.BASELINE_SERIES ?? 20);
export const STEP_MS = 300_000;
export const T0 = Date.UTC(2024, 0, 1);

/** values[s * POINTS + i]: point i of series s. */
export function workload(): Float64Array {
  const v = new Float64Array(SERIES * POINTS);
  for (let s = 0; s < SERIES; s++) {
    const g = gaussian(s + 1);
    const u = rng(s + 1000);
    const level = 50 + 50 * u();
    const amp = 20 * u();
    for (let i = 0; i < POINTS; i++) {
      const phase = (((T0 + i * STEP_MS) % 86_400_000) / 86_400_000) * 2 * Math.PI;
      v[s * POINTS + i] = level + amp * Math.sin(phase) + g() + (u() < 0.005 ? 15 : 0);
    }
  }
  return v;
}

/**
 * CPU seconds (user + system) of this process since `from`: "per core" means per CPU-second, which
 * also keeps the figure honest on a machine shared with other jobs (wall time is printed too).
 */
export function cpuSecs(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1e6;
}

/** How the points reach the detectors (see main()). */
export type Feed = 'push' | 'detect' | 'pushEach' | 'pushMany' | 'bank' | 'bankJs';

/** Seconds for one pass of the streaming detector over the whole workload; returns a checksum too. */
/**
 * The same points tick-major: ticks[i * SERIES + s] is point i of series s (a tick arrives whole).
 * Made once: an 8 MB array per pass would leave garbage for a collection inside the timed loop.
 */
const tickMajor = new WeakMap<Float64Array, Float64Array>();
function byTick(values: Float64Array): Float64Array {
  const made = tickMajor.get(values);
  if (made) {
    return made;
  }
  const ticks = new Float64Array(values.length);
  tickMajor.set(values, ticks);
  for (let s = 0; s < SERIES; s++) {
    for (let i = 0; i < POINTS; i++) {
      ticks[i * SERIES + s] = values[s * POINTS + i];
    }
  }
  return ticks;
}

export function runOurs(values: Float64Array, opts: DetectorOptions, feed: Feed): { secs: number; anomalies: number } {
  if (feed === 'bank' || feed === 'bankJs') {
    // all series in one DetectorBank, one pushTick() per tick of all of them; it returns the tick's
    // anomaly count (the kernel in WebAssembly, or with 'bankJs' the JS kernel)
    const ticks = byTick(values);
    const bank = new DetectorBank(SERIES, opts, {}, feed === 'bankJs' ? 'js' : 'auto');
    let anomalies = 0;
    const t = process.cpuUsage();
    for (let i = 0; i < POINTS; i++) {
      anomalies += bank.pushTick(ticks.subarray(i * SERIES, (i + 1) * SERIES), T0 + i * STEP_MS);
    }
    return { secs: cpuSecs(t), anomalies };
  }
  const dets = Array.from({ length: SERIES }, () => new StreamingDetector(opts));
  let anomalies = 0;
  if (feed === 'pushMany') {
    // one series at a time, all its points in one call (a warm start from history, or a backfill)
    const ts = Float64Array.from({ length: POINTS }, (_, i) => T0 + i * STEP_MS);
    const scores = new Float64Array(POINTS);
    const t = process.cpuUsage();
    for (let s = 0; s < SERIES; s++) {
      dets[s].pushMany(values.subarray(s * POINTS, (s + 1) * POINTS), ts, scores);
      for (let i = 0; i < POINTS; i++) {
        // with the default threshold (0.5) a score this high is always an explained alert
        anomalies += scores[i] >= 0.5 ? 1 : 0;
      }
    }
    return { secs: cpuSecs(t), anomalies };
  }
  const tick = new Float64Array(SERIES);
  const t = process.cpuUsage();
  for (let i = 0; i < POINTS; i++) {
    const ts = T0 + i * STEP_MS;
    if (feed === 'pushEach') {
      for (let s = 0; s < SERIES; s++) {
        tick[s] = values[s * POINTS + i];
      }
      StreamingDetector.pushEach(dets, tick, ts);
      for (let s = 0; s < SERIES; s++) {
        anomalies += dets[s].lastIsAnomaly ? 1 : 0;
      }
      continue;
    }
    for (let s = 0; s < SERIES; s++) {
      if (feed === 'detect') {
        anomalies += dets[s].detect(values[s * POINTS + i], ts).isAnomaly ? 1 : 0;
      } else {
        dets[s].push(values[s * POINTS + i], ts);
        anomalies += dets[s].lastIsAnomaly ? 1 : 0;
      }
    }
  }
  return { secs: cpuSecs(t), anomalies };
}

export function runBaseline(values: Float64Array): { secs: number; points: number; anomalies: number } {
  const dets = Array.from({ length: BASELINE_SERIES }, () => new ReferenceDetector());
  let anomalies = 0;
  const t = process.cpuUsage();
  for (let i = 0; i < POINTS; i++) {
    const ts = T0 + i * STEP_MS;
    for (let s = 0; s < BASELINE_SERIES; s++) {
      anomalies += dets[s].detect(values[s * POINTS + i], ts).isAnomaly ? 1 : 0;
    }
  }
  return { secs: cpuSecs(t), points: BASELINE_SERIES * POINTS, anomalies };
}
