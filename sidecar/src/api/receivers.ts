/**
 * Inbound webhooks: `POST /api/v1/receivers/alertmanager` (Alertmanager webhook v4) and
 * `POST /api/v1/receivers/grafana` (Grafana Alerting's webhook contact point). Both are behind the
 * bearer token like all of `/api` (Alertmanager: `http_config.authorization.credentials`; Grafana:
 * the webhook's Authorization header) and the JSON body limit (`server.bodyLimit`, 413 past it).
 * A body is refused whole (400 with the JSON path of each problem) or queued whole: nothing is
 * answered 2xx before the inbox write committed, so Alertmanager's retry covers any failure.
 */
import type { ReceiverResponse } from '@vigil/core';
import { Router, type Request, type RequestHandler } from 'express';
import { VigilError } from '../errors';
import type { NotifyService } from '../notify/service';
import { parseAlertmanagerWebhook } from '../receivers/alertmanager';
import { parseGrafanaWebhook } from '../receivers/grafana';
import type { ParseResult, ReceivedAlert, ReceiverFieldError } from '../receivers/types';
import type { InboundAlert } from '../store';

/** A receiver body that failed validation: 400 `invalid_payload` with each problem's JSON path. */
export class ReceiverPayloadError extends VigilError {
  readonly fields: ReceiverFieldError[];
  constructor(sender: string, fields: ReceiverFieldError[]) {
    const first = fields[0];
    const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
    super(
      'invalid_payload',
      `invalid ${sender} webhook body, nothing stored: ${first ? `${first.path}: ${first.message}` : 'no details'}${more}`,
      { status: 400 }
    );
    this.fields = fields;
  }
}

/**
 * A received alert as a dispatcher update. `severity` stays as the sender labelled it; an alert
 * without one gets the mapped severity (warning) so that routing by severity has a label to match.
 * A resolved alert without an end time ends now; a firing one has no end (the contract of InboundAlert).
 */
export function toInboundAlert(a: ReceivedAlert, now: number): InboundAlert {
  const labels = a.labels.severity === undefined ? { ...a.labels, severity: a.severity } : a.labels;
  const inbound: InboundAlert = {
    fingerprint: a.fingerprint,
    source: a.source,
    status: a.status,
    labels,
    annotations: a.annotations,
    startsAt: a.startsAt,
    endsAt: a.status === 'resolved' ? (a.endsAt ?? now) : null,
    value: a.value ?? null,
    threshold: null,
    actions: [],
    at: now,
  };
  if (a.generatorURL) {
    inbound.generatorURL = a.generatorURL;
  }
  return inbound;
}

/** 415 unless the request declares a JSON body (express.json only parses `application/json`). */
function requireJson(req: Request, sender: string): void {
  if (!req.is('application/json')) {
    const given = req.get('content-type');
    throw new VigilError(
      'unsupported_media_type',
      `the ${sender} webhook body must be JSON: send "Content-Type: application/json"${
        given ? ` (got "${given.slice(0, 80)}")` : ' (none given)'
      }`,
      { status: 415 }
    );
  }
}

function receiver(sender: string, parse: (body: unknown) => ParseResult, notify: NotifyService): RequestHandler {
  return async (req, res) => {
    requireJson(req, sender);
    if (req.body === undefined || req.get('content-length') === '0') {
      throw new ReceiverPayloadError(sender, [{ path: '$', message: 'the body is empty' }]);
    }
    const parsed = parse(req.body);
    if (!parsed.ok) {
      throw new ReceiverPayloadError(sender, parsed.errors);
    }
    const now = Date.now();
    // Durable once this resolves (the inbox row is committed); a failure is a 5xx and the sender retries.
    await notify.receive(parsed.alerts.map((a) => toInboundAlert(a, now)));
    const body: ReceiverResponse = { accepted: parsed.alerts.length };
    res.json(body);
  };
}

/** The two receiver endpoints. */
export function receiversRouter(notify: NotifyService): Router {
  const router = Router();
  router.post('/api/v1/receivers/alertmanager', receiver('Alertmanager', parseAlertmanagerWebhook, notify));
  router.post('/api/v1/receivers/grafana', receiver('Grafana', parseGrafanaWebhook, notify));
  return router;
}
