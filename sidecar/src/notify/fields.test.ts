import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatDuration,
  formatNumber,
  groupSeverity,
  renderTemplate,
  templateFields,
  truncate,
  unknownTemplateFields,
} from './fields';
import type { Notification } from './types';

const NOW = Date.parse('2026-12-07T02:10:00Z');
const firing = JSON.parse(
  readFileSync(join(__dirname, 'testdata', 'notification-firing.json'), 'utf8')
) as Notification;

describe('truncate', () => {
  it('leaves short strings and cuts long ones with an ellipsis', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    expect(truncate('abcd', 0)).toBe('');
  });

  it('never splits a surrogate pair', () => {
    const out = truncate('a😀😀', 3);
    expect(out).toBe('a…');
    expect(out.length).toBeLessThanOrEqual(3);
  });
});

describe('formatting', () => {
  it('formats numbers and durations for people', () => {
    expect(formatNumber(812.3456789)).toBe('812.346');
    expect(formatNumber(500)).toBe('500');
    expect(formatNumber(null)).toBe('N/A');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(330_000)).toBe('5m 30s');
    expect(formatDuration(90_061_000)).toBe('1d 1h 1m');
  });
});

describe('templateFields', () => {
  it('takes the most severe severity of the group', () => {
    const n: Notification = {
      ...firing,
      commonLabels: {},
      alerts: [
        { ...firing.alerts[0], labels: { severity: 'info' } },
        { ...firing.alerts[0], labels: { severity: 'error' } },
      ],
    };
    expect(groupSeverity(n)).toBe('error');
  });

  it('dates a firing group from its first start to now', () => {
    const f = templateFields(firing, NOW);
    expect(f).toMatchObject({
      name: 'HighLatency',
      severityUpper: 'CRITICAL',
      service: 'checkout',
      value: '812.346',
      threshold: '500',
      duration: '5m 30s',
      firingCount: '2',
    });
  });

  it('renders templates and reports unknown fields', () => {
    const f = templateFields(firing, NOW);
    expect(renderTemplate('{{statusUpper}} {{ name }} {{bogus}}', f)).toBe('FIRING HighLatency ');
    expect(unknownTemplateFields('{{name}} {{bogus}} {{ other }}')).toEqual(['bogus', 'other']);
  });
});
