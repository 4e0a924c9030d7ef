import type { DetectorOptions } from '@vigil/core';
import type { WorkerAnswer } from './detect.worker';
import { detectBatch, type DetectJob, detectRequest } from './detectBatch';
import type { SeriesDetection } from './detectSeries';

/**
 * The worker's bundled source (detect.worker.ts and @vigil/core's detector), put in the panel's
 * module by the plugin build (webpack.config.ts); undefined elsewhere (jest, a build without it).
 */
declare const __VIGIL_DETECT_WORKER__: string | undefined;

/** Points (all series together) from which the panel detects in its workers rather than while rendering. */
export const WORKER_MIN_POINTS = 20_000;
/**
 * Workers at most: one per core but the one the page's main thread draws on (the series are
 * shared out among them). On two cores, two workers and the chart made three busy threads: each
 * run cost ~50 ms more CPU than one worker (bench:panel, a loaded machine).
 */
const MAX_WORKERS = 4;

type Waiting = { resolve: (r: SeriesDetection[]) => void; reject: (e: Error) => void };

/** The page's detection workers: undefined until first asked for, null when none can be made. */
let pool: Worker[] | null | undefined;
const waiting = new Map<number, Waiting>();
let nextId = 0;

/** Forgets the workers and fails what they were doing (their callers detect on the main thread). */
function lose(reason: string): void {
  pool?.forEach((w) => w.terminate());
  pool = null;
  for (const w of waiting.values()) {
    w.reject(new Error(reason));
  }
  waiting.clear();
}

function onAnswer(e: MessageEvent<WorkerAnswer>): void {
  const a = e.data;
  const w = waiting.get(a.id);
  waiting.delete(a.id);
  if ('error' in a) {
    w?.reject(new Error(a.error));
  } else {
    w?.resolve(a.result);
  }
}

function start(): Worker[] | null {
  const source = typeof __VIGIL_DETECT_WORKER__ === 'string' ? __VIGIL_DETECT_WORKER__ : '';
  if (!source || typeof Worker === 'undefined' || typeof Blob === 'undefined' || typeof URL === 'undefined') {
    return null;
  }
  const cores =
    typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;
  try {
    // a blob URL: the plugin may be served from another origin (a CDN), where `new Worker(url)` fails
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    return Array.from({ length: Math.max(1, Math.min(MAX_WORKERS, cores - 1)) }, () => {
      const w = new Worker(url);
      w.onmessage = onAnswer;
      // e.g. a Content-Security-Policy without `worker-src blob:` that only fails when the script loads
      w.onerror = (e) => {
        e.preventDefault?.();
        lose(`detection worker failed: ${e.message || 'could not start'}`);
      };
      return w;
    });
  } catch {
    // the policy refused it outright
    return null;
  }
}

/** Whether the panel can detect in workers (starts the page's workers on first call). */
export function workerAvailable(): boolean {
  if (pool === undefined) {
    pool = start();
  }
  return pool !== null;
}

/** The jobs shared out into at most `parts` groups of about the same number of points, in order. */
export function shareOut(jobs: DetectJob[], parts: number): number[][] {
  const groups: number[][] = Array.from({ length: Math.max(1, Math.min(parts, jobs.length)) }, () => []);
  const load = groups.map(() => 0);
  // longest first, each to the least loaded group
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b].values.length - jobs[a].values.length);
  for (const i of order) {
    const g = load.indexOf(Math.min(...load));
    groups[g].push(i);
    load[g] += jobs[i].values.length;
  }
  return groups.filter((g) => g.length > 0).map((g) => g.sort((a, b) => a - b));
}

function ask(w: Worker, jobs: DetectJob[], options: DetectorOptions): Promise<SeriesDetection[]> {
  const { request, transfer } = detectRequest(jobs, options);
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ id, request }, transfer);
  });
}

/**
 * The detections of `jobs` (in their order), computed in the page's workers (the series shared out
 * among them), off the main thread while the chart draws; on the main thread when there is no
 * worker or one fails. Equal to `detectSeries` on each job: the workers run the same function on
 * the same values.
 */
export async function detectOffThread(jobs: DetectJob[], options: DetectorOptions): Promise<SeriesDetection[]> {
  const onMainThread = () => detectBatch(detectRequest(jobs, options).request);
  if (!workerAvailable()) {
    return onMainThread();
  }
  const workers = pool!;
  const groups = shareOut(jobs, workers.length);
  try {
    const answers = await Promise.all(
      groups.map((g, k) =>
        ask(
          workers[k],
          g.map((i) => jobs[i]),
          options
        )
      )
    );
    const out: SeriesDetection[] = new Array(jobs.length);
    groups.forEach((g, k) => g.forEach((i, j) => (out[i] = answers[k][j])));
    return out;
  } catch {
    return onMainThread();
  }
}
