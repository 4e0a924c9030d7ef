/**
 * Slack incoming-webhook message for one alert group: the guide's `send_slack_alert` Block Kit message
 * (header, Service / Current Value / Threshold / Duration fields, description, dashboard and runbook
 * buttons, attachment colour by severity) and its resolved counterpart, kept within Block Kit's
 * documented limits (https://api.slack.com/reference/block-kit/blocks) by truncation, because Slack
 * answers `invalid_blocks` to the whole message when one field is too long.
 */
import type { Severity } from '@vigil/core';
import { formatNumber, renderTemplate, templateFields, truncate, type TemplateFields } from '../fields';
import type { Notification, NotificationAlert } from '../types';

/** Block Kit limits Vigil enforces (counted in characters). */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  url: 3000,
  fallbackText: 3000,
} as const;

/** The guide's colour map, plus green for resolved. */
export const SLACK_COLORS: Record<Severity | 'resolved', string> = {
  critical: '#FF0000',
  error: '#FF8800',
  warning: '#FFCC00',
  info: '#0099FF',
  resolved: '#36A64F',
};

/** A Block Kit text object. */
export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
}

/** The Block Kit blocks Vigil sends. */
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'actions'; elements: Array<{ type: 'button'; text: SlackText; url: string }> };

/** The body POSTed to the incoming webhook URL. */
export interface SlackMessage {
  /** Fallback for notifications and clients without blocks. */
  text: string;
  channel?: string;
  attachments: Array<{ color: string; blocks: SlackBlock[] }>;
}

/** Channel settings. */
export interface SlackOptions {
  /** Epoch ms used to date a firing group's duration. */
  now: number;
  /** Channel override (legacy webhooks honour it; app webhooks post to their own channel). */
  channel?: string;
  /** Header template (the channel's `title`), shown after `🚨 ` while firing and `✅ RESOLVED: ` once resolved. */
  titleTemplate?: string;
  /** Description template (the channel's `body`); default the `description` annotation, else the summary. */
  bodyTemplate?: string;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes, then truncates so that the escaped text fits (escaping lengthens it). */
function mrkdwn(label: string, value: string, max: number): SlackText {
  const prefix = label ? `*${label}:* ` : '';
  return { type: 'mrkdwn', text: prefix + truncate(escapeMrkdwn(value), max - prefix.length) };
}

function plain(text: string, max: number): SlackText {
  return { type: 'plain_text', text: truncate(text, max) };
}

function alertLine(a: NotificationAlert): string {
  const labels = Object.entries(a.labels)
    .filter(([k]) => k !== 'alertname' && k !== 'severity')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const state = a.status === 'firing' ? '🔥' : '✅';
  return `${state} ${labels || '(no labels)'}: value ${formatNumber(a.value)}, threshold ${formatNumber(a.threshold)}`;
}

function buttons(f: TemplateFields): SlackBlock | undefined {
  const elements: Array<{ type: 'button'; text: SlackText; url: string }> = [];
  // Only when the URL exists and fits: a cut URL would be a broken link, so drop it instead.
  for (const [label, url] of [
    ['View Dashboard', f.dashboardURL],
    ['View Runbook', f.runbookURL],
  ] as const) {
    if (url && url.length <= SLACK_LIMITS.url) {
      elements.push({ type: 'button', text: plain(label, SLACK_LIMITS.buttonText), url });
    }
  }
  return elements.length > 0 ? { type: 'actions', elements } : undefined;
}

/**
 * Builds the Slack message for a notification. Groups of several alerts list them one section each,
 * as many as fit in the 50-block limit, then a context line counts the rest.
 */
export function buildSlackMessage(n: Notification, opts: SlackOptions): SlackMessage {
  const f = templateFields(n, opts.now);
  const resolved = n.status === 'resolved';
  // A header is one line: a template's line breaks become spaces.
  const custom =
    opts.titleTemplate === undefined ? undefined : renderTemplate(opts.titleTemplate, f).replace(/\s*[\r\n]+\s*/g, ' ');
  const title = resolved ? `✅ RESOLVED: ${custom ?? f.name}` : `🚨 ${custom ?? `${f.severityUpper}: ${f.name}`}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: plain(title, SLACK_LIMITS.headerText) },
    {
      type: 'section',
      fields: [
        mrkdwn('Service', f.service, SLACK_LIMITS.fieldText),
        mrkdwn(resolved ? 'Last Value' : 'Current Value', f.value, SLACK_LIMITS.fieldText),
        mrkdwn('Threshold', f.threshold, SLACK_LIMITS.fieldText),
        mrkdwn(resolved ? 'Lasted' : 'Duration', f.duration, SLACK_LIMITS.fieldText),
      ],
    },
  ];
  const description =
    opts.bodyTemplate === undefined ? f.description || f.summary : renderTemplate(opts.bodyTemplate, f);
  if (description) {
    blocks.push({ type: 'section', text: mrkdwn('Description', description, SLACK_LIMITS.sectionText) });
  }
  const actions = buttons(f);
  if (n.alerts.length > 1) {
    // Reserve room for the actions block and the "… more" context line.
    const room = SLACK_LIMITS.blocks - blocks.length - (actions ? 1 : 0) - 1;
    const shown = n.alerts.slice(0, room);
    for (const a of shown) {
      blocks.push({ type: 'section', text: mrkdwn('', alertLine(a), SLACK_LIMITS.sectionText) });
    }
    if (n.alerts.length > shown.length) {
      blocks.push({ type: 'context', elements: [plain(`…and ${n.alerts.length - shown.length} more alerts`, 200)] });
    }
  }
  if (actions) {
    blocks.push(actions);
  }
  const message: SlackMessage = {
    text: truncate(`${title}: ${f.summary}`, SLACK_LIMITS.fallbackText),
    attachments: [{ color: resolved ? SLACK_COLORS.resolved : SLACK_COLORS[f.severity], blocks }],
  };
  if (opts.channel) {
    message.channel = opts.channel;
  }
  return message;
}
