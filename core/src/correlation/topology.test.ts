import { dependsOn, Reachability, serviceOf, withLabelDependencies } from './topology';
import { CORRELATION_DEFAULTS, type Topology } from './types';
import { DEMO } from './testdata/incidentModel';

const cfg = CORRELATION_DEFAULTS;

describe('dependsOn', () => {
  it.each([
    ['gateway', 'api', true],
    ['gateway', 'database', true],
    ['orders', 'payments', true],
    ['api', 'payments', true],
    ['database', 'gateway', false],
    ['payments', 'orders', false],
    ['database', 'database', false],
    ['unknown', 'database', false],
    ['gateway', 'unknown', false],
  ])('%s depends on %s: %s (demo topology)', (down, up, expected) => {
    expect(dependsOn(DEMO, down, up)).toBe(expected);
  });

  it('terminates on cycles, where a service depends on itself', () => {
    const cyclic: Topology = { dependsOn: { a: ['b'], b: ['c'], c: ['a'], d: ['a'] } };
    expect(dependsOn(cyclic, 'a', 'c')).toBe(true);
    expect(dependsOn(cyclic, 'c', 'b')).toBe(true);
    expect(dependsOn(cyclic, 'a', 'a')).toBe(true);
    expect(dependsOn(cyclic, 'a', 'd')).toBe(false);
    expect(dependsOn(cyclic, 'd', 'b')).toBe(true);
  });

  it('treats inherited object keys and malformed entries as unknown services', () => {
    const odd = { dependsOn: { a: 'b' as unknown as string[], b: ['toString'] } };
    expect(dependsOn(odd, 'a', 'b')).toBe(false);
    expect(dependsOn(odd, 'constructor', 'a')).toBe(false);
    expect(dependsOn(odd, 'b', 'toString')).toBe(true);
    expect(dependsOn({ dependsOn: {} }, 'toString', 'valueOf')).toBe(false);
  });

  it('answers repeated questions from one reachability the same', () => {
    const reach = new Reachability(DEMO);
    expect([...reach.dependenciesOf('api')].sort()).toEqual(['database', 'orders', 'payments']);
    expect(reach.dependsOn('api', 'database')).toBe(true);
    expect([...reach.dependenciesOf('database')]).toEqual([]);
  });
});

describe('withLabelDependencies', () => {
  const alert = (labels: Record<string, string>) => ({ labels });

  it('merges comma-separated depends_on labels, trimmed, without duplicates or self edges', () => {
    const topo = withLabelDependencies(
      { dependsOn: { app: ['db'] } },
      [alert({ service: 'app', depends_on: ' db, cache ,,app' }), alert({ service: 'app', depends_on: 'queue' })],
      cfg
    );
    expect({ ...topo.dependsOn }).toEqual({ app: ['db', 'cache', 'queue'] });
  });

  it('needs a service on the declaring alert, and leaves the input untouched', () => {
    const base: Topology = { dependsOn: { app: ['db'] } };
    expect(withLabelDependencies(base, [alert({ depends_on: 'db' }), alert({ service: 'x' })], cfg)).toBe(base);
    const merged = withLabelDependencies(base, [alert({ service: 'web', depends_on: 'app' })], cfg);
    expect(base.dependsOn).toEqual({ app: ['db'] });
    expect(dependsOn(merged, 'web', 'db')).toBe(true);
  });

  it('reads the configured labels', () => {
    const custom = { ...cfg, serviceLabel: 'app', dependsOnLabel: 'calls' };
    const topo = withLabelDependencies(
      { dependsOn: {} },
      [alert({ app: 'web', calls: 'api', depends_on: 'x' })],
      custom
    );
    expect({ ...topo.dependsOn }).toEqual({ web: ['api'] });
  });

  it('keeps a service called __proto__ an ordinary key', () => {
    const topo = withLabelDependencies({ dependsOn: {} }, [alert({ service: '__proto__', depends_on: 'db' })], cfg);
    expect(dependsOn(topo, '__proto__', 'db')).toBe(true);
    expect(dependsOn(topo, 'other', 'db')).toBe(false);
  });
});

describe('serviceOf', () => {
  it('reads the service label; empty is none', () => {
    expect(serviceOf({ labels: { service: 'api' } }, cfg)).toBe('api');
    expect(serviceOf({ labels: { service: '' } }, cfg)).toBeNull();
    expect(serviceOf({ labels: {} }, { ...cfg, serviceLabel: 'constructor' })).toBeNull();
  });
});
