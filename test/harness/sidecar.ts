// The real Vigil sidecar as a child process, as an operator runs it (VIGIL_CONFIG pointing at a YAML
// file), for tests that must kill it (kill -9) and restart it on the same SQLite file, and for the rule
// benchmark. `entry: 'source'` runs sidecar/src/main.ts through tsx's loader (no build needed: tests);
// `entry: 'dist'` runs the compiled sidecar/dist/main.js (what the product ships: benchmarks).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { freePort, sleep, startWatchdog, tail } from './process';

const ROOT = resolve(__dirname, '..', '..');

/** Options of {@link startSidecar}. */
export interface SidecarOptions {
  /** Folder for config, token, database and log; reuse it to restart on the same SQLite file. */
  dir: string;
  /** Config keys besides server, auth and store (datasources, rules, log, ...). */
  config: Record<string, unknown>;
  /** Default 'source'. */
  entry?: 'source' | 'dist';
  /** The `store` section (default: SQLite in `dir`); e.g. a PostgreSQL store shared by replicas. */
  store?: Record<string, unknown>;
  /** Extra arguments for node before the script (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}

/** A running sidecar process. */
export interface SidecarHandle {
  url: string;
  token: string;
  pid: number;
  dbPath: string;
  logFile: string;
  /** The log so far. */
  logs(): string;
  /** Sends SIGKILL (kill -9: no shutdown hook runs) and waits until the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful drain), SIGKILL after `graceMs`; waits for the exit. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** Fetch with the sidecar's bearer token; JSON bodies in and out. */
export async function sidecarFetch<T = unknown>(
  sc: Pick<SidecarHandle, 'url' | 'token'>,
  path: string,
  init: { method?: string; body?: unknown } = {}
): Promise<{ status: number; body: T }> {
  const res = await fetch(sc.url + path, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${sc.token}`,
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    signal: AbortSignal.timeout(30000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (e.g. /metrics): keep the text
  }
  return { status: res.status, body: body as T };
}

/** Writes the config and starts the sidecar; resolves once its health endpoint answers 200. */
export async function startSidecar(opts: SidecarOptions): Promise<SidecarHandle> {
  mkdirSync(opts.dir, { recursive: true });
  const tokenFile = join(opts.dir, 'token');
  if (!existsSync(tokenFile)) {
    writeFileSync(tokenFile, randomBytes(24).toString('hex'), { mode: 0o600 });
  }
  const token = readFileSync(tokenFile, 'utf8').trim();
  const dbPath = join(opts.dir, 'vigil.db');
  const port = await freePort();
  const configFile = join(opts.dir, 'config.yaml');
  const config = {
    log: { level: 'info' },
    ...opts.config,
    server: { host: '127.0.0.1', port },
    auth: { tokenFile },
    store: opts.store ?? { type: 'sqlite', path: dbPath },
  };
  writeFileSync(configFile, stringify(config));

  const entry = opts.entry ?? 'source';
  const script =
    entry === 'dist'
      ? [join(ROOT, 'sidecar', 'dist', 'main.js')]
      : ['--import', 'tsx', join(ROOT, 'sidecar', 'src', 'main.ts')];
  if (!existsSync(script[script.length - 1])) {
    throw new Error(`${script[script.length - 1]} not found${entry === 'dist' ? ': run npx tsc -b sidecar' : ''}`);
  }
  const logFile = join(opts.dir, 'sidecar.log');
  const fd = openSync(logFile, 'a');
  // No VIGIL_* from the caller's shell: the config file alone decides.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIL_')));
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...script], {
    cwd: ROOT, // where `--import tsx` resolves; every path in the config is absolute
    env: { ...env, VIGIL_CONFIG: configFile },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  child.unref();
  startWatchdog(child);
  let exited = false;
  const exitPromise = new Promise<void>((r) =>
    child.once('exit', () => {
      exited = true;
      r();
    })
  );
  const url = `http://127.0.0.1:${port}`;
  const signal = (sig: NodeJS.Signals): void => {
    if (!exited && child.pid) {
      try {
        process.kill(child.pid, sig);
      } catch {
        // already gone
      }
    }
  };
  const handle: SidecarHandle = {
    url,
    token,
    pid: child.pid ?? -1,
    dbPath,
    logFile,
    logs: () => tail(logFile, Number.MAX_SAFE_INTEGER),
    async kill9() {
      signal('SIGKILL');
      await exitPromise;
    },
    async stop(graceMs = 10000) {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exitPromise;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60000);
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`the sidecar exited during start-up; ${logFile}:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${url}/api/v1/monitoring/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) {
        return handle;
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await handle.stop(0);
  throw new Error(`the sidecar did not answer ${url}/api/v1/monitoring/health in time; ${logFile}:\n${tail(logFile)}`);
}
