import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notification } from '../types';
import {
  buildSlackMessage,
  escapeMrkdwn,
  SLACK_COLORS,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
} from './payload';

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

/** Every Block Kit limit Vigil promises, checked on a built message. */
function expectWithinLimits(m: SlackMessage): void {
  const blocks: SlackBlock[] = m.attachments.flatMap((a) => a.blocks);
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const b of blocks) {
    if (b.type === 'header') {
      expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    } else if (b.type === 'section') {
      expect((b.text?.text ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect((b.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of b.fields ?? []) {
        expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      }
    } else if (b.type === 'actions') {
      for (const e of b.elements) {
        expect(e.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
        expect(e.url.length).toBeLessThanOrEqual(SLACK_LIMITS.url);
      }
    }
  }
}

describe('buildSlackMessage', () => {
  it('matches the golden firing and resolved messages', () => {
    golden(
      'slack-firing.json',
      JSON.stringify(buildSlackMessage(load('notification-firing.json'), { now: NOW, channel: '#alerts' }), null, 2) +
        '\n'
    );
    golden(
      'slack-resolved.json',
      JSON.stringify(buildSlackMessage(load('notification-resolved.json'), { now: NOW }), null, 2) + '\n'
    );
  });

  it('follows the guide: header, four fields, description, buttons, colour by severity', () => {
    const m = buildSlackMessage(load('notification-firing.json'), { now: NOW });
    const [header, fields, description] = m.attachments[0].blocks;
    expect(header).toEqual({ type: 'header', text: { type: 'plain_text', text: '🚨 CRITICAL: HighLatency' } });
    expect(fields.type === 'section' && fields.fields?.map((f) => f.text.split(':*')[0])).toEqual([
      '*Service',
      '*Current Value',
      '*Threshold',
      '*Duration',
    ]);
    expect(description.type === 'section' && description.text?.text).toContain('&amp; rising &lt;fast&gt;');
    expect(m.attachments[0].color).toBe(SLACK_COLORS.critical);
    const actions = m.attachments[0].blocks.at(-1);
    expect(actions?.type === 'actions' && actions.elements.map((e) => e.text.text)).toEqual([
      'View Dashboard',
      'View Runbook',
    ]);
  });

  it('shows buttons only for URLs that exist', () => {
    const n = load('notification-firing.json');
    delete n.commonAnnotations.runbook_url;
    const m = buildSlackMessage(n, { now: NOW });
    const actions = m.attachments[0].blocks.filter((b) => b.type === 'actions');
    expect(actions).toHaveLength(1);
    expect(actions[0].type === 'actions' && actions[0].elements.map((e) => e.text.text)).toEqual(['View Dashboard']);
    delete n.commonAnnotations.dashboard_url;
    expect(buildSlackMessage(n, { now: NOW }).attachments[0].blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it.each(['critical', 'error', 'warning', 'info'] as const)('colours %s as the guide does', (severity) => {
    const n = load('notification-firing.json');
    n.commonLabels.severity = severity;
    n.alerts.forEach((a) => (a.labels.severity = severity));
    expect(buildSlackMessage(n, { now: NOW }).attachments[0].color).toBe(SLACK_COLORS[severity]);
  });

  it('stays within Block Kit limits for huge inputs', () => {
    const n = load('notification-firing.json');
    const huge = '<&>'.repeat(20000);
    n.commonLabels = { alertname: 'A'.repeat(5000), service: huge, severity: 'critical' };
    n.commonAnnotations = {
      description: huge,
      runbook_url: 'https://x/' + 'r'.repeat(5000),
      dashboard_url: 'https://d/',
    };
    n.alerts = Array.from({ length: 500 }, (_, i) => ({
      ...n.alerts[0],
      fingerprint: String(i),
      labels: { big: huge },
      value: 1e300,
    }));
    const m = buildSlackMessage(n, { now: NOW });
    expectWithinLimits(m);
    const blocks = m.attachments[0].blocks;
    expect(blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(blocks.at(-2)).toEqual({
      type: 'context',
      elements: [{ type: 'plain_text', text: '…and 455 more alerts' }],
    });
    // The too-long runbook URL is dropped, not cut into a broken link.
    expect(blocks.at(-1)?.type === 'actions' && blocks.at(-1)).toMatchObject({ elements: [{ url: 'https://d/' }] });
    expect(m.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });

  it('escapes mrkdwn control characters', () => {
    expect(escapeMrkdwn('<!channel> & <http://x|y>')).toBe('&lt;!channel&gt; &amp; &lt;http://x|y&gt;');
  });
});
