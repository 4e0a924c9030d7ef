/**
 * `npm run bench:detect`: points/s per core of anomaly detection against the guide's algorithm
 * written the straightforward way (window statistics, seasonal buckets and trend regressions
 * recomputed on every point: ReferenceDetector), measured in the same run. Bundled with esbuild and
 * run by node, as the sidecar's compiled JS runs (under tsx's loader the same loops run a quarter
 * slower); better-sqlite3 stays external (a native module).
 *
 * Headline (`ours` in the JSON): the sidecar's own per-tick work for a detector of SIDECAR_SERIES
 * series (default 10,000): DetectorRunner.evaluatePoints() from fetched points (in memory: no
 * network) through the DetectorBank kernel to stored events and saved series states, on a real
 * SQLite store in a temp file (bench/detect/sidecarPath.ts), one point per series per tick after a
 * warm-up of SIDECAR_HISTORY points and 20 untimed ticks (steady state); `state_bytes_per_series` is
 * the mean saved state then. `kernel_ns_per_point_sidecar_data` is the kernel alone on those series
 * (the floor of the tick), `kernel_share_of_goal` its share of the 100× budget per point.
 *
 * Beside it, the isolated kernel and the other feeds (bench/detect/feeds.ts): 1,000 series × 1,000
 * points each = 1M points, 5-minute spacing, a daily cycle plus noise and 0.5% spikes, fed
 * interleaved (point i of every series, then point i+1); `ours_kernel` is a DetectorBank of all the
 * series scoring one tick per call with its WebAssembly kernel, in steady state (after three
 * warm-up passes; the first, cold pass is in the JSON too); the bank on the JS kernel, push() per
 * point per detector and the full explainable detect() are printed too. One thread; time is CPU
 * time, so points/s is per core. The baseline is too slow for 1M points: it runs on the first
 * series of the same data (BASELINE_SERIES of them) and its cost per point is extrapolated. The
 * last line of output is one JSON object.
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import { StreamingDetector } from '../core/src';
import { BASELINE_SERIES, POINTS, SERIES, STEP_MS, T0, runBaseline, runOurs, workload } from './detect/feeds';
import { kernelNsPerPoint } from './detect/kernelScale';
import { runSidecarPath, sidecarValues, SETTLE_TICKS, type SidecarPathResult } from './detect/sidecarPath';

/** Heap + array-buffer bytes held per series by live detectors (after warm-up), via forced GC. */
function heapBytesPerSeries(values: Float64Array): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const used = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  const dets = Array.from({ length: SERIES }, () => new StreamingDetector());
  for (let s = 0; s < SERIES; s++) {
    for (let i = 0; i < POINTS; i++) {
      dets[s].push(values[s * POINTS + i], T0 + i * STEP_MS);
    }
  }
  const after = used();
  return Math.round((after - before) / dets.length);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

const SIDECAR_SERIES = Number(process.env.SIDECAR_SERIES ?? 10_000);
const SIDECAR_HISTORY = Number(process.env.SIDECAR_HISTORY ?? 1000);
const SIDECAR_TICKS = Number(process.env.SIDECAR_TICKS ?? 100);

