// Real Alertmanager 0.25 (Debian package `prometheus-alertmanager`) on a free loopback port, clustering off.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findBinary, freePort, makeRoot, spawnServer, withPortRetry, ServerHandle } from './process';

/** Options for {@link startAlertmanager}. */
export interface AlertmanagerOptions {
  port?: number;
  /** Full alertmanager.yml contents; overrides `webhookUrl`. */
  config?: string;
  /**
   * Sends every notification to this webhook (e.g. Vigil's Alertmanager receiver), with short
   * group_wait/group_interval so tests see notifications within seconds.
   */
  webhookUrl?: string;
  readyTimeoutMs?: number;
}

/** A running Alertmanager. */
export type AlertmanagerHandle = ServerHandle;

/** The alertmanager.yml used when `config` is not given. */
export function alertmanagerConfig(webhookUrl?: string): string {
  const receiver: Record<string, unknown> = { name: 'default' };
  if (webhookUrl) {
    receiver.webhook_configs = [{ url: webhookUrl, send_resolved: true }];
  }
  return stringify({
    route: {
      receiver: 'default',
      group_by: ['alertname'],
      group_wait: '1s',
      group_interval: '1s',
      repeat_interval: '1h',
    },
    receivers: [receiver],
  });
}

/** Starts Alertmanager on 127.0.0.1 with a temporary storage path and waits for `/-/ready`. */
export async function startAlertmanager(opts: AlertmanagerOptions = {}): Promise<AlertmanagerHandle> {
  const bin = findBinary('prometheus-alertmanager', 'prometheus-alertmanager', 'VIGIL_ALERTMANAGER_BIN');
  return withPortRetry(async () => {
    const root = makeRoot('alertmanager');
    const dataDir = join(root, 'data');
    mkdirSync(dataDir);
    const configFile = join(root, 'alertmanager.yml');
    writeFileSync(configFile, opts.config ?? alertmanagerConfig(opts.webhookUrl));
    const port = opts.port ?? (await freePort());
    return spawnServer({
      name: 'alertmanager',
      bin,
      args: [
        `--config.file=${configFile}`,
        `--storage.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      root,
      dataDir,
      port,
      readyPath: '/-/ready',
      readyTimeoutMs: opts.readyTimeoutMs,
    });
  });
}

/** An alert as posted to Alertmanager's v2 API. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** Posts alerts to `/api/v2/alerts` (what Prometheus does when a rule fires). */
export async function pushAlerts(url: string, alerts: PostableAlert[]): Promise<void> {
  const res = await fetch(`${url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  if (!res.ok) {
    throw new Error(`post alerts to Alertmanager: HTTP ${res.status} ${await res.text()}`);
  }
}

/** Lists the alerts Alertmanager currently holds (`/api/v2/alerts`). */
export async function listAlerts(url: string): Promise<Array<PostableAlert & { status: { state: string } }>> {
  const res = await fetch(`${url}/api/v2/alerts`);
  if (!res.ok) {
    throw new Error(`list Alertmanager alerts: HTTP ${res.status}`);
  }
  return (await res.json()) as Array<PostableAlert & { status: { state: string } }>;
}
