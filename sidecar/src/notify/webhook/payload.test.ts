import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notification } from '../types';
import { buildWebhookMessage, sign, SIGNATURE_HEADER, verifySignature } from './payload';

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

describe('buildWebhookMessage', () => {
  it('matches the golden Alertmanager v4 bodies', () => {
    golden(
      'webhook-firing.json',
      JSON.stringify(buildWebhookMessage(load('notification-firing.json')), null, 2) + '\n'
    );
    golden(
      'webhook-resolved.json',
      JSON.stringify(buildWebhookMessage(load('notification-resolved.json')), null, 2) + '\n'
    );
  });

  it('has exactly the v4 keys, Go zero time while firing, empty generatorURL when unknown', () => {
    const m = buildWebhookMessage(load('notification-firing.json'));
    expect(Object.keys(m).sort()).toEqual(
      [
        'alerts',
        'commonAnnotations',
        'commonLabels',
        'externalURL',
        'groupKey',
        'groupLabels',
        'receiver',
        'status',
        'truncatedAlerts',
        'version',
      ].sort()
    );
    expect(Object.keys(m.alerts[0]).sort()).toEqual([
      'annotations',
      'endsAt',
      'fingerprint',
      'generatorURL',
      'labels',
      'startsAt',
      'status',
    ]);
    expect(m.version).toBe('4');
    expect(m.alerts.map((a) => a.endsAt)).toEqual(['0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z']);
    expect(m.alerts[1].generatorURL).toBe('');
    expect(buildWebhookMessage(load('notification-resolved.json')).alerts[0].endsAt).toBe('2026-12-07T01:45:15Z');
  });

  it('counts alerts left out by maxAlerts in truncatedAlerts', () => {
    const m = buildWebhookMessage(load('notification-firing.json'), 1);
    expect(m.alerts).toHaveLength(1);
    expect(m.truncatedAlerts).toBe(1);
    expect(buildWebhookMessage(load('notification-firing.json'), 0).truncatedAlerts).toBe(0);
  });
});

describe('sign', () => {
  it('is sha256=<hex HMAC-SHA256> of the exact body', () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(sign('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
    );
    expect(SIGNATURE_HEADER).toBe('X-Vigil-Signature');
  });

  it('verifies its own signature and rejects tampering or a wrong secret', () => {
    const body = JSON.stringify(buildWebhookMessage(load('notification-firing.json')));
    const header = sign(body, 's3cret');
    expect(verifySignature(body, 's3cret', header)).toBe(true);
    expect(verifySignature(body + ' ', 's3cret', header)).toBe(false);
    expect(verifySignature(body, 'other', header)).toBe(false);
    expect(verifySignature(body, 's3cret', undefined)).toBe(false);
    expect(verifySignature(body, 's3cret', 'sha256=00')).toBe(false);
  });
});