async function main(): Promise<void> {
  const wall = process.hrtime.bigint();
  const sidecar: SidecarPathResult = await runSidecarPath(SIDECAR_SERIES, SIDECAR_HISTORY, SIDECAR_TICKS);
  console.log(
    `ours, the sidecar's tick (DetectorRunner.evaluatePoints: ${sidecar.series} series, ${sidecar.ticks} ticks, ` +
      `SQLite file, ${sidecar.kernel} kernel): ${(sidecar.pps / 1e6).toFixed(2)} M points/CPU-s; ` +
      `tick ${sidecar.tickMsMedian.toFixed(1)} ms median, ${sidecar.tickMsMax.toFixed(1)} ms max; ` +
      `${sidecar.anomalies} events; saved state ${sidecar.stateBytesPerSeries} bytes/series (max ${sidecar.stateBytesMax})`
  );
  // the kernel's cost per point at 1,000 and at the sidecar's series count (cache effects)
  const kernelNs = [1000, SIDECAR_SERIES].map((n) => Math.round(kernelNsPerPoint(n) * 10) / 10);
  // the same on the sidecar path's own series (noise, a daily cycle, spikes): the floor of its tick
  const kernelNsSidecar = Math.round(kernelNsPerPoint(SIDECAR_SERIES, sidecarValues(SIDECAR_SERIES)) * 10) / 10;
  console.log(
    `kernel alone, ns per point: ${kernelNs[0]} for 1000 series, ${kernelNs[1]} for ${SIDECAR_SERIES}, ` +
      `${kernelNsSidecar} for ${SIDECAR_SERIES} of the sidecar path's series`
  );
  const values = workload();
  const total = SERIES * POINTS;
  console.log(`workload: ${SERIES} series × ${POINTS} points = ${total} points, interleaved, one thread`);
  const rounds = 5;
  // Warm-up passes before the timed ones: V8 compiles in tiers (WebAssembly: a baseline compiler
  // first, the optimizing one once hot; JS: deoptimized and optimized again as paths are first
  // taken, e.g. a cool-down), and code settles within about three passes of 1M points. The figures
  // are steady-state speeds, as a sidecar running for days sees; the bank's first, cold pass is
  // reported as well.
  const warmUps = 3;
  // points/s in steady state (`pps`) and of the first, cold pass
  const rate = (label: string, f: () => { secs: number; anomalies: number }, n: number) => {
    let first = 0;
    for (let w = 0; w < warmUps; w++) {
      const res = f();
      if (w === 0) {
        first = n / res.secs;
      }
    }
    const secs: number[] = [];
    let anomalies = 0;
    for (let r = 0; r < rounds; r++) {
      const res = f();
      secs.push(res.secs);
      anomalies = res.anomalies;
    }
    const pps = n / median(secs);
    console.log(`${label}: ${(pps / 1e6).toFixed(2)} M points/CPU-s (median of ${rounds}; ${anomalies} anomalies)`);
    return { pps, first };
  };
  // `ours`: a DetectorBank of every series, one pushTick() per tick, as the sidecar's scheduled
  // evaluation feeds them
  const bank = rate(
    'ours, DetectorBank.pushTick() one tick of all series per call (default: likelihood scoring; WebAssembly kernel)',
    () => runOurs(values, {}, 'bank'),
    total
  );
  const oursBank = bank.pps;
  const oursBankFirstPass = bank.first;
  const oursBankJs = rate(
    'ours, DetectorBank.pushTick() with the JS kernel',
    () => runOurs(values, {}, 'bankJs'),
    total
  ).pps;
  const ours = rate(
    'ours, push() per point, interleaved (default: likelihood scoring)',
    () => runOurs(values, {}, 'push'),
    total
  ).pps;
  const oursEach = rate(
    'ours, pushEach() one tick of all series per call, interleaved',
    () => runOurs(values, {}, 'pushEach'),
    total
  ).pps;
  const oursMany = rate(
    'ours, pushMany() one series at a time (warm start / backfill)',
    () => runOurs(values, {}, 'pushMany'),
    total
  ).pps;
  const oursGuide = rate(
    'ours, push() interleaved (guide scoring)',
    () => runOurs(values, { scoring: 'guide' }, 'push'),
    total
  ).pps;
  const oursFull = rate(
    'ours, detect() interleaved (full explainable result per point)',
    () => runOurs(values, {}, 'detect'),
    total
  ).pps;
  runBaseline(values); // warm-up (JIT)
  const bs = [runBaseline(values), runBaseline(values), runBaseline(values)];
  const b = bs[0];
  const baseline = b.points / median(bs.map((x) => x.secs));
  console.log(
    `baseline (guide algorithm recomputed per point, ${b.points} points, median of 3): ` +
      `${(baseline / 1e3).toFixed(1)} k points/CPU-s (${b.anomalies} anomalies)`
  );
  const d = new StreamingDetector();
  for (let i = 0; i < POINTS; i++) {
    d.push(values[i], T0 + i * STEP_MS);
  }
  const jsonStateBytes = JSON.stringify(d.toJSON()).length;
  const heapBytes = heapBytesPerSeries(values);
  console.log(
    `state per series: ${sidecar.stateBytesPerSeries} bytes saved (binary; the JSON of earlier versions: ` +
      `${jsonStateBytes}), ~${heapBytes} bytes in memory`
  );
  console.log(`wall time ${(Number(process.hrtime.bigint() - wall) / 1e9).toFixed(1)}s`);
  console.log(
    JSON.stringify({
      bench: 'detect',
      speedup: Math.round((sidecar.pps / baseline) * 10) / 10,
      ours: Math.round(sidecar.pps),
      ours_is: `the sidecar's tick: DetectorRunner.evaluatePoints, ${sidecar.series} series, fetched points to stored events and saved state (SQLite file)`,
      baseline: Math.round(baseline),
      goal_speedup: 100,
      goal_reached: sidecar.pps / baseline >= 100,
      sidecar_series: sidecar.series,
      sidecar_ticks: sidecar.ticks,
      sidecar_tick_ms_median: Math.round(sidecar.tickMsMedian * 100) / 100,
      sidecar_tick_ms_max: Math.round(sidecar.tickMsMax * 100) / 100,
      sidecar_events: sidecar.anomalies,
      ours_kernel: Math.round(oursBank),
      speedup_kernel: Math.round((oursBank / baseline) * 10) / 10,
      ours_kernel_is: 'DetectorBank.pushTick, one tick of all series per call, WebAssembly kernel, steady state',
      ours_kernel_first_pass: Math.round(oursBankFirstPass),
      kernel_ns_per_point_1k_series: kernelNs[0],
      kernel_ns_per_point_sidecar_series: kernelNs[1],
      kernel_ns_per_point_sidecar_data: kernelNsSidecar,
      kernel_share_of_goal: Math.round((kernelNsSidecar / (1e9 / (100 * baseline))) * 100) / 100,
      ours_bank_js_kernel: Math.round(oursBankJs),
      unit: 'points/s',
      baseline_is: "guide's algorithm with window stats recomputed per point",
      per_core: true,
      workload: `${SERIES} series x ${POINTS} points each (${total} points), 5-minute spacing, interleaved (the kernel's feeds)`,
      sidecar_workload: `${sidecar.series} series, ${SIDECAR_HISTORY} points of warm-up, ${SETTLE_TICKS} untimed ticks, then ${sidecar.ticks} timed ticks of one point each, 30 s step`,
      baseline_points: b.points,
      ours_push_interleaved: Math.round(ours),
      speedup_push: Math.round((ours / baseline) * 10) / 10,
      ours_push_each_interleaved: Math.round(oursEach),
      ours_push_many_series_at_a_time: Math.round(oursMany),
      ours_guide_scoring: Math.round(oursGuide),
      ours_detect_full_result: Math.round(oursFull),
      speedup_detect_full_result: Math.round((oursFull / baseline) * 10) / 10,
      state_bytes_per_series: sidecar.stateBytesPerSeries,
      state_bytes_max: sidecar.stateBytesMax,
      state_goal_bytes: 2048,
      state_bytes_json_before: jsonStateBytes,
      heap_bytes_per_series: heapBytes,
    })
  );
}

void main();
