import type { AnomalyEvent } from '../../api/types';
import { incidentAlert, incidentDetail, stormAlerts, stormTimeline } from '../../testing/incidents';
import {
  alertLinks,
  alertNamer,
  anomaliesAround,
  anomalyServices,
  correlationText,
  rootCauseText,
  suppressionText,
  toAlertRows,
  toTimelineRows,
} from './detailRows';
import { incidentIdFromSearch, incidentUrls, safeHref } from './urls';

const NOW = Date.parse('2026-01-01T10:12:00.000Z');
const ROOT = {
  fingerprint: 'fp-db',
  service: 'database',
  reason: 'most upstream service with an active alert (database)',
};

describe('incident alerts as rows', () => {
  test('members first (the root cause leading), then suppressed; each with why, and its links', () => {
    const rows = toAlertRows(stormAlerts(), ROOT);
    expect(rows.map((r) => [r.fingerprint, r.role, r.rootCause])).toEqual([
      ['fp-db', 'member', true],
      ['fp-gw', 'member', false],
      ['fp-api', 'suppressed', false],
    ]);
    const [db, gw, api] = rows;
    expect(db).toMatchObject({
      name: 'DatabaseDown',
      service: 'database',
      labels: ['instance=db-1', 'service=database'],
      startedUtc: '2026-01-01 10:00:00 UTC',
      summary: 'database is down',
      reason: 'opened the incident',
      suppression: '',
      // A Vigil rule's alert (no generator URL): its rule on the Rules page, by name; and its dashboard.
      links: { rule: '/a/vigil-observability-app/rules?search=DatabaseDown', dashboard: '/d/db-overview' },
    });
    expect(gw.reason).toBe('gateway depends on api: correlated with HighErrorRate (api)');
    expect(gw.links).toEqual({
      rule: '/a/vigil-observability-app/rules?search=GatewayLatency',
      runbook: 'https://runbooks.example/gateway',
    });
    expect(api).toMatchObject({
      reason: 'api depends on database: correlated with DatabaseDown (database)',
      suppression: 'downstream effect of database: DatabaseDown (database) is active',
      summary: '',
      // The sender's generator URL; the javascript: runbook is dropped.
      links: { source: 'http://127.0.0.1:9090/graph?g0.expr=errors' },
    });
  });

  test('reasons of each kind, naming the alert they point at (or its fingerprint when it is not listed)', () => {
    const name = alertNamer(stormAlerts());
    expect(correlationText({ kind: 'same_service', service: 'api', with: 'fp-api' }, name)).toBe(
      'same service (api) as HighErrorRate (api)'
    );
    expect(correlationText({ kind: 'symptom', group: 'latency', with: 'gone' }, name)).toBe(
      'related symptom (latency) of gone'
    );
    expect(suppressionText({ kind: 'higher_severity', by: 'fp-db', severity: 'critical' }, name)).toBe(
      'a correlated critical alert is active: DatabaseDown (database)'
    );
    expect(suppressionText(null, name)).toBe('');
    // A suppressed alert whose reason a newer sidecar put in words we do not know still says suppressed.
    const odd = incidentAlert({ role: 'suppressed', suppression: { kind: 'maintenance' } as never });
    expect(toAlertRows([odd], null)[0].suppression).toBe('suppressed');
  });

  test('an alert without alertname is named by its fingerprint and has no rule link', () => {
    const bare = incidentAlert({
      fingerprint: 'abc',
      labels: { service: 'db' },
      annotations: undefined,
      summary: null,
    });
    const [row] = toAlertRows([bare], null);
    expect([row.name, row.links, row.summary]).toEqual(['abc', {}, '']);
    expect(alertLinks(incidentAlert({ annotations: { dashboard_url: 'https://grafana.example/d/x' } })).dashboard).toBe(
      'https://grafana.example/d/x'
    );
  });

  test('the root cause in words', () => {
    expect(rootCauseText(incidentDetail())).toEqual({
      what: 'database: DatabaseDown',
      why: 'most upstream service with an active alert (database)',
    });
    expect(
      rootCauseText(incidentDetail({ rootCause: { fingerprint: 'x', service: null, reason: 'earliest alert' } }))
    ).toEqual({
      what: 'x',
      why: 'earliest alert',
    });
  });
});

