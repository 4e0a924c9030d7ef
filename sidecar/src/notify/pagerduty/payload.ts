/**
 * PagerDuty Events API v2 event for one alert group
 * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/), the guide's
 * `send_pagerduty_alert` within the API's limits, and as Alertmanager's notify/pagerduty builds it:
 * `dedup_key` is the SHA-256 of the group key (stable across repeats, so trigger and resolve meet the
 * same incident), `summary` is cut to 1024 characters, an event over 512 KB drops its per-alert details.
 */
import { createHash } from 'node:crypto';
import type { Severity } from '@vigil/core';
import { VigilError } from '../../errors';
import { formatNumber, renderTemplate, templateFields, truncate } from '../fields';
import type { Notification } from '../types';

/** PagerDuty's documented limits. */
export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255, eventBytes: 512000 } as const;

/** `event_action` values Vigil sends. */
export type PagerDutyEventAction = 'trigger' | 'resolve';

/** A link shown on the incident. */
export interface PagerDutyLink {
  href: string;
  text: string;
}

/** The body POSTed to `/v2/enqueue`. */
export interface PagerDutyEvent {
  routing_key: string;
  event_action: PagerDutyEventAction;
  dedup_key: string;
  payload: {
    summary: string;
    source: string;
    severity: Severity;
    timestamp?: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  client: string;
  client_url?: string;
  links: PagerDutyLink[];
}

/** Channel settings; `routingKey` is a secret and never appears in an error. */
export interface PagerDutyOptions {
  routingKey: string;
  /** Epoch ms used to date a firing group's duration. */
  now: number;
  /** Name shown as the event's client (default `Vigil`). */
  client?: string;
  /** Summary template (the channel's `title`) after the `[FIRING:n]`/`[RESOLVED]` prefix; default `{{summary}}`. */
  titleTemplate?: string;
  /** `custom_details.description` template (the channel's `body`); default the `description` annotation. */
  bodyTemplate?: string;
}

/** Stable PagerDuty dedup key of a group: hex SHA-256 of the group key (64 chars, within 255). */
export function pagerDutyDedupKey(groupKey: string): string {
  return createHash('sha256').update(groupKey).digest('hex');
}

function links(n: Notification, runbook: string, dashboard: string): PagerDutyLink[] {
  const out: PagerDutyLink[] = [];
  if (dashboard) {
    out.push({ href: dashboard, text: 'View Dashboard' });
  }
  if (runbook) {
    out.push({ href: runbook, text: 'View Runbook' });
  }
  const generator = n.alerts.find((a) => a.generatorURL)?.generatorURL;
  if (generator) {
    out.push({ href: generator, text: 'Source' });
  }
  return out;
}

/** Builds the Events v2 event for a notification: trigger while firing, resolve once resolved. */
export function buildPagerDutyEvent(n: Notification, opts: PagerDutyOptions): PagerDutyEvent {
  if (!opts.routingKey) {
    // Say what is missing, never echo the key itself (it is a secret).
    throw new VigilError('invalid_channel', `PagerDuty receiver "${n.receiver}": routing key is empty`, {
      status: 400,
    });
  }
  const f = templateFields(n, opts.now);
  const firing = n.alerts.filter((a) => a.status === 'firing').length;
  const prefix = n.status === 'firing' ? `[FIRING:${firing}]` : '[RESOLVED]';
  const labels = n.commonLabels;
  const starts = n.alerts.map((a) => a.startsAt).sort();
  // The summary is the incident's one-line title: a template's line breaks become spaces.
  const title =
    opts.titleTemplate === undefined ? f.summary : renderTemplate(opts.titleTemplate, f).replace(/\s*[\r\n]+\s*/g, ' ');
  const description = opts.bodyTemplate === undefined ? f.description : renderTemplate(opts.bodyTemplate, f);
  const event: PagerDutyEvent = {
    routing_key: opts.routingKey,
    event_action: n.status === 'firing' ? 'trigger' : 'resolve',
    dedup_key: pagerDutyDedupKey(n.groupKey),
    payload: {
      summary: truncate(`${prefix} ${title}`, PAGERDUTY_LIMITS.summary),
      // The guide's mapping: source = what is measured, component = service, group = component label.
      source: truncate(labels.instance || labels.job || f.name, 1024),
      severity: f.severity,
      ...(starts[0] ? { timestamp: starts[0] } : {}),
      component: truncate(labels.service || 'unknown', 1024),
      group: truncate(labels.component || 'platform', 1024),
      class: truncate(labels.alert_type || 'metric', 1024),
      custom_details: {
        value: f.value,
        threshold: f.threshold,
        duration: f.duration,
        runbook: f.runbookURL || undefined,
        dashboard: f.dashboardURL || undefined,
        description: description || undefined,
        firing: firing,
        resolved: n.alerts.length - firing,
        alerts: n.alerts.map((a) => ({
          status: a.status,
          labels: a.labels,
          value: formatNumber(a.value),
          threshold: formatNumber(a.threshold),
          startsAt: a.startsAt,
        })),
      },
    },
    client: opts.client ?? 'Vigil',
    ...(n.externalURL ? { client_url: n.externalURL } : {}),
    links: links(n, f.runbookURL, f.dashboardURL),
  };
  return fitEventSize(event);
}

/**
 * PagerDuty refuses events over 512 KB. Like Alertmanager, drop the bulky part (per-alert details, then
 * the description) and say so, rather than lose the page.
 */
function fitEventSize(event: PagerDutyEvent): PagerDutyEvent {
  const size = (): number => Buffer.byteLength(JSON.stringify(event));
  const details = event.payload.custom_details;
  if (size() > PAGERDUTY_LIMITS.eventBytes) {
    details.alerts = `omitted: the event exceeded PagerDuty's ${PAGERDUTY_LIMITS.eventBytes}-byte limit`;
  }
  if (size() > PAGERDUTY_LIMITS.eventBytes) {
    for (const key of ['description', 'runbook', 'dashboard', 'value', 'threshold']) {
      if (typeof details[key] === 'string') {
        details[key] = truncate(details[key] as string, 4096);
      }
    }
    event.links = event.links.filter((l) => l.href.length <= 2048); // a cut URL is a broken link
  }
  return event;
}
