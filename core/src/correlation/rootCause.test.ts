import { incidentSeverity, incidentTitle, rootCause } from './rootCause';
import { CORRELATION_DEFAULTS, type CorrelationAlert, type Topology } from './types';
import { DEMO, T0 } from './testdata/incidentModel';

const cfg = CORRELATION_DEFAULTS;

function alert(
  fingerprint: string,
  service: string | null,
  at: number,
  extra: Partial<CorrelationAlert> = {},
  labels: Record<string, string> = {}
): CorrelationAlert {
  return {
    fingerprint,
    labels: { alertname: `${fingerprint}Alert`, ...(service === null ? {} : { service }), ...labels },
    severity: 'warning',
    startsAt: T0 + at * 1000,
    status: 'firing',
    incidentId: 'I1',
    suppressed: false,
    ...extra,
  };
}

/** Every order of `xs`. */
function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) {
    return [xs.slice()];
  }
  const out: T[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) {
      out.push([x, ...rest]);
    }
  });
  return out;
}

describe('rootCause', () => {
  it('names the most upstream service with an active alert and how many depend on it', () => {
    const alerts = [
      alert('gw', 'gateway', 0),
      alert('api', 'api', 5),
      alert('ord', 'orders', 10),
      alert('db', 'database', 20),
    ];
    expect(rootCause(alerts, DEMO, cfg)).toEqual({
      fingerprint: 'db',
      service: 'database',
      reason: 'most upstream service with an active alert (database): 3 alerting services depend on it',
    });
  });

  it('says "1 alerting service" in the singular', () => {
    const r = rootCause([alert('gw', 'gateway', 0), alert('api', 'api', 5)], DEMO, cfg);
    expect(r.reason).toBe('most upstream service with an active alert (api): 1 alerting service depends on it');
  });

  it('ignores resolved alerts while any is active', () => {
    const alerts = [
      alert('db', 'database', 0, { status: 'resolved' }),
      alert('api', 'api', 5),
      alert('gw', 'gateway', 6),
    ];
    expect(rootCause(alerts, DEMO, cfg).fingerprint).toBe('api');
  });

  it('falls back to all alerts when none is active (a resolved incident)', () => {
    const alerts = [
      alert('gw', 'gateway', 0, { status: 'resolved' }),
      alert('db', 'database', 5, { status: 'resolved' }),
    ];
    expect(rootCause(alerts, DEMO, cfg).fingerprint).toBe('db');
  });

  it('picks the earliest alert of the root service', () => {
    const alerts = [alert('db2', 'database', 9), alert('gw', 'gateway', 0), alert('db1', 'database', 3)];
    expect(rootCause(alerts, DEMO, cfg).fingerprint).toBe('db1');
  });

  it('prefers, among upstream services, the one more alerting services depend on', () => {
    // cache and db are both leaves; web and api depend on db, only web on cache.
    const topo: Topology = { dependsOn: { web: ['cache', 'db'], api: ['db'] } };
    const alerts = [alert('cache', 'cache', 0), alert('web', 'web', 1), alert('api', 'api', 2), alert('db', 'db', 3)];
    expect(rootCause(alerts, topo, cfg)).toMatchObject({ fingerprint: 'db', service: 'db' });
  });

  it('breaks ties by earliest start, then fingerprint, whatever the input order', () => {
    const topo: Topology = { dependsOn: { web: ['cache', 'db'] } };
    const early = [alert('web', 'web', 0), alert('db', 'db', 10), alert('cache', 'cache', 20)];
    const tied = [alert('web', 'web', 0), alert('z-db', 'db', 10), alert('a-cache', 'cache', 10)];
    for (const order of permutations(early)) {
      expect(rootCause(order, topo, cfg).fingerprint).toBe('db');
    }
    for (const order of permutations(tied)) {
      expect(rootCause(order, topo, cfg).fingerprint).toBe('a-cache');
    }
  });

  it('uses dependencies declared in labels', () => {
    const alerts = [alert('app', 'app', 0, {}, { depends_on: 'db' }), alert('db', 'db', 10)];
    expect(rootCause(alerts, { dependsOn: {} }, cfg).fingerprint).toBe('db');
  });

  it('is the earliest alert when no topology links the services, or without services', () => {
    const unrelated = [alert('b', 'search', 5), alert('a', 'checkout', 5), alert('c', null, 9)];
    expect(rootCause(unrelated, DEMO, cfg)).toEqual({
      fingerprint: 'a',
      service: 'checkout',
      reason: 'earliest alert',
    });
    const none = [alert('y', null, 3), alert('x', null, 4)];
    expect(rootCause(none, DEMO, cfg)).toEqual({ fingerprint: 'y', service: null, reason: 'earliest alert' });
    expect(rootCause([alert('o1', 'orders', 2), alert('o2', 'orders', 1)], DEMO, cfg).reason).toBe('earliest alert');
  });

  it('stays deterministic on a cycle', () => {
    const topo: Topology = { dependsOn: { a: ['b'], b: ['a'], web: ['a'] } };
    const alerts = [alert('web', 'web', 0), alert('b', 'b', 5), alert('a', 'a', 7)];
    for (const order of permutations(alerts)) {
      expect(rootCause(order, topo, cfg)).toMatchObject({ fingerprint: 'b', service: 'b' });
    }
  });

  it('has nothing to name without alerts', () => {
    expect(rootCause([], DEMO, cfg)).toEqual({ fingerprint: '', service: null, reason: 'no alerts' });
  });
});

describe('incidentSeverity', () => {
  it('is the highest severity', () => {
    expect(incidentSeverity([{ severity: 'warning' }, { severity: 'critical' }, { severity: 'info' }])).toBe(
      'critical'
    );
    expect(incidentSeverity([{ severity: 'warning' }, { severity: 'error' }])).toBe('error');
    expect(incidentSeverity([{ severity: 'info' }])).toBe('info');
    expect(incidentSeverity([])).toBe('info');
  });
});

describe('incidentTitle', () => {
  const alerts = [
    alert('db', 'database', 0, {}, { alertname: 'Service Completely Down' }),
    alert('api', 'api', 1),
    alert('gw', 'gateway', 2),
    alert('ord', 'orders', 3),
  ];

  it('names the root service and alert, and counts the others', () => {
    expect(incidentTitle(alerts, rootCause(alerts, DEMO, cfg), cfg)).toBe(
      'database: Service Completely Down (+3 alerts)'
    );
    const two = alerts.slice(0, 2);
    expect(incidentTitle(two, rootCause(two, DEMO, cfg), cfg)).toBe('database: Service Completely Down (+1 alert)');
    const one = alerts.slice(0, 1);
    expect(incidentTitle(one, rootCause(one, DEMO, cfg), cfg)).toBe('database: Service Completely Down');
  });

  it('falls back to the alert name without a service, and to the fingerprint without a name', () => {
    const plain = [alert('x', null, 0, {}, { alertname: 'DiskFull' }), alert('y', null, 1)];
    expect(incidentTitle(plain, rootCause(plain, DEMO, cfg), cfg)).toBe('DiskFull (+1 alert)');
    const nameless: CorrelationAlert = { ...alert('fp123', null, 0), labels: {} };
    expect(incidentTitle([nameless], rootCause([nameless], DEMO, cfg), cfg)).toBe('fp123');
  });
});
