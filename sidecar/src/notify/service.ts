/**
 * The notification service the server runs and the API uses: the dispatcher (inbox → routing →
 * aggregation groups → outbox, `dispatch/`) and the outbox worker (outbox → channels, `worker.ts`).
 * Every step's state is in the store, so a restart continues where the last process stopped.
 */
import type { Logger } from 'pino';
import {
  buildRouteTree,
  type ChannelView,
  type GroupsResponse,
  type RoutingResponse,
  type TestSendResponse,
} from '@vigil/core';
import type { NotifyConfig } from '../config/notifySchema';
import type { SidecarMetrics } from '../metrics';
import type { InboundAlert, Store } from '../store';
import { channelTargetView, createChannelSenders, testNotification } from './channels';
import { Dispatcher } from './dispatch/dispatcher';
import { RouteIndex } from './dispatch/routes';
import { channelStats, groupView, routingView, withStats } from './dispatch/views';
import { channelPayload } from './payloads';
import { OutboxWorker } from './worker';
import { toIncidentView } from '../api/incidentViews';
import type { CorrelationSettings } from '../config/correlationSchema';
import { topologySource } from '../correlation/topology';
import type { LiveBus } from '../live/bus';
import { correlateBatch, INCIDENT_LABEL, resolveHeld, type CorrelatedBatch } from './dispatch/correlation';

/** What {@link startNotify} needs. */
export interface NotifyDeps {
  config: NotifyConfig;
  store: Store;
  logger: Logger;
  metrics: SidecarMetrics;
  /**
   * Stable id of this node (host and store): the outbox worker's claim owner, so a restart takes over
   * its crashed predecessor's sends at once (default: random, they wait for their leases).
   */
  nodeId?: string;
  /** Correlation into incidents (issue 11); absent or disabled: every alert is routed on its own. */
  correlation?: CorrelationSettings;
  /** Where incident changes are published (`GET /api/v1/stream`). */
  live?: LiveBus;
  /** Clock, for tests. */
  now?: () => number;
  /**
   * Starts the dispatcher (default true). HA (issue 14): only the leader dispatches (it writes groups
   * and the outbox from the inbox); every replica's worker sends, since claims are per row.
   */
  dispatch?: boolean;
}

/** A running notification service. */
export interface NotifyService {
  /** Queues alert updates in the store's inbox (durable once this resolves) and wakes the dispatcher. */
  receive(alerts: readonly InboundAlert[]): Promise<void>;
  /** Wakes the dispatcher (new inbox rows written elsewhere, e.g. by a rule evaluation) and the worker. */
  kick(): void;
  /** Channels with masked targets and their last delivery. */
  channels(): Promise<ChannelView[]>;
  /** Sends a test notification to one channel directly (not through the outbox); null for an unknown channel. */
  testSend(channel: string, user: string): Promise<TestSendResponse | null>;
  /** The routing tree, inhibition rules and time intervals. */
  routing(): RoutingResponse;
  /** Aggregation groups with their alerts, silenced and inhibited ones marked. */
  groups(): Promise<GroupsResponse>;
  /** Stops the dispatcher and the worker, letting sends in flight finish up to `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Starts or stops the dispatcher (HA leadership); stopping waits for the pass in progress. */
  setDispatching(on: boolean): Promise<void>;
  /** HA: leaves new sends to other replicas' workers while `peersAwake()` (see `OutboxWorker.deferTo`). */
  deferSends?(peersAwake: (() => boolean) | undefined): void;
  /**
   * HA: another replica's receiver wrote alert updates to the inbox. Wakes the dispatcher as this
   * process's own receive does (it waits while more keep coming, then routes them in one step).
   */
  inboxWritten?(): void;
}

/**
 * Publishes the incidents a committed batch opened or changed on the live stream, from what the batch
 * computed (no read back: the dispatcher's state is what it just committed).
 */
function publishIncidents(
  live: LiveBus,
  incidents: ReturnType<CorrelatedBatch['incidents']>,
  serviceLabel: string,
  at: number
): void {
  const when = new Date(at).toISOString();
  for (const { incident, alerts } of incidents) {
    live.publish({ type: 'incident', at: when, incident: toIncidentView(incident, alerts, serviceLabel) });
  }
}

