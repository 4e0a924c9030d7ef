// Parser for Alertmanager's webhook payload, version 4 (prometheus/alertmanager notify/webhook Message:
// template.Data plus version, groupKey, truncatedAlerts). Strict: a body that is wrong anywhere is
// refused whole, with the JSON path of each problem, so nothing of it reaches routing or the store.
import type { ParseResult } from './types';
import { describe } from './validate';
import { parseAlertFields, parseWebhookBody, type Envelope } from './webhook';

const ENVELOPE: Envelope = {
  versionProblem: (v) => (v === '4' ? null : `must be "4", got ${describe(v)}`),
  strings: ['receiver', 'externalURL', 'groupKey'],
  counts: ['truncatedAlerts'],
};

/**
 * Validates an Alertmanager webhook body (already JSON-parsed) and turns each alert into a
 * `ReceivedAlert`. Never throws; on any problem returns `ok: false` with JSON paths.
 */
export function parseAlertmanagerWebhook(body: unknown): ParseResult {
  return parseWebhookBody(body, ENVELOPE, (o, path, errs) => parseAlertFields(o, path, errs, 'alertmanager'));
}
