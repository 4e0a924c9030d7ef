/**
 * `npm run bench:detect`: points/s per core of the streaming detector against the guide's algorithm
 * written the straightforward way (window statistics, seasonal buckets and trend regressions
 * recomputed on every point: ReferenceDetector), measured in the same run. Bundled with esbuild and
 * run by node, as the sidecar's compiled JS runs (under tsx's loader the same loops run a quarter
 * slower).
 *
 * Workload: 1,000 series × 1,000 points each = 1M points, 5-minute spacing, a daily cycle plus noise
 * and 0.5% spikes, fed interleaved (point i of every series, then point i+1), as a scheduled
 * evaluation of many series does. The headline (`ours` in the JSON) is a DetectorBank of all the
 * series scoring one tick per call with its WebAssembly kernel, in steady state (after three
 * warm-up passes; the first, cold pass is in the JSON too); the bank on the JS kernel, push() per
 * point per detector, the other feeds and the full explainable detect() are printed too. One
 * thread; time is CPU time, so points/s is per core. The
 * baseline is too slow for 1M points: it runs on the first series of the same data
 * (BASELINE_SERIES of them) and its cost per point is extrapolated. The last line of output is one
 * JSON object.
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import { DetectorBank, StreamingDetector, gaussian, rng, type DetectorOptions } from '../core/src';
import { ReferenceDetector } from '../core/src/detection/reference';

const SERIES = Number(process.env.SERIES ?? 1000);
const POINTS = Number(process.env.POINTS ?? 1000);
const BASELINE_SERIES = Number(process.env.BASELINE_SERIES ?? 20);
const STEP_MS = 300_000;
const T0 = Date.UTC(2024, 0, 1);

/** values[s * POINTS + i]: point i of series s. */
function workload(): Float64Array {
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
function cpuSecs(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1e6;
}

/** How the points reach the detectors (see main()). */
type Feed = 'push' | 'detect' | 'pushEach' | 'pushMany' | 'bank' | 'bankJs';

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

function runOurs(values: Float64Array, opts: DetectorOptions, feed: Feed): { secs: number; anomalies: number } {
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

function runBaseline(values: Float64Array): { secs: number; points: number; anomalies: number } {
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

function main(): void {
  const wall = process.hrtime.bigint();
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
  const stateBytes = JSON.stringify(d.toJSON()).length;
  const heapBytes = heapBytesPerSeries(values);
  console.log(`state per series: ${stateBytes} bytes as JSON, ~${heapBytes} bytes in memory`);
  console.log(`wall time ${(Number(process.hrtime.bigint() - wall) / 1e9).toFixed(1)}s`);
  console.log(
    JSON.stringify({
      bench: 'detect',
      speedup: Math.round((oursBank / baseline) * 10) / 10,
      ours: Math.round(oursBank),
      ours_is: 'DetectorBank.pushTick, one tick of all series per call, WebAssembly kernel, steady state',
      ours_first_pass: Math.round(oursBankFirstPass),
      ours_bank_js_kernel: Math.round(oursBankJs),
      baseline: Math.round(baseline),
      unit: 'points/s',
      baseline_is: "guide's algorithm with window stats recomputed per point",
      per_core: true,
      workload: `${SERIES} series x ${POINTS} points each (${total} points), 5-minute spacing, interleaved`,
      baseline_points: b.points,
      ours_push_interleaved: Math.round(ours),
      speedup_push: Math.round((ours / baseline) * 10) / 10,
      ours_push_each_interleaved: Math.round(oursEach),
      ours_push_many_series_at_a_time: Math.round(oursMany),
      goal_points_per_s: 20_000_000,
      goal_reached: oursBank >= 20_000_000,
      ours_guide_scoring: Math.round(oursGuide),
      ours_detect_full_result: Math.round(oursFull),
      speedup_detect_full_result: Math.round((oursFull / baseline) * 10) / 10,
      state_bytes_per_series: stateBytes,
      heap_bytes_per_series: heapBytes,
    })
  );
}

main();
