import { incidentView } from '../../testing/incidents';
import {
  alertCountText,
  applyIncidentEvent,
  handledByText,
  matchesFilter,
  sortIncidents,
  toIncidentRow,
  toIncidentRows,
} from './incidentRows';

const NOW = Date.parse('2026-01-01T10:12:00.000Z');

describe('incident rows', () => {
  test('an open incident: root cause and why, opened when, how long so far, its alerts and services', () => {
    expect(toIncidentRow(incidentView(), NOW)).toEqual({
      id: 'inc-1',
      title: 'database: DatabaseDown (+2 alerts)',
      state: 'open',
      severity: 'critical',
      rootCauseService: 'database',
      rootCauseReason: 'most upstream service with an active alert (database)',
      openedUtc: '2026-01-01 10:00:00 UTC',
      openedAgo: '12m ago',
      duration: 'ongoing (12m)',
      alerts: '3 alerts, 1 suppressed',
      services: ['api', 'database', 'gateway'],
      handledBy: '',
    });
  });

  test('acknowledged and resolved incidents say by whom and when; resolved ones how long they lasted', () => {
    const acked = incidentView({
      state: 'acknowledged',
      acknowledgedAt: '2026-01-01T10:10:00Z',
      acknowledgedBy: 'alice',
    });
    expect(toIncidentRow(acked, NOW).handledBy).toBe('acknowledged by alice 2m ago');
    const resolved = incidentView({ state: 'resolved', resolvedAt: '2026-01-01T11:05:30Z', resolvedBy: 'bob' });
    const row = toIncidentRow(resolved, Date.parse('2026-01-01T12:05:30Z'));
    expect(row.duration).toBe('1h 5m');
    expect(row.handledBy).toBe('resolved by bob 1h ago');
    // Nobody resolved it: its alerts did.
    expect(handledByText(incidentView({ state: 'resolved', resolvedAt: '2026-01-01T10:11:00Z' }), NOW)).toBe(
      'resolved with its alerts 1m ago'
    );
  });

  test('a root cause without a service, counts in the singular, an unknown severity', () => {
    const row = toIncidentRow(
      incidentView({
        rootCause: { fingerprint: 'x', service: null, reason: 'earliest alert' },
        alertCount: 1,
        suppressedCount: 0,
        severity: 'fatal' as never,
      }),
      NOW
    );
    expect([row.rootCauseService, row.rootCauseReason, row.alerts, row.severity]).toEqual([
      '—',
      'earliest alert',
      '1 alert',
      'info',
    ]);
    expect(alertCountText(NaN, NaN)).toBe('0 alerts');
  });

  test('order: open, acknowledged, resolved; then most severe; then most recently updated; then id', () => {
    const list = [
      incidentView({ id: 'r', state: 'resolved', severity: 'critical' }),
      incidentView({ id: 'a', state: 'acknowledged' }),
      incidentView({ id: 'o-warn-new', severity: 'warning', updatedAt: '2026-01-01T10:11:00Z' }),
      incidentView({ id: 'o-crit-old', severity: 'critical', updatedAt: '2026-01-01T10:01:00Z' }),
      incidentView({ id: 'o-crit-new', severity: 'critical', updatedAt: '2026-01-01T10:05:00Z' }),
      incidentView({ id: 'o-crit-new2', severity: 'critical', updatedAt: '2026-01-01T10:05:00Z' }),
    ];
    expect(sortIncidents(list).map((i) => i.id)).toEqual([
      'o-crit-new',
      'o-crit-new2',
      'o-crit-old',
      'o-warn-new',
      'a',
      'r',
    ]);
    expect(toIncidentRows(list, NOW)).toHaveLength(6);
  });

  test.each([
    ['active', ['open', 'acknowledged']],
    ['open', ['open']],
    ['acknowledged', ['acknowledged']],
    ['resolved', ['resolved']],
    ['all', ['open', 'acknowledged', 'resolved']],
  ] as const)('filter %s lets %p through', (filter, states) => {
    expect((['open', 'acknowledged', 'resolved'] as const).filter((s) => matchesFilter(s, filter))).toEqual(states);
  });
});

describe('applyIncidentEvent (a live update on a loaded list)', () => {
  const one = incidentView({ id: 'one', updatedAt: '2026-01-01T10:02:00Z' });
  const two = incidentView({ id: 'two', severity: 'warning', updatedAt: '2026-01-01T10:03:00Z' });

  test('a new incident joins the list in its place', () => {
    const fresh = incidentView({ id: 'new', severity: 'error', updatedAt: '2026-01-01T10:05:00Z' });
    expect(applyIncidentEvent([one, two], fresh, 'active').map((i) => i.id)).toEqual(['one', 'new', 'two']);
  });

  test('a changed incident replaces itself; one that no longer matches the filter leaves', () => {
    const acked = {
      ...one,
      state: 'acknowledged' as const,
      acknowledgedBy: 'admin',
      updatedAt: '2026-01-01T10:06:00Z',
    };
    const active = applyIncidentEvent([one, two], acked, 'active');
    expect(active.map((i) => [i.id, i.state])).toEqual([
      ['two', 'open'],
      ['one', 'acknowledged'],
    ]);
    expect(applyIncidentEvent([one, two], acked, 'open').map((i) => i.id)).toEqual(['two']);
    const resolved = { ...one, state: 'resolved' as const, updatedAt: '2026-01-01T10:07:00Z' };
    expect(applyIncidentEvent(active, resolved, 'active').map((i) => i.id)).toEqual(['two']);
    expect(applyIncidentEvent([], resolved, 'active')).toEqual([]);
  });

  test('an event older than the listed incident is ignored (a reload already had newer news)', () => {
    const stale = { ...two, title: 'old title', updatedAt: '2026-01-01T10:00:00Z' };
    expect(applyIncidentEvent([one, two], stale, 'all').find((i) => i.id === 'two')?.title).toBe(two.title);
  });
});
