import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notification } from '../types';
import { buildPagerDutyEvent, pagerDutyDedupKey, PAGERDUTY_LIMITS } from './payload';

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

const KEY = 'R0UTINGKEY0000000000000000000001';

describe('buildPagerDutyEvent', () => {
  it('matches the golden trigger and resolve events', () => {
    golden(
      'pagerduty-firing.json',
      JSON.stringify(buildPagerDutyEvent(load('notification-firing.json'), { routingKey: KEY, now: NOW }), null, 2) +
        '\n'
    );
    golden(
      'pagerduty-resolved.json',
      JSON.stringify(buildPagerDutyEvent(load('notification-resolved.json'), { routingKey: KEY, now: NOW }), null, 2) +
        '\n'
    );
  });

  it('keeps one dedup key per group across trigger and resolve', () => {
    const firing = load('notification-firing.json');
    const resolved: Notification = {
      ...firing,
      status: 'resolved',
      alerts: firing.alerts.map((a) => ({ ...a, status: 'resolved', endsAt: '2026-12-07T02:09:00Z' })),
    };
    const t = buildPagerDutyEvent(firing, { routingKey: KEY, now: NOW });
    const r = buildPagerDutyEvent(resolved, { routingKey: KEY, now: NOW });
    expect(t.event_action).toBe('trigger');
    expect(r.event_action).toBe('resolve');
    expect(r.dedup_key).toBe(t.dedup_key);
    expect(t.dedup_key).toBe(pagerDutyDedupKey(firing.groupKey));
    expect(t.dedup_key).toMatch(/^[0-9a-f]{64}$/);
    expect(pagerDutyDedupKey('other')).not.toBe(t.dedup_key);
  });

  it('cuts a huge summary to 1024 characters ending with an ellipsis', () => {
    const n = load('notification-firing.json');
    n.commonAnnotations.summary = '😀x'.repeat(5000);
    const e = buildPagerDutyEvent(n, { routingKey: KEY, now: NOW });
    expect(e.payload.summary.length).toBeLessThanOrEqual(PAGERDUTY_LIMITS.summary);
    expect(e.payload.summary.endsWith('…')).toBe(true);
    expect(e.payload.summary.startsWith('[FIRING:2] 😀x')).toBe(true);
    // No lone surrogate before the cut: it would not survive UTF-8 encoding.
    expect(Buffer.from(e.payload.summary, 'utf8').toString('utf8')).toBe(e.payload.summary);
  });

  it('stays under 512 KB with thousands of alerts carrying huge labels', () => {
    const n = load('notification-firing.json');
    const big = 'v'.repeat(2000);
    n.alerts = Array.from({ length: 3000 }, (_, i) => ({
      ...n.alerts[0],
      fingerprint: String(i),
      labels: { ...n.alerts[0].labels, big },
    }));
    n.commonAnnotations.description = 'd'.repeat(600000);
    const e = buildPagerDutyEvent(n, { routingKey: KEY, now: NOW });
    expect(Buffer.byteLength(JSON.stringify(e))).toBeLessThanOrEqual(PAGERDUTY_LIMITS.eventBytes);
    expect(e.payload.custom_details.alerts).toMatch(/omitted/);
  });

  it('defaults an unknown severity to error and maps the guide fields', () => {
    const n = load('notification-resolved.json');
    n.commonLabels = { alertname: 'X', component: 'db', alert_type: 'capacity', service: 'storage' };
    n.alerts[0].labels = { alertname: 'X', severity: 'page-me' };
    const e = buildPagerDutyEvent(n, { routingKey: KEY, now: NOW });
    expect(e.payload).toMatchObject({
      severity: 'error',
      component: 'storage',
      group: 'db',
      class: 'capacity',
      source: 'X',
    });
  });

  it('refuses an empty routing key without echoing secrets', () => {
    expect(() => buildPagerDutyEvent(load('notification-firing.json'), { routingKey: '', now: NOW })).toThrow(
      /oncall.*routing key is empty/
    );
    // A set key never appears in an error message path: only the trigger body carries it.
    const e = buildPagerDutyEvent(load('notification-firing.json'), { routingKey: KEY, now: NOW });
    expect(JSON.stringify({ ...e, routing_key: undefined })).not.toContain(KEY);
  });
});
