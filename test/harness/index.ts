// Real-server test harness: Prometheus, InfluxDB and Alertmanager from their Debian packages, each on a
// free loopback port with a temporary data dir, ready when returned, cleaned up by stop() (and by a
// process-exit hook if a test dies first). Used by Jest tests and by the demo (demo/run.ts).
//
//   const prom = await startPrometheus({ remoteWrite: true });
//   try { await remoteWrite(prom.url, series); ... } finally { await prom.stop(); }

export { freePort, isPortFree, findBinary, sleep, ServerStartError } from './process';
export type { ServerHandle } from './process';
export {
  startPrometheus,
  prometheusConfig,
  backfillOpenMetrics,
  queryPrometheus,
  queryPrometheusRange,
  promtoolBinary,
} from './prometheus';
export type { PrometheusOptions, PrometheusHandle, ScrapeJob, PromSample } from './prometheus';
export { startInflux, influxConfig, influxQuery, writeInfluxLines } from './influx';
export type { InfluxOptions, InfluxHandle, InfluxSeries } from './influx';
export { startPostgres, postgresBinDir } from './postgres';
export type { PostgresOptions, PostgresHandle } from './postgres';
export { startAlertmanager, alertmanagerConfig, pushAlerts, listAlerts } from './alertmanager';
export type { AlertmanagerOptions, AlertmanagerHandle, PostableAlert } from './alertmanager';
export { toOpenMetrics, encodeWriteRequest, snappyEncodeLiteral, remoteWrite } from './series';
export type { Series } from './series';
export { waitFor } from './wait';
export { startLoopbackServer, startWebhookSink, webhookNotificationKey, IDEMPOTENCY_HEADER } from './loopback';
export type { LoopbackServer, LoopbackOptions, ReceivedRequest, FailSpec, Reply } from './loopback';
export { startPagerDutyFake, pagerDutyEventErrors } from './pagerduty';
export type { PagerDutyFake, PagerDutyOutcome, PagerDutyAlertEvent } from './pagerduty';
export { startSlackFake, slackMessageError, BLOCK_KIT_LIMITS } from './slack';
export type { SlackFake } from './slack';
export { startSmtpServer } from './smtp';
export type { SmtpServerHandle, SmtpServerOptions, ReceivedMail } from './smtp';
