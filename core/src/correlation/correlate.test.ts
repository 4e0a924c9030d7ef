import { correlate, correlationReason, suppressionFor, symptomsOf } from './correlate';
import { CORRELATION_DEFAULTS, type CorrelationAlert, type CorrelationConfig, type CorrelationIncident } from './types';
import { DEMO, T0 } from './testdata/incidentModel';

const cfg: CorrelationConfig = CORRELATION_DEFAULTS;
const W = cfg.windowMs;

function alert(
  fingerprint: string,
  service: string | null,
  startsAt: number,
  extra: Partial<CorrelationAlert> = {}
): CorrelationAlert {
  return {
    fingerprint,
    labels: { alertname: `${fingerprint}Alert`, ...(service === null ? {} : { service }) },
    severity: 'warning',
    startsAt,
    status: 'firing',
    incidentId: null,
    suppressed: false,
    ...extra,
  };
}

function incident(
  id: string,
  openedAt: number,
  alerts: string[],
  extra: Partial<CorrelationIncident> = {}
): CorrelationIncident {
  return { id, state: 'open', severity: 'warning', openedAt, alerts, ...extra };
}

describe('correlate: candidates', () => {
  const now = T0 + 2 * W;

  it('never correlates an alert with its own past', () => {
    const past = alert('db', 'database', now - 60_000, { incidentId: 'I1', status: 'resolved', severity: 'critical' });
    const d = correlate(alert('db', 'database', now), [past], [incident('I1', now - 60_000, ['db'])], DEMO, cfg, now);
    expect(d).toEqual({ incidentId: null, reason: null, suppressed: null });
  });

  it('takes alerts started on either side of the alert start, the window edges included', () => {
    const mine = alert('new', 'orders', now - 60_000);
    const before = alert('b', 'orders', mine.startsAt - W, { incidentId: 'I1', status: 'resolved' });
    const after = alert('a', 'orders', mine.startsAt + W, { incidentId: 'I2', status: 'resolved' });
    const open = [incident('I1', before.startsAt, ['b']), incident('I2', after.startsAt, ['a'])];
    expect(correlate(mine, [after, before], open, DEMO, cfg, now).incidentId).toBe('I1');
    expect(correlate(mine, [after], open, DEMO, cfg, now).incidentId).toBe('I2');
    const tooEarly = { ...before, startsAt: before.startsAt - 1 };
    const tooLate = { ...after, startsAt: after.startsAt + 1 };
    expect(correlate(mine, [tooEarly, tooLate], open, DEMO, cfg, now).incidentId).toBeNull();
  });

  it('ignores an old firing alert outside any unresolved incident, for joining and for suppression', () => {
    const old = alert('old', 'database', now - 2 * W, { severity: 'critical', incidentId: 'gone' });
    expect(correlate(alert('new', 'database', now), [old], [], DEMO, cfg, now)).toEqual({
      incidentId: null,
      reason: null,
      suppressed: null,
    });
  });

  it('finds a candidate incident by its alert list when the alert does not name it', () => {
    const db = alert('db', 'database', now - 10_000, { severity: 'critical' });
    const d = correlate(alert('ord', 'orders', now), [db], [incident('I7', db.startsAt, ['db'])], DEMO, cfg, now);
    expect(d).toEqual({
      incidentId: 'I7',
      reason: { kind: 'dependency', upstream: 'database', downstream: 'orders', with: 'db' },
      suppressed: { kind: 'downstream', by: 'db', upstream: 'database' },
    });
  });

  it('does not join resolved incidents even when passed, but joins acknowledged ones', () => {
    const db = alert('db', 'database', now - 10_000, { incidentId: 'I1' });
    const mine = alert('db2', 'database', now);
    expect(
      correlate(mine, [db], [incident('I1', db.startsAt, ['db'], { state: 'resolved' })], DEMO, cfg, now).incidentId
    ).toBeNull();
    expect(
      correlate(mine, [db], [incident('I1', db.startsAt, ['db'], { state: 'acknowledged' })], DEMO, cfg, now).incidentId
    ).toBe('I1');
  });
});

