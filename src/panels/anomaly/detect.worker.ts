/**
 * The detection worker's entry (bundled on its own by webpack.config.ts into the panel's module as a
 * string, started from a blob URL by detectWorker.ts): answers each request with the detections of
 * its series, or with the error's message.
 */
import { detectBatch, type DetectRequest } from './detectBatch';

/** A request as the panel posts it. */
export interface WorkerRequest {
  id: number;
  request: DetectRequest;
}

/** The worker's answer to request `id`. */
export type WorkerAnswer = { id: number; result: ReturnType<typeof detectBatch> } | { id: number; error: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage: (m: WorkerAnswer) => void;
};

scope.onmessage = (e) => {
  const { id, request } = e.data;
  try {
    // the answer is small (the band at ≤ 512 points a series, the anomalies, the incidents): cloned
    scope.postMessage({ id, result: detectBatch(request) });
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
