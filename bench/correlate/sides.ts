/**
 * The sides of the correlation benchmark, started fresh for each scenario, all delivering to one
 * loopback webhook sink (each on its own path) with the same timers:
 *
 *  - `alertmanager`: the real Alertmanager 0.25 with the best equivalent of correlation its
 *    configuration can express. Alertmanager has no topology, so the topology is compiled into
 *    inhibit rules: for every service with dependants, "any alert of that service inhibits every alert
 *    of its (transitive) dependants in the same cluster" — Vigil's downstream suppression, edge by
 *    edge (equal labels alone cannot say "depends on": a label naming one upstream cannot list all of
 *    a service's transitive dependencies, and inhibition needs the same value on both sides). Plus
 *    severity inhibition in the same service (critical → error/warning/info, error → warning/info:
 *    Vigil's lower-severity suppression, restricted to what equal labels express). Grouped by
 *    [cluster, service]: one notification stream per affected service, so a page names its service
 *    and two unrelated failures stay apart, as incidents do.
 *  - `alertmanager_cluster`: the same inhibit rules, grouped by [cluster] only: the fewest
 *    notifications Alertmanager can send (everything in one group), at the price of folding unrelated
 *    failures into one page. Reported as a bound, not as the equivalent.
 *  - `alertmanager_typical`: what most teams run — group_by [alertname, cluster] and only the
 *    severity inhibition (critical inhibits warning with equal service), no topology. For context.
 *  - `vigil`: the compiled sidecar (SQLite), `POST /api/v1/receivers/alertmanager`, the topology in
 *    `correlation.topology.dependsOn`, the correlation window and keepFiringFor (its flap damping, set
 *    to the window) compressed like the timers, one webhook
 *    channel, the same groupBy and timers, no inhibit rules (correlation is what is measured).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startAlertmanager, type LoopbackServer } from '../../test/harness';
import { alertmanagerWebhookBody } from '../../test/harness/notify';
import { startSidecar, type SidecarHandle } from '../../test/harness/sidecar';
import type { AlertUpdate, PostBatch } from './replay';
import { dependants, dependsOnMap, TOPOLOGY } from './topology';

/** Timers in ms (already compressed). */
export interface Timers {
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
  /** Vigil's correlation window. */
  window: number;
  /** Vigil's `correlation.keepFiringFor`. */
  keepFiringFor: number;
}

/** The Alertmanager configurations compared; the first is the best equivalent (the baseline). */
export const ALERTMANAGER_VARIANTS = [
  { name: 'alertmanager', groupBy: ['cluster', 'service'], topology: true },
  { name: 'alertmanager_cluster', groupBy: ['cluster'], topology: true },
  { name: 'alertmanager_typical', groupBy: ['alertname', 'cluster'], topology: false },
] as const;

/** An Alertmanager variant. */
export type AlertmanagerVariant = (typeof ALERTMANAGER_VARIANTS)[number];

/** Every side's name, Vigil last. */
export const SIDE_NAMES = [...ALERTMANAGER_VARIANTS.map((v) => v.name), 'vigil'] as const;

/** A side's name. */
export type SideName = AlertmanagerVariant['name'] | 'vigil';

/** One running side of one scenario. */
export interface Side {
  name: SideName;
  /** The sink path it delivers to. */
  path: string;
  post: PostBatch;
  /** Vigil only: the running sidecar (for its incidents and outbox). */
  sidecar?: SidecarHandle;
  stop(): Promise<void>;
}

const ms = (n: number) => `${Math.round(n)}ms`;

async function expectOk(res: Response, what: string): Promise<void> {
  if (!res.ok) {
    throw new Error(`${what}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  await res.arrayBuffer();
}

/** Escapes a service name for a regex matcher (RE2 syntax, as Alertmanager's). */
const reQuote = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** Alertmanager's inhibit rules: severity within a service, then (`topology`) the topology edge by edge. */
export function alertmanagerInhibitRules(withTopology: boolean): Array<Record<string, unknown>> {
  const severity = [
    {
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity=~"error|warning|info"'],
      equal: ['cluster', 'service'],
    },
    {
      source_matchers: ['severity="error"'],
      target_matchers: ['severity=~"warning|info"'],
      equal: ['cluster', 'service'],
    },
  ];
  const topology = Object.keys(TOPOLOGY)
    .map((service) => ({ service, down: dependants(service) }))
    .filter((x) => x.down.length > 0)
    .map(({ service, down }) => ({
      source_matchers: [`service="${service}"`],
      target_matchers: [`service=~"${down.map(reQuote).join('|')}"`],
      equal: ['cluster'],
    }));
  return withTopology ? [...severity, ...topology] : severity;
}

/** An alertmanager.yml: one webhook receiver on the sink, the given grouping, the inhibit rules. */
export function alertmanagerYaml(sinkUrl: string, variant: AlertmanagerVariant, t: Timers): string {
  return stringify({
    route: {
      receiver: 'sink',
      group_by: variant.groupBy,
      group_wait: ms(t.groupWait),
      group_interval: ms(t.groupInterval),
      repeat_interval: ms(t.repeatInterval),
    },
    receivers: [{ name: 'sink', webhook_configs: [{ url: sinkUrl, send_resolved: true }] }],
    inhibit_rules: alertmanagerInhibitRules(variant.topology),
  });
}

/** Starts Alertmanager as `variant`; updates go to `POST /api/v2/alerts`, as Prometheus sends them. */
export async function startAlertmanagerSide(
  variant: AlertmanagerVariant,
  sink: LoopbackServer,
  path: string,
  t: Timers
): Promise<Side> {
  const name = variant.name;
  const am = await startAlertmanager({ config: alertmanagerYaml(`${sink.url}${path}`, variant, t) });
  const post: PostBatch = async (batch: AlertUpdate[]) => {
    const body = batch.map((a) => ({
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
    }));
    const res = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    await expectOk(res, `POST ${name} /api/v2/alerts`);
  };
  return { name, path, post, stop: () => am.stop() };
}

/** Starts the compiled sidecar with correlation over the topology; updates go to its Alertmanager receiver. */
export async function startVigilSide(sink: LoopbackServer, path: string, groupBy: string[], t: Timers): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-correlate-'));
  const sc = await startSidecar({
    dir,
    entry: 'dist',
    config: {
      log: { level: 'warn' },
      correlation: {
        enabled: true,
        window: ms(t.window),
        keepFiringFor: ms(t.keepFiringFor),
        topology: { dependsOn: dependsOnMap() },
      },
      notify: {
        channels: [{ name: 'sink', type: 'webhook', url: `${sink.url}${path}` }],
        route: {
          receiver: 'sink',
          groupBy,
          groupWait: ms(t.groupWait),
          groupInterval: ms(t.groupInterval),
          repeatInterval: ms(t.repeatInterval),
        },
      },
    },
  });
  const post: PostBatch = async (batch: AlertUpdate[]) => {
    const res = await fetch(`${sc.url}/api/v1/receivers/alertmanager`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sc.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(alertmanagerWebhookBody(batch)),
    });
    await expectOk(res, 'POST Vigil /api/v1/receivers/alertmanager');
  };
  return {
    name: 'vigil',
    path,
    post,
    sidecar: sc,
    async stop() {
      await sc.stop(30_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