describe('correlate: incident and reason', () => {
  const now = T0;

  it('joins the oldest of several incidents (then the smallest id), whatever the input order', () => {
    const a = alert('a', 'database', now - 30_000, { incidentId: 'I2' });
    const b = alert('b', 'database', now - 20_000, { incidentId: 'I1' });
    const c = alert('c', 'database', now - 10_000, { incidentId: 'I3' });
    const incidents = [
      incident('I2', now - 30_000, ['a']),
      incident('I1', now - 20_000, ['b']),
      incident('I3', now - 30_000, ['c']),
    ];
    const mine = alert('new', 'database', now);
    const expected = correlate(mine, [a, b, c], incidents, DEMO, cfg, now);
    expect(expected.incidentId).toBe('I2');
    expect(expected.reason).toEqual({ kind: 'same_service', service: 'database', with: 'a' });
    expect(correlate(mine, [c, b, a], incidents.slice().reverse(), DEMO, cfg, now)).toEqual(expected);
  });

  it('reports the strongest reason among the alerts of the incident it joins', () => {
    const gw = alert('gw', 'gateway', now - 50_000, { incidentId: 'I1' });
    const ord = alert('ord', 'orders', now - 10_000, { incidentId: 'I1' });
    const d = correlate(
      alert('ord2', 'orders', now),
      [gw, ord],
      [incident('I1', gw.startsAt, ['gw', 'ord'])],
      DEMO,
      cfg,
      now
    );
    expect(d.reason).toEqual({ kind: 'same_service', service: 'orders', with: 'ord' });
  });

  it('opens a new incident when nothing correlates', () => {
    const other = alert('x', 'search', now - 1000, { incidentId: 'I1' });
    const d = correlate(alert('y', 'email', now), [other], [incident('I1', other.startsAt, ['x'])], DEMO, cfg, now);
    expect(d).toEqual({ incidentId: null, reason: null, suppressed: null });
  });
});

describe('correlate: suppression', () => {
  const now = T0;
  const open = (fps: string[]) => [incident('I1', now - 60_000, fps)];

  it('counts suppressed alerts as active, never resolved ones', () => {
    const crit = alert('crit', 'database', now - 5000, { severity: 'critical', suppressed: true, incidentId: 'I1' });
    const d = correlate(alert('warn', 'database', now), [crit], open(['crit']), DEMO, cfg, now);
    expect(d.suppressed).toEqual({ kind: 'higher_severity', by: 'crit', severity: 'critical' });
    const resolved = { ...crit, status: 'resolved' as const };
    expect(correlate(alert('warn', 'database', now), [resolved], open(['crit']), DEMO, cfg, now).suppressed).toBeNull();
  });

  it('is never suppressed by its own fingerprint', () => {
    const self = alert('db', 'database', now - 5000, { severity: 'critical', incidentId: 'I1' });
    expect(correlate(alert('db', 'database', now), [self], open(['db']), DEMO, cfg, now).suppressed).toBeNull();
  });

  it('names the most severe alert for higher severity, ties by earliest start', () => {
    const e1 = alert('e1', 'api', now - 3000, { severity: 'error', incidentId: 'I1' });
    const c2 = alert('c2', 'api', now - 1000, { severity: 'critical', incidentId: 'I1' });
    const c1 = alert('c1', 'api', now - 2000, { severity: 'critical', incidentId: 'I1' });
    const d = correlate(alert('w', 'api', now), [e1, c2, c1], open(['e1', 'c2', 'c1']), DEMO, cfg, now);
    expect(d.suppressed).toEqual({ kind: 'higher_severity', by: 'c1', severity: 'critical' });
  });

  it('never lets a downstream alert suppress its upstream cause, whatever its severity', () => {
    const gw = alert('gw', 'gateway', now - 5000, { severity: 'critical', incidentId: 'I1' });
    const db = alert('db', 'database', now, { severity: 'info' });
    expect(correlate(db, [gw], open(['gw']), DEMO, cfg, now).suppressed).toBeNull();
  });

  it('names the most upstream alert for downstream', () => {
    const ord = alert('ord', 'orders', now - 9000, { incidentId: 'I1' });
    const pay = alert('pay', 'payments', now - 8000, { incidentId: 'I1' });
    const db = alert('db', 'database', now - 1000, { incidentId: 'I1' });
    const d = correlate(alert('api', 'api', now), [ord, pay, db], open(['ord', 'pay', 'db']), DEMO, cfg, now);
    expect(d.suppressed).toEqual({ kind: 'downstream', by: 'db', upstream: 'database' });
  });

  describe('higher severity across the incident it joins', () => {
    // orders calls the database and payments; payments and the database are unrelated.
    const topo = { dependsOn: { orders: ['db', 'payments'], db: [], payments: [], edge: ['orders'] } };
    const db = alert('db', 'db', now - 9000, { severity: 'critical', incidentId: 'I1' });
    const ord = alert('ord', 'orders', now - 8000, { severity: 'critical', incidentId: 'I1', suppressed: true });
    const members = () => open(['db', 'ord']);

    it('suppresses an alert that joins through one member by a more severe other member', () => {
      const pay = alert('pay', 'payments', now, { severity: 'warning' });
      const d = correlate(pay, [db, ord], members(), topo, cfg, now);
      expect(d.incidentId).toBe('I1');
      expect(d.suppressed).toEqual({ kind: 'higher_severity', by: 'db', severity: 'critical' });
    });

    it('does not suppress an alert as severe as the incident, nor with the rule off', () => {
      const pay = alert('pay', 'payments', now, { severity: 'critical' });
      expect(correlate(pay, [db, ord], members(), topo, cfg, now).suppressed).toBeNull();
      const warn = alert('pay', 'payments', now, { severity: 'warning' });
      const off = { ...cfg, suppressLowerSeverity: false };
      expect(correlate(warn, [db, ord], members(), topo, off, now).suppressed).toBeNull();
    });

    it('never by a member that depends on the alert: the alert may be the cause the incident lacked', () => {
      const edge = alert('edge', 'edge', now - 9000, { severity: 'critical', incidentId: 'I1' });
      const pay = alert('pay', 'payments', now, { severity: 'warning' });
      expect(correlate(pay, [edge, ord], open(['edge', 'ord']), topo, cfg, now).suppressed).toBeNull();
    });

    it('ignores resolved members', () => {
      const gone = { ...db, status: 'resolved' as const };
      const pay = alert('pay', 'payments', now, { severity: 'warning' });
      expect(correlate(pay, [gone, ord], members(), topo, cfg, now).suppressed).toBeNull();
    });
  });

  it('suppresses nothing when both rules are off', () => {
    const off = { ...cfg, suppressDownstream: false, suppressLowerSeverity: false };
    const db = alert('db', 'database', now - 1000, { severity: 'critical', incidentId: 'I1' });
    expect(correlate(alert('ord', 'orders', now), [db], open(['db']), DEMO, off, now).suppressed).toBeNull();
  });
});

