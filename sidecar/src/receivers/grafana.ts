// Parser for Grafana Alerting's webhook contact point payload (version "1": receiver, status, orgId,
// alerts[] with values/valueString/silenceURL/dashboardURL/panelURL, group and common labels, title,
// state, message). Same strictness and output as the Alertmanager parser: refused whole on any error.
import { RECEIVER_LIMITS, type ParseResult, type ReceivedAlert } from './types';
import {
  Errors,
  alertFingerprint,
  alertsArray,
  child,
  describe,
  kind,
  mapSeverity,
  object,
  optString,
  status,
  stringMap,
  time,
} from './validate';

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

/** Parses one alert of `alerts[]`; undefined when it had errors (already recorded). */
function parseAlert(v: unknown, path: string, errs: Errors): ReceivedAlert | undefined {
  const o = object(v, path, errs);
  if (!o) {
    return undefined;
  }
  const before = errs.list.length;
  const st = status(o, path, errs, true);
  const labels = stringMap(o.labels, child(path, 'labels'), errs, false);
  const annotations = stringMap(o.annotations, child(path, 'annotations'), errs, true);
  const startsAt = time(o, 'startsAt', path, errs, true);
  if (startsAt === null) {
    errs.add(child(path, 'startsAt'), 'must be set (got the zero time)');
  }
  const endsAt = time(o, 'endsAt', path, errs, false);
  const values = parseValues(o.values, child(path, 'values'), errs);
  const generatorURL = optString(o, 'generatorURL', path, errs);
  const fp = optString(o, 'fingerprint', path, errs, RECEIVER_LIMITS.maxNameLength);
  const dashboardURL = optString(o, 'dashboardURL', path, errs);
  const panelURL = optString(o, 'panelURL', path, errs);
  optString(o, 'silenceURL', path, errs);
  optString(o, 'imageURL', path, errs);
  optString(o, 'valueString', path, errs);
  if (
    errs.list.length > before ||
    !st ||
    !labels ||
    !annotations ||
    typeof startsAt !== 'number' ||
    endsAt === undefined ||
    !values
  ) {
    return undefined;
  }
  // Links Grafana sends beside the annotations; kept where routing templates look (annotations).
  if (dashboardURL && annotations.dashboard_url === undefined) {
    annotations.dashboard_url = dashboardURL;
  }
  if (panelURL && annotations.panel_url === undefined) {
    annotations.panel_url = panelURL;
  }
  const alert: ReceivedAlert = {
    source: 'grafana',
    status: st,
    labels,
    annotations,
    startsAt,
    endsAt,
    fingerprint: alertFingerprint(fp, 'grafana', labels),
    severity: mapSeverity(labels.severity),
  };
  const numbers = Object.values(values);
  if (numbers.length === 1 && typeof numbers[0] === 'number') {
    alert.value = numbers[0];
  }
  if (generatorURL) {
    alert.generatorURL = generatorURL;
  }
  return alert;
}

/**
 * Validates a Grafana Alerting webhook body (already JSON-parsed) and turns each alert into a
 * {@link ReceivedAlert}. Never throws; on any problem returns `ok: false` with JSON paths.
 */
export function parseGrafanaWebhook(body: unknown): ParseResult {
  const errs = new Errors();
  try {
    const o = object(body, '$', errs);
    if (!o) {
      return { ok: false, errors: errs.list };
    }
    if (o.version !== undefined && o.version !== '1') {
      errs.add('$.version', `must be "1", got ${describe(o.version)}`);
    }
    status(o, '$', errs, true);
    for (const key of ['receiver', 'externalURL', 'groupKey', 'title', 'state', 'message']) {
      optString(o, key, '$', errs);
    }
    for (const key of ['groupLabels', 'commonLabels', 'commonAnnotations']) {
      stringMap(o[key], child('$', key), errs, true);
    }
    for (const key of ['orgId', 'truncatedAlerts']) {
      const n = o[key];
      if (n !== undefined && !(typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) {
        errs.add(child('$', key), `must be a non-negative integer, got ${kind(n)}`);
      }
    }
    const items = alertsArray(o, '$', errs);
    const alerts: ReceivedAlert[] = [];
    if (items) {
      for (let i = 0; i < items.length && !errs.full; i++) {
        const a = parseAlert(items[i], `$.alerts[${i}]`, errs);
        if (a) {
          alerts.push(a);
        }
      }
    }
    return errs.list.length > 0 ? { ok: false, errors: errs.list } : { ok: true, alerts };
  } catch (err) {
    // Not expected (nothing above throws on JSON values), but a receiver must answer 400, never 500.
    return { ok: false, errors: [{ path: '$', message: `unreadable body: ${(err as Error).message}` }] };
  }
}
