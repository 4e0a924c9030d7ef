import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { DetectionService } from '../detection/service';
import type { LiveBus } from '../live/bus';
import type { SidecarMetrics } from '../metrics';
import type { NotifyService } from '../notify/service';
import type { Source } from '../sources';
import type { Store } from '../store';
import { bearerAuth } from './auth';
import { datasourcesRouter } from './datasources';
import { errorHandler, notFoundHandler } from './errors';
import { anomaliesRouter } from './anomalies';
import { detectRouter } from './detect';
import { detectorsRouter } from './detectors';
import { eventsRouter } from './events';
import { healthRouter } from './health';
import type { HaStatus } from '../ha/leadership';
import { incidentsRouter } from './incidents';
import { observe } from './observe';
import { openApiRouter } from './openapi';
import type { RuleEngine } from '../rules/engine';
import { alertsRouter } from './alerts';
import { monitoringAlertsRouter } from './monitoringAlerts';
import { monitoringMetricsRouter } from './monitoringMetrics';
import { notificationsRouter } from './notifications';
import { notifyRouter } from './notify';
import { receiversRouter } from './receivers';
import { rulesRouter } from './rules';
import { silencesRouter } from './silences';
import { slosRouter } from './slos';
import type { SloService } from '../slo/service';
import { streamRouter } from './stream';

/** Everything the HTTP layer needs; built by `server.ts`. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  metrics: SidecarMetrics;
  store: Store;
  sources: readonly Source[];
  detection: DetectionService;
  /** The rule engine (previews, status, reload after a change). */
  rules: RuleEngine;
  /** The notification dispatcher (receivers queue into it; silences and retries wake it). */
  notify: NotifyService;
  /** The live bus behind `GET /api/v1/stream`: publish alert, incident and anomaly changes to it. */
  live: LiveBus;
  /** The SLOs and their burn-rate rules. */
  slos: SloService;
  /** This replica's leadership (issue 14), for the health report. */
  ha?: () => HaStatus;
}

/**
 * Builds the Express app. Routers declare full paths (`/api/v1/...`) and are mounted at the root, so
 * the route table is readable from `app.router.stack` as is (the auth test walks it). Order matters:
 * observe → /metrics (public, like any Prometheus exporter) → auth on all of `/api` → JSON body
 * limit → routers → JSON 404 → JSON error handler.
 */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(observe(deps.logger, deps.metrics));

  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  // Authenticate before parsing, so an anonymous client cannot make us buffer request bodies.
  app.use('/api', bearerAuth(deps.config.auth.token));
  app.use('/api', express.json({ limit: deps.config.server.bodyLimit }));

  app.use(
    healthRouter({
      sources: deps.sources,
      store: deps.store,
      timeoutMs: deps.config.server.healthTimeoutMs,
      token: deps.config.auth.token,
      ha: deps.ha,
    })
  );
  app.use(datasourcesRouter(deps.config.datasources));
  app.use(eventsRouter(deps.store));
  app.use(anomaliesRouter(deps.store));
  app.use(detectorsRouter(deps.detection));
  app.use(detectRouter(deps.sources));
  app.use(rulesRouter(deps));
  app.use(alertsRouter(deps.store));
  app.use(monitoringAlertsRouter(deps));
  app.use(monitoringMetricsRouter(deps.config, deps.sources));
  // Receivers rely on the auth and the JSON body limit above (Alertmanager and Grafana send the token).
  app.use(receiversRouter(deps.notify));
  app.use(silencesRouter(deps));
  app.use(notificationsRouter(deps));
  app.use(notifyRouter(deps.notify));
  app.use(incidentsRouter(deps));
  app.use(
    slosRouter({
      store: deps.store,
      slos: deps.slos,
      datasources: deps.config.datasources.map((d) => d.name),
      sourceFor: (name) => deps.sources.find((src) => src.name === name),
    })
  );
  app.use(streamRouter({ live: deps.live }));
  app.use(openApiRouter());

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
