// Starting and stopping real server binaries (Prometheus, InfluxDB, Alertmanager) for tests and the demo.
// Each server runs in its own process group with a temporary root dir holding its data and its log, so
// stop() can kill everything it spawned and remove everything it wrote, even when a test fails.
import { spawn, ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, closeSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A running server started by the harness. */
export interface ServerHandle {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** The server's data directory (removed by stop()). */
  dataDir: string;
  /** Log file with the server's stdout and stderr (removed by stop()). */
  logFile: string;
  /** Current contents of the log file ("" once stopped). */
  logs(): string;
  /** Kills the process group and removes the temporary directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Everything still running, so a process-exit hook can clean up after a crashed or aborted test. */
const live = new Set<{ child: ChildProcess; root: string }>();
let exitHookInstalled = false;

function cleanupSync(): void {
  for (const entry of live) {
    killGroup(entry.child, 'SIGKILL');
    rmSync(entry.root, { recursive: true, force: true });
  }
  live.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) {
    return;
  }
  exitHookInstalled = true;
  // Servers run in their own process groups (so stop() can kill the whole group), which also means a
  // terminal's Ctrl-C does not reach them: clean up on exit and on the usual termination signals.
  // 'exit' handlers must be synchronous: SIGKILL the groups and remove the dirs right away.
  process.once('exit', cleanupSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      cleanupSync();
      // When nobody else handles the signal, keep its default meaning (terminate).
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, onSignal);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, onSignal);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Exit hooks do not fire inside Jest's sandbox (its `process` is a copy) nor when this process is
 * SIGKILLed, so each server also gets a tiny shell watchdog: once this Node process is gone it kills the
 * server's process group (the child must be `detached`) and removes `root` when given. It exits by
 * itself when the server stops normally.
 */
export function startWatchdog(child: ChildProcess, root?: string): void {
  if (child.pid === undefined) {
    return;
  }
  const script =
    'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; ' +
    'kill -0 "$1" 2>/dev/null || { kill -KILL "-$2" 2>/dev/null; [ -z "$3" ] || rm -rf -- "$3"; }';
  const args = ['-c', script, 'vigil-watchdog', String(process.pid), String(child.pid), root ?? ''];
  const dog = spawn('/bin/sh', args, { detached: true, stdio: 'ignore' });
  dog.on('error', () => undefined);
  dog.unref();
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on 127.0.0.1:port right now. */
export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Finds an executable by name on PATH (or the path in `envVar`, when set).
 * Throws "<name> not found: apt-get install <pkg>" when missing: tests never skip silently, with or
 * without CI=true, because a skipped real-server test proves nothing.
 */
export function findBinary(name: string, debianPackage: string, envVar?: string): string {
  const override = envVar ? process.env[envVar] : undefined;
  const candidates = override
    ? [override]
    : [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin'].map((d) =>
        join(d, name)
      );
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  const where = override ? ` (${envVar}=${override})` : '';
  throw new Error(`${name} not found${where}: apt-get install ${debianPackage}`);
}

/** Makes a temporary root dir for one server: `<tmp>/vigil-<name>-XXXX`. */
export function makeRoot(name: string): string {
  return mkdtempSync(join(tmpdir(), `vigil-${name}-`));
}

/** Last `lines` lines of a file, or "" when it does not exist. */
export function tail(file: string, lines = 40): string {
  if (!existsSync(file)) {
    return '';
  }
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

export interface SpawnSpec {
  /** Short name used in messages, e.g. "prometheus". */
  name: string;
  bin: string;
  args: string[];
  /** Temporary root dir (holds dataDir and the log); removed on stop. */
  root: string;
  dataDir: string;
  port: number;
  /** Path polled until it answers 2xx, e.g. `/-/ready` (servers that speak HTTP). */
  readyPath?: string;
  /** Readiness check for servers that do not speak HTTP (PostgreSQL): true once it accepts clients. */
  ready?: () => Promise<boolean>;
  /** Spawns `bin` with this uid/gid (PostgreSQL refuses to run as root). */
  runAs?: { uid: number; gid: number };
  /** How long to wait for readiness. */
  readyTimeoutMs?: number;
}

/** Spawns a server in its own process group, waits until it is ready, and returns its handle. */
export async function spawnServer(spec: SpawnSpec): Promise<ServerHandle> {
  installExitHook();
  // A server that cannot bind would otherwise be reported ready by whoever owns the port.
  if (!(await isPortFree(spec.port))) {
    rmSync(spec.root, { recursive: true, force: true });
    const msg = `${spec.name} cannot start: 127.0.0.1:${spec.port} address already in use`;
    throw new ServerStartError(msg, msg);
  }
  const logFile = join(spec.root, `${spec.name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(spec.bin, spec.args, {
    detached: true,
    stdio: ['ignore', fd, fd],
    cwd: spec.root,
    uid: spec.runAs?.uid,
    gid: spec.runAs?.gid,
  });
  closeSync(fd);
  // A server left running by mistake must not keep the test runner alive; the exit hook stops it.
  child.unref();
  const entry = { child, root: spec.root };
  live.add(entry);
  startWatchdog(child, spec.root);

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  child.once('error', () => undefined); // spawn errors surface as an early exit below

  const url = `http://127.0.0.1:${spec.port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) {
      return;
    }
    stopped = true;
    if (!exited) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    }
    // Children of the server (none expected) would share the group: make sure nothing is left.
    killGroup(child, 'SIGKILL');
    live.delete(entry);
    rmSync(spec.root, { recursive: true, force: true });
  };

  // Guards against the (rare) race where another process took the port after the check above: a server
  // that failed to bind exits right away, so a ready answer only counts if ours is still running.
  const exitedSoon = async (): Promise<boolean> => {
    await sleep(50);
    return exited !== undefined;
  };

  const deadline = Date.now() + (spec.readyTimeoutMs ?? 30000);
  let lastError = '';
  while (Date.now() < deadline) {
    if (exited) {
      const log = tail(logFile);
      await stop();
      throw new ServerStartError(
        `${spec.name} exited before it was ready (code ${exited.code}, signal ${exited.signal}); log:\n${log}`,
        log
      );
    }
    try {
      const ok = spec.ready ? await spec.ready() : (await fetchReady(url + (spec.readyPath ?? '/'))).ok;
      if (ok && !(await exitedSoon())) {
        return {
          url,
          port: spec.port,
          dataDir: spec.dataDir,
          logFile,
          logs: () => tail(logFile, Number.MAX_SAFE_INTEGER),
          stop,
        };
      }
      lastError = 'not ready';
    } catch (err) {
      lastError = (err as Error).message;
    }
    await sleep(100);
  }
  const log = tail(logFile);
  await stop();
  throw new ServerStartError(
    `${spec.name} not ready at ${url}${spec.readyPath ?? ''} after ${spec.readyTimeoutMs ?? 30000}ms (${lastError}); log:\n${log}`,
    log
  );
}

async function fetchReady(url: string): Promise<{ ok: boolean }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  return { ok: res.ok };
}

/** A server failed to start; `log` holds the tail of its log. */
export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly log: string
  ) {
    super(message);
    this.name = 'ServerStartError';
  }

  /** True when the failure was a port taken between freePort() and bind: worth retrying. */
  get portInUse(): boolean {
    return /address already in use/i.test(this.log);
  }
}

/**
 * Runs `start` up to 3 times when it fails because a port was taken in the meantime (freePort() cannot
 * reserve a port, and parallel Jest workers pick ports at the same time).
 */
export async function withPortRetry<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (!(err instanceof ServerStartError) || !err.portInUse || attempt >= 3) {
        throw err;
      }
    }
  }
}

/** Promise-based sleep. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
