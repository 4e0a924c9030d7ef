// Parser for Grafana Alerting's webhook contact point payload (version "1": receiver, status, orgId,
// alerts[] with values/valueString/silenceURL/dashboardURL/panelURL, group and common labels, title,
// state, message). Same strictness and output as the Alertmanager parser: refused whole on any error.
import { RECEIVER_LIMITS, type ParseResult, type ReceivedAlert } from './types';
import { child, describe, Errors, kind, object, optString } from './validate';
import { parseAlertFields, parseWebhookBody, type Envelope } from './webhook';

const ENVELOPE: Envelope = {
  // Grafana's version may be absent; when present it is "1".
  versionProblem: (v) => (v === undefined || v === '1' ? null : `must be "1", got ${describe(v)}`),
  strings: ['receiver', 'externalURL', 'groupKey', 'title', 'state', 'message'],
  counts: ['orgId', 'truncatedAlerts'],
};

/** Grafana's `values`: query ref id → number (null when the value was not a number); bounded. */
function parseValues(v: unknown, path: string, errs: Errors): Record<string, number | null> | undefined {
  if (v === undefined || v === null) {
    return {};
  }
  const o = object(v, path, errs);
  if (!o) {
    return undefined;
  }
  const keys = Object.keys(o);
  if (keys.length > RECEIVER_LIMITS.maxLabels) {
    errs.add(path, `must have at most ${RECEIVER_LIMITS.maxLabels} entries, got ${keys.length}`);
    return undefined;
  }
  const out: Record<string, number | null> = {};
  for (const k of keys) {
    const val = o[k];
    if (k.length > RECEIVER_LIMITS.maxNameLength) {
      errs.add(child(path, k), `name must be at most ${RECEIVER_LIMITS.maxNameLength} characters`);
    } else if (val !== null && (typeof val !== 'number' || !Number.isFinite(val))) {
      errs.add(child(path, k), `must be a number, got ${kind(val)}`);
    } else {
      out[k] = val;
    }
  }
  return out;
}

/** Parses one alert of `alerts[]`: the common fields plus Grafana's; undefined when any was wrong. */
function parseAlert(o: Record<string, unknown>, path: string, errs: Errors): ReceivedAlert | undefined {
  const before = errs.list.length;
  const alert = parseAlertFields(o, path, errs, 'grafana');
  const values = parseValues(o.values, child(path, 'values'), errs);
  const dashboardURL = optString(o, 'dashboardURL', path, errs);
  const panelURL = optString(o, 'panelURL', path, errs);
  optString(o, 'silenceURL', path, errs);
  optString(o, 'imageURL', path, errs);
  optString(o, 'valueString', path, errs);
  if (errs.list.length > before || !alert || !values) {
    return undefined;
  }
  // Links Grafana sends beside the annotations; kept where routing templates look (annotations).
  if (dashboardURL && alert.annotations.dashboard_url === undefined) {
    alert.annotations.dashboard_url = dashboardURL;
  }
  if (panelURL && alert.annotations.panel_url === undefined) {
    alert.annotations.panel_url = panelURL;
  }
  const numbers = Object.values(values);
  if (numbers.length === 1 && typeof numbers[0] === 'number') {
    alert.value = numbers[0];
  }
  return alert;
}

/**
 * Validates a Grafana Alerting webhook body (already JSON-parsed) and turns each alert into a
 * `ReceivedAlert`. Never throws; on any problem returns `ok: false` with JSON paths.
 */
export function parseGrafanaWebhook(body: unknown): ParseResult {
  return parseWebhookBody(body, ENVELOPE, parseAlert);
}
