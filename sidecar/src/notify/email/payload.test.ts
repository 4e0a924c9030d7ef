import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notification } from '../types';
import { buildEmail, escapeHtml, MAX_LISTED_ALERTS, MAX_SUBJECT } from './payload';

const NOW = Date.parse('2026-12-07T02:10:00Z');
const TESTDATA = join(__dirname, '..', 'testdata');

function load(name: string): Notification {
  return JSON.parse(readFileSync(join(TESTDATA, name), 'utf8')) as Notification;
}

/** Compares with a golden file; `UPDATE_GOLDEN=1` rewrites it (review the diff). */
function golden(name: string, actual: string): void {
  const file = join(TESTDATA, name);
  if (process.env.UPDATE_GOLDEN) {
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('buildEmail', () => {
  it('matches the golden firing and resolved mails', () => {
    const firing = buildEmail(load('notification-firing.json'), { now: NOW });
    const resolved = buildEmail(load('notification-resolved.json'), { now: NOW });
    golden('email-firing.txt', `Subject: ${firing.subject}\n\n${firing.text}`);
    golden('email-firing.html', firing.html);
    golden('email-resolved.txt', `Subject: ${resolved.subject}\n\n${resolved.text}`);
    golden('email-resolved.html', resolved.html);
  });

  it('puts severity and name in the subject, RESOLVED once resolved', () => {
    expect(buildEmail(load('notification-firing.json'), { now: NOW }).subject).toBe('[CRITICAL] HighLatency');
    expect(buildEmail(load('notification-resolved.json'), { now: NOW }).subject).toBe('[WARNING] DiskFilling RESOLVED');
  });

  it('renders a subject template over the documented fields', () => {
    const m = buildEmail(load('notification-firing.json'), {
      now: NOW,
      subjectTemplate: '{{ service }}: {{name}} = {{value}} ({{nope}})',
    });
    expect(m.subject).toBe('checkout: HighLatency = 812.346 ()');
  });

  it('escapes every value in the HTML and never links a javascript: URL', () => {
    const n = load('notification-firing.json');
    n.commonLabels.alertname = '<script>alert(1)</script>';
    n.commonAnnotations.summary = '"><img src=x onerror=alert(1)>';
    n.commonAnnotations.runbook_url = 'javascript:alert(1)';
    n.alerts[0].labels.evil = '</li><b>x</b>';
    const { html, subject } = buildEmail(n, { now: NOW });
    expect(html).not.toMatch(/<script|<img|<b>|href="javascript/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('View Runbook: javascript:alert(1)');
    expect(subject).toBe('[CRITICAL] <script>alert(1)</script>'); // a subject is plain text
  });

  it('keeps the subject on one line and bounded', () => {
    const n = load('notification-firing.json');
    n.commonLabels.alertname = 'a\r\nBcc: victim@example.com' + 'x'.repeat(1000);
    const { subject } = buildEmail(n, { now: NOW });
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT);
  });

  it('lists at most MAX_LISTED_ALERTS alerts and counts the rest', () => {
    const n = load('notification-firing.json');
    n.alerts = Array.from({ length: 250 }, (_, i) => ({ ...n.alerts[0], fingerprint: String(i) }));
    const { text, html } = buildEmail(n, { now: NOW });
    expect(text.match(/^- \[firing\]/gm)).toHaveLength(MAX_LISTED_ALERTS);
    expect(text).toContain('- …and 150 more alerts');
    expect(html.match(/<li>/g)).toHaveLength(MAX_LISTED_ALERTS + 1);
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