/** Starts the dispatcher and the worker. Throws when the routing tree is invalid. */
export function startNotify(deps: NotifyDeps): NotifyService {
  const { config, store, logger, metrics } = deps;
  const now = deps.now ?? Date.now;
  const log = logger.child({ component: 'notify' });
  const routes = new RouteIndex(
    buildRouteTree(config.route),
    new Set(config.channels.map((c) => c.name)),
    (msg, fields) => log.warn(fields, msg),
    new Map(config.channels.map((c) => [c.name, c.type]))
  );
  const senders = createChannelSenders(config, { timeoutMs: config.delivery.timeoutMs });
  const worker = new OutboxWorker({
    store,
    senders,
    workerId: deps.nodeId,
    maxAgeMs: config.delivery.maxAgeMs,
    // The lease outlives a send that runs into its timeout, so a slow send is not sent twice.
    leaseMs: Math.max(60_000, 2 * config.delivery.timeoutMs),
    counter: metrics.notifications,
    logger: log,
    now,
  });
  const correlation = deps.correlation?.enabled ? deps.correlation : undefined;
  const topology = correlation ? topologySource(correlation, (msg, fields) => log.warn(fields, msg)) : undefined;
  let lastBatch: CorrelatedBatch | undefined;
  const dispatcher = new Dispatcher({
    store,
    config,
    routes,
    logger: log,
    metrics: metrics.notify,
    onEnqueued: () => worker.kick(),
    outbox: worker,
    keepIncidentsFiringForMs: correlation && topology ? correlation.keepFiringForMs : 0,
    correlate:
      correlation && topology
        ? async (entries, at) => (lastBatch = await correlateBatch(entries, store, correlation, topology(), at))
        : undefined,
    // Incidents keepFiringFor held open resolve once their page does (after a pass's flushes).
    afterFlush:
      correlation && topology && correlation.keepFiringForMs > 0
        ? async (at) => {
            const resolved = await resolveHeld(store, correlation, topology(), at);
            if (resolved.length > 0 && deps.live && deps.live.subscribers > 0) {
              publishIncidents(deps.live, resolved, correlation.config.serviceLabel, now());
            }
          }
        : undefined,
    onIngested: (r) => {
      // Called after the commit of the batch correlated last (the dispatcher runs one step at a time).
      const batch = lastBatch;
      lastBatch = undefined;
      const live = deps.live;
      // Nobody listens: the events would be dropped, so they are not built.
      if (!live || live.subscribers === 0) {
        return;
      }
      for (const a of r.alerts) {
        const incidentId = a.labels[INCIDENT_LABEL] ?? null;
        live.publish({
          type: 'alert',
          at: new Date(a.at).toISOString(),
          fingerprint: a.fingerprint,
          status: a.status,
          labels: a.labels,
          incidentId,
        });
      }
      if (correlation && batch) {
        publishIncidents(live, batch.touched(), correlation.config.serviceLabel, now());
      }
    },
    now,
  });
  metrics.notify.countGroups = () => store.countOpenGroups();
  worker.start();
  if (deps.dispatch !== false) {
    dispatcher.start();
  }
  let stopping = false;
  const byName = new Map(config.channels.map((c) => [c.name, c]));

  return {
    async receive(alerts) {
      if (alerts.length === 0) {
        return;
      }
      await store.pushInbound(alerts, now());
      dispatcher.received();
    },
    kick() {
      dispatcher.kick();
      worker.kick();
    },
    async channels() {
      return Promise.all(
        config.channels.map(async (c) => withStats(channelTargetView(c), await channelStats(store, c.name)))
      );
    },
    async testSend(name, user) {
      const channel = byName.get(name);
      const send = senders[name];
      if (!channel || !send) {
        return null;
      }
      const started = process.hrtime.bigint();
      const at = now();
      const payload = channelPayload(channel, testNotification(channel, at, user, config.externalURL ?? ''), at);
      const result = await send(payload, AbortSignal.timeout(config.delivery.timeoutMs + 1000));
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
      log.info({ channel: name, user, ok: result.ok, error: result.error, durationMs }, 'test notification sent');
      return result.ok ? { ok: true, durationMs } : { ok: false, error: result.error ?? 'failed', durationMs };
    },
    routing() {
      return routingView(routes.tree, config.inhibitRules, config.timeIntervals, now());
    },
    async groups() {
      const at = now();
      const all = (await store.listGroups()).filter((g) => g.nextFlushAt !== null);
      const [alerts, silences, firing] = await Promise.all([
        all.length > 0 ? store.groupAlerts(all.map((g) => g.key)) : Promise.resolve(new Map()),
        store.listSilences({ expiredSince: at }),
        config.inhibitRules.length > 0 ? store.firingAlertLabels() : Promise.resolve([]),
      ]);
      return {
        groups: all.map((g) => groupView(g, alerts.get(g.key) ?? [], silences, firing, config.inhibitRules, at)),
      };
    },
    deferSends(peersAwake) {
      worker.deferTo(peersAwake);
    },
    inboxWritten() {
      dispatcher.received();
    },
    async setDispatching(on) {
      if (on && !stopping) {
        dispatcher.start();
      } else {
        await dispatcher.stop();
      }
    },
    async stop(graceMs = 0) {
      stopping = true;
      await dispatcher.stop();
      // Sends in flight may finish within the grace; then the worker aborts the rest (they are put
      // back as due, and the next process sends them).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        worker.idle(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
      await worker.stop();
      metrics.notify.countGroups = undefined;
    },
  };
}