describe('suppressionFor', () => {
  it('re-judges an alert that arrived before its upstream cause', () => {
    const gw = alert('gw', 'gateway', T0, { severity: 'critical' });
    const db = alert('db', 'database', T0 + 60_000, { severity: 'critical' });
    expect(suppressionFor(gw, [gw], DEMO, cfg)).toBeNull();
    expect(suppressionFor(gw, [gw, db], DEMO, cfg)).toEqual({ kind: 'downstream', by: 'db', upstream: 'database' });
    expect(suppressionFor(db, [gw, db], DEMO, cfg)).toBeNull();
    expect(suppressionFor(gw, [{ ...db, status: 'resolved' }], DEMO, cfg)).toBeNull();
  });

  it('leaves a downstream page uncovered by a less severe cause (the incident still pages)', () => {
    const gw = alert('gw', 'gateway', T0, { severity: 'critical' });
    const db = alert('db', 'database', T0 + 60_000, { severity: 'warning' });
    expect(suppressionFor(gw, [gw, db], DEMO, cfg)).toBeNull();
    // A cause as severe as its effect covers it.
    const dbErr = alert('dbe', 'database', T0 + 60_000, { severity: 'error' });
    const gwErr = alert('gwe', 'gateway', T0, { severity: 'error' });
    expect(suppressionFor(gwErr, [gwErr, dbErr], DEMO, cfg)).toEqual({
      kind: 'downstream',
      by: 'dbe',
      upstream: 'database',
    });
  });

  it('only counts alerts that correlate with it', () => {
    const crit = alert('crit', 'search', T0, { severity: 'critical' });
    expect(suppressionFor(alert('w', 'email', T0), [crit], DEMO, cfg)).toBeNull();
  });
});

describe('correlationReason and symptomsOf', () => {
  it('checks same service, then dependency (either way), then symptom', () => {
    const groups = { ...cfg, symptomGroups: [{ name: 'red', members: ['HighErrorRate', 'latency_seconds'] }] };
    const err = (fp: string, service: string | null) => ({
      ...alert(fp, service, T0),
      labels: { alertname: 'HighErrorRate', ...(service ? { service } : {}) },
    });
    const lat = (fp: string, service: string | null) => ({
      ...alert(fp, service, T0),
      labels: { alertname: 'Slow', metric: 'latency_seconds', ...(service ? { service } : {}) },
    });
    expect(correlationReason(err('a', 'api'), lat('b', 'api'), DEMO, groups)).toEqual({
      kind: 'same_service',
      service: 'api',
      with: 'b',
    });
    expect(correlationReason(err('a', 'api'), lat('b', 'gateway'), DEMO, groups)).toEqual({
      kind: 'dependency',
      upstream: 'api',
      downstream: 'gateway',
      with: 'b',
    });
    expect(correlationReason(err('a', 'search'), lat('b', null), DEMO, groups)).toEqual({
      kind: 'symptom',
      group: 'red',
      with: 'b',
    });
    expect(correlationReason(err('a', 'search'), lat('b', null), DEMO, cfg)).toBeNull();
    expect(correlationReason(alert('a', null, T0), alert('b', null, T0), DEMO, groups)).toBeNull();
  });

  it('reads the alert name and the metric labels', () => {
    expect(symptomsOf({ labels: { alertname: 'HighCPU', metric: 'cpu_usage', __name__: 'cpu_usage' } })).toEqual([
      'HighCPU',
      'cpu_usage',
    ]);
    expect(symptomsOf({ labels: {} })).toEqual([]);
  });
});