describe('timeline rows', () => {
  test('oldest first, UTC and relative, the user for people and blank for the system', () => {
    const entries = [
      ...stormTimeline(),
      { at: '2026-01-01T10:05:00.000Z', kind: 'acknowledged' as const, message: 'acknowledged: on it', user: 'admin' },
    ].reverse();
    const rows = toTimelineRows(entries, NOW);
    expect(rows.map((r) => [r.kind, r.atUtc, r.ago, r.user])).toEqual([
      ['opened', '2026-01-01 10:00:00 UTC', '12m ago', ''],
      ['alert_suppressed', '2026-01-01 10:01:00 UTC', '11m ago', ''],
      ['alert_joined', '2026-01-01 10:02:00 UTC', '10m ago', ''],
      ['acknowledged', '2026-01-01 10:05:00 UTC', '7m ago', 'admin'],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(4);
  });
});

describe('anomalies around an incident', () => {
  const ev = (over: Partial<AnomalyEvent>): AnomalyEvent => ({
    id: 'a',
    kind: 'anomaly',
    seriesKey: 'latency{service="api"}',
    startedAt: Date.parse('2026-01-01T09:58:00Z'),
    endedAt: null,
    severity: 'warning',
    message: 'Anomaly in latency',
    metadata: {},
    ...over,
  });

  test('the services of an event: its labels and its series key', () => {
    expect(anomalyServices(ev({ metadata: { labels: { service: 'db' } } }))).toEqual(['db', 'api']);
    expect(anomalyServices(ev({ seriesKey: 'cpu{instance="x",service="gateway"}' }))).toEqual(['gateway']);
    expect(anomalyServices(ev({ seriesKey: 'cpu{myservice="x"}' }))).toEqual([]);
  });

  test('of its services, from 5 minutes before it opened to its end (or now)', () => {
    const incident = incidentDetail();
    const events = [
      ev({ id: 'api-before' }),
      ev({
        id: 'api-too-early',
        startedAt: Date.parse('2026-01-01T09:40:00Z'),
        endedAt: Date.parse('2026-01-01T09:50:00Z'),
      }),
      ev({ id: 'other-service', seriesKey: 'latency{service="billing"}' }),
      ev({
        id: 'db-ended-in',
        seriesKey: 'x',
        metadata: { labels: { service: 'database' } },
        endedAt: Date.parse('2026-01-01T09:56:00Z'),
      }),
    ];
    expect(anomaliesAround(incident, events, NOW).map((e) => e.id)).toEqual(['api-before', 'db-ended-in']);
    const resolved = incidentDetail({ state: 'resolved', resolvedAt: '2026-01-01T10:03:00Z' });
    expect(
      anomaliesAround(resolved, [ev({ id: 'after', startedAt: Date.parse('2026-01-01T10:04:00Z') })], NOW)
    ).toEqual([]);
  });
});

describe('incident URLs and links', () => {
  test('detail URL round-trips its id; the list has none', () => {
    expect(incidentUrls.detail('inc/1 x')).toBe('/a/vigil-observability-app/incidents?incident=inc%2F1%20x');
    expect(incidentIdFromSearch('?incident=inc%2F1%20x')).toBe('inc/1 x');
    expect(incidentIdFromSearch('?incident=')).toBeNull();
    expect(incidentIdFromSearch('')).toBeNull();
    expect(incidentUrls.list()).toBe('/a/vigil-observability-app/incidents');
  });

  test.each([
    ['https://grafana.example/d/abc?x=1', 'https://grafana.example/d/abc?x=1'],
    ['http://127.0.0.1:9090/graph', 'http://127.0.0.1:9090/graph'],
    ['/d/abc', '/d/abc'],
    ['  /d/abc ', '/d/abc'],
    ['//evil.example/x', null],
    ['javascript:alert(1)', null],
    ['data:text/html,x', null],
    ['not a url', null],
    [null, null],
  ])('safeHref(%p) = %p', (input, out) => {
    expect(safeHref(input)).toBe(out);
  });
});
