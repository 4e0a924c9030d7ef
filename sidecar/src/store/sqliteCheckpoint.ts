/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
 * crosses `wal_autocheckpoint` pages, on the connection that committed: copying the WAL into the
 * database file and its two fsyncs took 10–17 ms each time, blocking the sidecar's only thread in
 * the middle of an ingest or a flush burst (bench:notify). A second connection in a worker thread
 * runs PASSIVE checkpoints instead (they wait for no reader or writer, and writers go on appending
 * to the WAL meanwhile), so the copy and the fsyncs happen on another core. The main connection keeps
 * an automatic checkpoint at a higher threshold as a backstop, should the worker fall behind or die.
 *
 * Durability does not change: with `synchronous = NORMAL` a commit is in the WAL (the OS's cache) when
 * it returns, whoever checkpoints later; a process crash loses nothing (SQLite docs, "WAL mode").
 */
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints, ms. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** The main connection's own automatic checkpoint threshold (pages) while the worker runs. */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 8000;

// Plain JS evaluated in the worker (no TypeScript there); the driver's path comes from the main thread,
// so the worker loads the same better-sqlite3 wherever the sidecar runs from.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const tick = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (another checkpoint in progress) or closing: the next tick or the backstop checkpoints.
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.close(); } catch {}
  parentPort.close();
});
`;

/** A running background checkpointer. */
export interface Checkpointer {
  /** Stops the worker (its connection closes); resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing the WAL of the database file `path` in a worker thread every `intervalMs`.
 * The worker does not keep the process alive. Returns null when no worker can be started (the caller
 * then keeps SQLite's automatic checkpoint as it is).
 */
export function startCheckpointer(path: string, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer | null {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, intervalMs, driver: require.resolve('better-sqlite3') },
    });
  } catch {
    return null;
  }
  worker.unref();
  // A failing worker (file removed, driver missing) must not take the sidecar down: the backstop
  // automatic checkpoint of the main connection still bounds the WAL.
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Keep the process alive until the worker is gone: at shutdown nothing else may be left on the
      // event loop, and an unref'd worker would let Node exit in the middle of the store's close.
      worker.ref();
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)));
      await Promise.race([exited, timeout]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
