// What Alertmanager's and Grafana's webhook bodies share: the envelope's alerts loop and error
// handling, and the fields of each alert (Alertmanager's template.Alert, which Grafana extends).
import { RECEIVER_LIMITS, type ParseResult, type ReceivedAlert, type ReceivedAlertSource } from './types';
import {
  Errors,
  alertFingerprint,
  alertsArray,
  child,
  kind,
  mapSeverity,
  object,
  optString,
  status,
  stringMap,
  time,
} from './validate';

/**
 * Parses the fields every sender's alert has into a {@link ReceivedAlert}; records problems in
 * `errs` and returns undefined when any field was wrong.
 */
export function parseAlertFields(
  o: Record<string, unknown>,
  path: string,
  errs: Errors,
  source: ReceivedAlertSource
): ReceivedAlert | undefined {
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
    source,
    status: st,
    labels,
    annotations,
    startsAt,
    endsAt,
    fingerprint: alertFingerprint(fp, source, labels),
    severity: mapSeverity(labels.severity),
  };
  if (generatorURL) {
    alert.generatorURL = generatorURL;
  }
  return alert;
}

/** A sender's top-level fields besides status, the group and common maps and `alerts`. */
export interface Envelope {
  /** The problem with `$.version`, or null when it is acceptable. */
  versionProblem(version: unknown): string | null;
  /** Optional string fields. */
  strings: readonly string[];
  /** Optional non-negative integer fields. */
  counts: readonly string[];
}

/**
 * Parses a webhook body: the `envelope` fields, then `parseAlert` on each item of `alerts[]`. Never
 * throws; a body wrong anywhere is refused whole with the JSON path of each problem.
 */
export function parseWebhookBody(
  body: unknown,
  envelope: Envelope,
  parseAlert: (o: Record<string, unknown>, path: string, errs: Errors) => ReceivedAlert | undefined
): ParseResult {
  const errs = new Errors();
  try {
    const o = object(body, '$', errs);
    if (!o) {
      return { ok: false, errors: errs.list };
    }
    const versionProblem = envelope.versionProblem(o.version);
    if (versionProblem) {
      errs.add('$.version', versionProblem);
    }
    status(o, '$', errs, true);
    for (const key of envelope.strings) {
      optString(o, key, '$', errs);
    }
    for (const key of ['groupLabels', 'commonLabels', 'commonAnnotations']) {
      stringMap(o[key], child('$', key), errs, true);
    }
    for (const key of envelope.counts) {
      const n = o[key];
      if (n !== undefined && !(typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) {
        errs.add(child('$', key), `must be a non-negative integer, got ${kind(n)}`);
      }
    }
    const items = alertsArray(o, '$', errs);
    const alerts: ReceivedAlert[] = [];
    for (let i = 0; items && i < items.length && !errs.full; i++) {
      const path = `$.alerts[${i}]`;
      const item = object(items[i], path, errs);
      const a = item && parseAlert(item, path, errs);
      if (a) {
        alerts.push(a);
      }
    }
    return errs.list.length > 0 ? { ok: false, errors: errs.list } : { ok: true, alerts };
  } catch (err) {
    // Not expected (nothing above throws on JSON values), but a receiver must answer 400, never 500.
    return { ok: false, errors: [{ path: '$', message: `unreadable body: ${(err as Error).message}` }] };
  }
}
