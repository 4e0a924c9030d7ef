import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { DestinationStream, Logger } from 'pino';
import { buildApp } from './api/app';
import type { Config } from './config/schema';
import { startDetection, type DetectionService } from './detection/service';
import { idleStatus } from './detection/status';
import { createLiveBus, type LiveBus } from './live/bus';
import { createLogger } from './log';
import { createMetrics, type SidecarMetrics } from './metrics';
import { startNotify, type NotifyService } from './notify/service';
import { createSource, type Source } from './sources';
import { openStore, type Store } from './store';
import { startRules, type RuleEngineService } from './rules/service';
import { SloService } from './slo/service';
import { startRuleFiles } from './rules/filesWatch';
import { ruleContext } from './rules/schema';
import { defaultReplicaId, startHa, switchedDetection, switchedRules, type HaHandle } from './ha';
import type { SwitchedRules } from './ha/engines';

/** A running sidecar. */
export interface ServerHandle {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** The bound port (useful with `port: 0`). */
  port: number;
  app: Express;
  store: Store;
  logger: Logger;
  metrics: SidecarMetrics;
  /** The scheduled anomaly detectors. */
  detection: DetectionService;
  /** The alert rule engine. */
  rules: RuleEngineService;
  /** The notification dispatcher and outbox worker. */
  notify: NotifyService;
  /** The live bus (`GET /api/v1/stream`). */
  live: LiveBus;
  /** Leadership among replicas of a PostgreSQL store (always leading on SQLite). */
  ha: HaHandle;
  /**
   * Stops accepting connections, lets in-flight requests finish (up to `server.shutdownTimeoutMs`,
   * then their sockets are closed), then closes the store. Idempotent.
   */
  close(): Promise<void>;
}

/** Extras for tests and embedding. */
export interface StartOptions {
  /** Where JSON logs go (default stdout). */
  logDestination?: DestinationStream;
}

