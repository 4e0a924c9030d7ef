/**
 * The kernel's cost per point as the number of series grows (bench:detect's `kernel_ns_per_point`):
 * a DetectorBank of `series` series, warmed with 1,000 ticks, then 100 ticks timed in CPU time (the
 * values are made before each timed tick's clock starts). Past a few thousand series their slabs
 * (5 KB each) no longer fit in the cache, and each point pays for it.
 */
import { DetectorBank } from '../../core/src';

const T0 = Date.UTC(2024, 0, 1);
const STEP_MS = 30_000;

/**
 * CPU nanoseconds per point of DetectorBank.pushTick for `series` series, of smooth values (a slow
 * sine and a short cycle), or of `value(s, i)` (point i of series s, e.g. the sidecar path's noisy
 * series: the kernel's branches and cool-downs follow the data, and it costs more on them).
 */
export function kernelNsPerPoint(series: number, value?: (s: number, i: number) => number): number {
  const bank = new DetectorBank(series);
  const v = new Float64Array(series);
  const fill = (i: number) => {
    for (let s = 0; s < series; s++) {
      v[s] = value ? value(s, i) : 50 + (s % 50) + Math.sin(i / 100 + s) + ((i * 7919 + s) % 13) / 7;
    }
  };
  let i = 0;
  for (; i < 1000; i++) {
    fill(i);
    bank.pushTick(v, T0 + i * STEP_MS);
  }
  let us = 0;
  for (; i < 1100; i++) {
    fill(i);
    const c = process.cpuUsage();
    bank.pushTick(v, T0 + i * STEP_MS);
    const d = process.cpuUsage(c);
    us += d.user + d.system;
  }
  return (us * 1000) / (100 * series);
}
