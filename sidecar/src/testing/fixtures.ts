/**
 * Helpers shared by the sidecar's tests: a valid config on a temporary SQLite file, a captured log,
 * and a started server that is always stopped. Excluded from the build (see tsconfig.json).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../config/load';
import type { Config } from '../config/schema';
import { startServer, type ServerHandle } from '../server';

/** The bearer token of test configs. */
export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** A validated config (through the real loader) with a temp database, quiet logs and port 0. */
export function testConfig(values: Record<string, unknown> = {}): { config: Config; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sidecar-'));
  const config = loadConfig({
    values: {
      server: { port: 0 },
      store: { type: 'sqlite', path: join(dir, 'vigil.db') },
      log: { level: 'info' },
      ...values,
    },
    env: { VIGIL_TOKEN: TEST_TOKEN },
  });
  return { config, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Collects JSON log lines written by pino. */
export class LogCapture extends Writable {
  readonly chunks: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(chunk.toString('utf8'));
    cb();
  }
  /** Everything logged so far. */
  text(): string {
    return this.chunks.join('');
  }
  /** Parsed log records. */
  records(): Array<Record<string, unknown>> {
    return this.text()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/** A running test server with its log; `stop()` closes it and removes its files. */
export interface TestServer extends ServerHandle {
  log: LogCapture;
  config: Config;
  stop(): Promise<void>;
  /** fetch against the server, with the bearer token unless `token: null`. */
  call(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
}

/** Starts a server on a free port with a temporary store. */
export async function startTestServer(values: Record<string, unknown> = {}): Promise<TestServer> {
  const { config, cleanup } = testConfig(values);
  const log = new LogCapture();
  const handle = await startServer(config, { logDestination: log });
  return Object.assign(handle, {
    log,
    config,
    async stop() {
      await handle.close();
      cleanup();
    },
    call(path: string, init: RequestInit & { token?: string | null } = {}) {
      const { token = TEST_TOKEN, headers, ...rest } = init;
      const h = new Headers(headers);
      if (token !== null) {
        h.set('authorization', `Bearer ${token}`);
      }
      return fetch(`${handle.url}${path}`, { ...rest, headers: h });
    },
  });
}

/**
 * A loopback TCP server that accepts connections and never answers: how a hung datasource looks to
 * the sidecar (timeouts, drains). Not a fake of any API; real Prometheus/InfluxDB are used for that.
 */
export async function startStalledServer(): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createNetServer((s) => {
    count++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) {
          s.destroy();
        }
        server.close(() => r());
      }),
  };
}

/** A loopback port with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