const running = new Set<ServerHandle>();

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(new Error(`listen on ${host}:${port}: ${err.code ?? err.message}`, { cause: err }));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Starts the sidecar: opens the store (migrating it), builds the sources and the app, and listens. */
export async function startServer(config: Config, opts: StartOptions = {}): Promise<ServerHandle> {
  const logger = createLogger(config.log.level, opts.logDestination);
  const metrics = createMetrics();
  // PostgreSQL shows the replica id for every connection of this replica (an operator can find them).
  const store = await openStore(config.store, { applicationName: config.ha?.replicaId ?? defaultReplicaId() });
  let sources: Source[];
  try {
    sources = config.datasources.map(createSource);
  } catch (err) {
    await store.close();
    throw err;
  }
  let ha: HaHandle;
  try {
    ha = await startHa({ ha: config.ha, store: config.store, logger, metrics });
  } catch (err) {
    await store.close();
    throw err;
  }
  // Before the engines, so every part publishes to it (the API's incident actions, dispatcher,
  // detection); shared with the other replicas on PostgreSQL.
  const live = ha.relay(createLiveBus());
  // HA (issue 14): evaluation, detection and dispatching run on the leader only, through a store
  // whose leader-only writes are refused once leadership is lost; they follow leadership (ha.attach).
  const engineStore = ha.fence(store);
  const detection = switchedDetection(
    () => startDetection({ config, store: engineStore, sources, logger, metrics, publish: (e) => live.publish(e) }),
    ha.isLeader(),
    () => config.detectors.filter((d) => d.enabled).map(idleStatus)
  );
  // After detection (anomaly rules read its events); stopped before the store closes. A tick that
  // pushed alerts to the dispatcher's inbox wakes it (the dispatcher starts just below).
  let notify: NotifyService | undefined;
  // SLOs raise their burn-rate alerts through rules the SLO service keeps (it reloads the engine).
  let rules: SwitchedRules | undefined;
  // Its SLO status writes come from evaluations: fenced like them (putSloStatuses); the API's are not.
  const slos = new SloService({ slos: engineStore, rules: store, reloadRules: async () => rules?.reload(), logger });
  rules = switchedRules(
    (schedule) =>
      startRules({
        config,
        store: engineStore,
        sources,
        logger,
        metrics,
        onInbound: () => notify?.kick(),
        slos,
        schedule,
      }),
    ha.isLeader()
  );
  try {
    // One node = this host and this store file: a restart on them takes over the previous run's sends.
    // On a shared store, the replica id (config `ha.replicaId`).
    const nodeId = ha.replicated
      ? ha.replicaId
      : `${hostname()}:${config.store.type === 'sqlite' ? resolve(config.store.path) : config.store.type}`;
    notify = startNotify({
      config: config.notify,
      store: engineStore,
      dispatch: ha.isLeader(),
      logger,
      metrics,
      nodeId,
      correlation: config.correlation,
      live,
    });
    await slos.start();
    ha.attach({ rules, detection, notify, syncSlos: () => slos.start() });
  } catch (err) {
    await rules.stop(0);
    await detection.stop(0);
    await ha.stop();
    await store.close();
    throw err;
  }
  // Rules from `rules.dir`: loaded before serving, then on change and on SIGHUP (rules/filesWatch.ts).
  const ruleFiles = await startRuleFiles({
    dir: config.rules.dir,
    ctx: ruleContext(config),
    store,
    engine: rules,
    logger,
  });
  const app = buildApp({
    config,
    logger,
    metrics,
    store,
    sources,
    detection,
    rules,
    // A standby's receivers also wake the leader's dispatcher.
    notify: ha.served(notify),
    live,
    slos,
    ha: () => ha.status(),
  });
  const server = createServer(app);

  // Count in-flight requests so shutdown knows when the drain is over.
  let inFlight = 0;
  let closing = false;
  server.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      // A keep-alive socket that just became idle would otherwise hold server.close() open.
      if (closing) {
        server.closeIdleConnections();
      }
    });
  });

  try {
    await listen(server, config.server.port, config.server.host);
  } catch (err) {
    await ruleFiles.stop();
    await rules.stop(0);
    await notify.stop(0);
    await detection.stop(0);
    await ha.stop();
    await store.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const url = `http://${host}:${port}`;
  logger.info(
    { host: config.server.host, port, store: store.type, datasources: sources.map((s) => `${s.name} (${s.type})`) },
    'vigil sidecar listening'
  );

  let closed: Promise<void> | undefined;
  const handle: ServerHandle = {
    url,
    port,
    app,
    store,
    logger,
    metrics,
    detection,
    rules,
    notify,
    live,
    ha,
    close() {
      closed ??= (async () => {
        closing = true;
        logger.info({ inFlight }, 'shutting down: draining in-flight requests');
        // Open streams end now: they never finish on their own, so the drain would wait out its timeout.
        live.close();
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => {
          logger.warn(
            { inFlight, timeoutMs: config.server.shutdownTimeoutMs },
            'drain timeout: closing remaining connections'
          );
          server.closeAllConnections();
        }, config.server.shutdownTimeoutMs);
        timer.unref();
        // Detector runs in flight finish (or are aborted after the same grace) and save their state.
        await detection.stop(config.server.shutdownTimeoutMs);
        // Evaluations in flight commit (or are aborted after the grace) before the store closes.
        await ruleFiles.stop();
        await rules.stop(config.server.shutdownTimeoutMs);
        // After the rules (their last commit may have queued alerts); sends in flight get the same grace.
        await notify.stop(config.server.shutdownTimeoutMs);
        // Last of the engines: the lease is handed over once nothing here evaluates any more.
        await ha.stop();
        await drained;
        clearTimeout(timer);
        await store.close();
        running.delete(handle);
        logger.info('shut down');
        // Wait for the line to be written: the caller may exit the process right after.
        await new Promise<void>((resolve) => logger.flush(() => resolve()));
      })();
      return closed;
    },
  };
  running.add(handle);
  return handle;
}

/** Stops every server this process started (tests' afterAll, embedding). */
export async function stopServer(): Promise<void> {
  await Promise.all([...running].map((h) => h.close()));
}
