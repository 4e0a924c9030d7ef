// Real InfluxDB 1.x (Debian package `influxdb`, `influxd -config F`) on free loopback ports.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBinary, freePort, makeRoot, spawnServer, withPortRetry, ServerHandle } from './process';

/** Options for {@link startInflux}. */
export interface InfluxOptions {
  /** Fixed HTTP port; a free one when omitted. */
  port?: number;
  /** Databases created once the server is ready. */
  databases?: string[];
  readyTimeoutMs?: number;
}

/** A running InfluxDB. */
export type InfluxHandle = ServerHandle;

/**
 * influxd config: HTTP and the RPC bind address on loopback, all state under `root`, no usage
 * reporting, no self-monitoring, and none of the UDP/Graphite/collectd/OpenTSDB listeners.
 */
export function influxConfig(root: string, httpPort: number, rpcPort: number): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = "${join(root, 'meta')}"
  logging-enabled = false

[data]
  dir = "${join(root, 'data')}"
  wal-dir = "${join(root, 'wal')}"
  query-log-enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:${httpPort}"
  auth-enabled = false
  log-enabled = false

[logging]
  level = "warn"

[monitor]
  store-enabled = false

[subscriber]
  enabled = false

[continuous_queries]
  enabled = false

[[graphite]]
  enabled = false

[[collectd]]
  enabled = false

[[opentsdb]]
  enabled = false

[[udp]]
  enabled = false
`;
}

/** Starts influxd on 127.0.0.1 with fresh meta/data/wal dirs and waits for `/ping`. */
export async function startInflux(opts: InfluxOptions = {}): Promise<InfluxHandle> {
  const bin = findBinary('influxd', 'influxdb', 'VIGIL_INFLUXD_BIN');
  const handle = await withPortRetry(async () => {
    const root = makeRoot('influxdb');
    const dataDir = join(root, 'data');
    mkdirSync(dataDir);
    const port = opts.port ?? (await freePort());
    const rpcPort = await freePort();
    const configFile = join(root, 'influxdb.conf');
    writeFileSync(configFile, influxConfig(root, port, rpcPort));
    return spawnServer({
      name: 'influxdb',
      bin,
      args: ['-config', configFile],
      root,
      dataDir,
      port,
      readyPath: '/ping',
      readyTimeoutMs: opts.readyTimeoutMs,
    });
  });
  try {
    for (const db of opts.databases ?? []) {
      await influxQuery(handle.url, `CREATE DATABASE "${db.replace(/"/g, '\\"')}"`, undefined, 'POST');
    }
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

/** Result of one InfluxQL statement. */
export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

/** Runs InfluxQL over `/query` (GET for reads, POST for writes such as CREATE DATABASE). */
export async function influxQuery(
  url: string,
  q: string,
  db?: string,
  method: 'GET' | 'POST' = 'GET'
): Promise<InfluxSeries[]> {
  const params = new URLSearchParams({ q, epoch: 'ms' });
  if (db) {
    params.set('db', db);
  }
  const res = await fetch(`${url}/query?${params}`, { method });
  const body = (await res.json()) as { error?: string; results?: Array<{ error?: string; series?: InfluxSeries[] }> };
  const error = body.error ?? body.results?.find((r) => r.error)?.error;
  if (!res.ok || error) {
    throw new Error(`query InfluxDB "${q}": ${error ?? `HTTP ${res.status}`}`);
  }
  return body.results?.flatMap((r) => r.series ?? []) ?? [];
}

/**
 * Writes line protocol (`measurement,tag=v field=1 <ns timestamp>`) to `db`; `precision` sets the
 * timestamp unit (default ns, as InfluxDB does).
 */
export async function writeInfluxLines(
  url: string,
  db: string,
  lines: string[],
  precision: 'ns' | 'u' | 'ms' | 's' = 'ns'
): Promise<void> {
  const params = new URLSearchParams({ db, precision });
  const res = await fetch(`${url}/write?${params}`, { method: 'POST', body: lines.join('\n') });
  if (res.status !== 204) {
    throw new Error(`write to InfluxDB db ${db}: HTTP ${res.status} ${await res.text()}`);
  }
}
