// Parser for Alertmanager's webhook payload, version 4 (prometheus/alertmanager notify/webhook Message:
// template.Data plus version, groupKey, truncatedAlerts). Strict: a body that is wrong anywhere is
// refused whole, with the JSON path of each problem, so nothing of it reaches routing or the store.
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

/** Parses one alert of `alerts[]` (template.Alert); undefined when it had errors (already recorded). */
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
  const generatorURL = optString(o, 'generatorURL', path, errs);
  const fp = optString(o, 'fingerprint', path, errs, RECEIVER_LIMITS.maxNameLength);
  if (
    errs.list.length > before ||
    !st ||
    !labels ||
    !annotations ||
    typeof startsAt !== 'number' ||
    endsAt === undefined
  ) {
    return undefined;
  }
  const alert: ReceivedAlert = {
    source: 'alertmanager',
    status: st,
    labels,
    annotations,
    startsAt,
    endsAt,
    fingerprint: alertFingerprint(fp, 'alertmanager', labels),
    severity: mapSeverity(labels.severity),
  };
  if (generatorURL) {
    alert.generatorURL = generatorURL;
  }
  return alert;
}

/**
 * Validates an Alertmanager webhook body (already JSON-parsed) and turns each alert into a
 * {@link ReceivedAlert}. Never throws; on any problem returns `ok: false` with JSON paths.
 */
export function parseAlertmanagerWebhook(body: unknown): ParseResult {
  const errs = new Errors();
  try {
    const o = object(body, '$', errs);
    if (!o) {
      return { ok: false, errors: errs.list };
    }
    if (o.version !== '4') {
      errs.add('$.version', `must be "4", got ${describe(o.version)}`);
    }
    status(o, '$', errs, true);
    optString(o, 'receiver', '$', errs);
    optString(o, 'externalURL', '$', errs);
    optString(o, 'groupKey', '$', errs);
    for (const key of ['groupLabels', 'commonLabels', 'commonAnnotations']) {
      stringMap(o[key], child('$', key), errs, true);
    }
    const truncated = o.truncatedAlerts;
    if (
      truncated !== undefined &&
      !(typeof truncated === 'number' && Number.isSafeInteger(truncated) && truncated >= 0)
    ) {
      errs.add('$.truncatedAlerts', `must be a non-negative integer, got ${kind(truncated)}`);
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
