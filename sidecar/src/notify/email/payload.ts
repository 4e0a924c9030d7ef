/**
 * Email for one alert group: subject `[SEVERITY] name` (`… RESOLVED` once resolved), a plain-text and
 * an HTML body built from the documented template fields (see `TemplateFields` in ../fields.ts). Every
 * value in the HTML is escaped: labels and annotations come from metrics and rule authors, and an
 * unescaped `<script>` or `<img onerror>` in a mail client is an injection.
 */
import { formatNumber, renderTemplate, templateFields, truncate, type TemplateFields } from '../fields';
import type { Notification, NotificationAlert } from '../types';

/** Subject template used when the channel sets none. */
export const DEFAULT_SUBJECT = '[{{severityUpper}}] {{name}}';

/** Longest subject (RFC 5322 recommends lines ≤ 78; mail clients cut long subjects anyway). */
export const MAX_SUBJECT = 250;

/** Alerts listed in a mail; a group of thousands would make a mail nobody reads, so the rest are counted. */
export const MAX_LISTED_ALERTS = 100;

/** One line per listed alert, then `…and N more alerts` when cut. */
function alertLines(n: Notification): string[] {
  const lines = n.alerts
    .slice(0, MAX_LISTED_ALERTS)
    .map((a) => `[${a.status}] ${labelText(a)} value=${formatNumber(a.value)} since ${a.startsAt}`);
  if (n.alerts.length > MAX_LISTED_ALERTS) {
    lines.push(`…and ${n.alerts.length - MAX_LISTED_ALERTS} more alerts`);
  }
  return lines;
}

/** A rendered email (headers such as From/To belong to the transport). */
export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

/** Channel settings. */
export interface EmailOptions {
  /** Epoch ms used to date a firing group's duration. */
  now: number;
  /** Subject template over the template fields, default {@link DEFAULT_SUBJECT}. */
  subjectTemplate?: string;
  /** Intro template (the channel's `body`): replaces the summary and description paragraphs of both bodies. */
  bodyTemplate?: string;
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only http(s) links become hrefs: a `javascript:` runbook URL must not be clickable. */
function safeHref(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? url : undefined;
}

function labelText(a: NotificationAlert): string {
  return Object.entries(a.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function summaryRows(f: TemplateFields): Array<[string, string]> {
  return [
    ['Status', f.statusUpper],
    ['Severity', f.severityUpper],
    ['Service', f.service],
    [f.status === 'resolved' ? 'Last Value' : 'Current Value', f.value],
    ['Threshold', f.threshold],
    [f.status === 'resolved' ? 'Lasted' : 'Duration', f.duration],
  ];
}

/** The intro paragraphs: the rendered body template, else the summary and the description. */
function intro(f: TemplateFields, bodyTemplate: string | undefined): string[] {
  if (bodyTemplate !== undefined) {
    return [renderTemplate(bodyTemplate, f).replace(/\r\n?/g, '\n').trim()].filter(Boolean);
  }
  return [f.summary, f.description].filter(Boolean);
}

function textBody(n: Notification, f: TemplateFields, paragraphs: string[]): string {
  const lines = [`${f.statusUpper}: ${f.name}`, ''];
  for (const p of paragraphs) {
    lines.push(p, '');
  }
  lines.push(...summaryRows(f).map(([k, v]) => `${k}: ${v}`), '');
  lines.push(`Alerts (${f.firingCount} firing, ${f.resolvedCount} resolved):`);
  lines.push(...alertLines(n).map((l) => `- ${l}`));
  lines.push('');
  if (f.dashboardURL) {
    lines.push(`Dashboard: ${f.dashboardURL}`);
  }
  if (f.runbookURL) {
    lines.push(`Runbook: ${f.runbookURL}`);
  }
  if (f.externalURL) {
    lines.push(`Vigil: ${f.externalURL}`);
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function link(label: string, url: string): string {
  const href = safeHref(url);
  return href ? `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>` : `${escapeHtml(label)}: ${escapeHtml(url)}`;
}

function htmlBody(n: Notification, f: TemplateFields, paragraphs: string[]): string {
  const e = escapeHtml;
  const rows = summaryRows(f)
    .map(([k, v]) => `<tr><th align="left">${e(k)}</th><td>${e(v)}</td></tr>`)
    .join('\n');
  const alerts = alertLines(n)
    .map((l) => `<li>${e(l)}</li>`)
    .join('\n');
  const links = [
    f.dashboardURL ? link('View Dashboard', f.dashboardURL) : '',
    f.runbookURL ? link('View Runbook', f.runbookURL) : '',
    f.externalURL ? link('Open Vigil', f.externalURL) : '',
  ].filter(Boolean);
  return [
    '<!DOCTYPE html>',
    '<html><body>',
    `<h2>${e(f.statusUpper)}: ${e(f.name)}</h2>`,
    ...paragraphs.map((p) => `<p>${e(p).replace(/\n/g, '<br>\n')}</p>`),
    `<table>\n${rows}\n</table>`,
    `<h3>Alerts (${e(f.firingCount)} firing, ${e(f.resolvedCount)} resolved)</h3>`,
    `<ul>\n${alerts}\n</ul>`,
    links.length > 0 ? `<p>${links.join(' | ')}</p>` : '',
    '</body></html>',
    '',
  ]
    .filter((l, i, all) => l !== '' || i === all.length - 1)
    .join('\n');
}

/** Builds the email for a notification. */
export function buildEmail(n: Notification, opts: EmailOptions): EmailMessage {
  const f = templateFields(n, opts.now);
  let subject = renderTemplate(opts.subjectTemplate ?? DEFAULT_SUBJECT, f);
  if (n.status === 'resolved') {
    subject += ' RESOLVED';
  }
  // Header injection guard: a subject never carries a line break (nodemailer folds, but be explicit).
  subject = truncate(subject.replace(/[\r\n]+/g, ' '), MAX_SUBJECT);
  const paragraphs = intro(f, opts.bodyTemplate);
  return { subject, text: textBody(n, f, paragraphs), html: htmlBody(n, f, paragraphs) };
}
