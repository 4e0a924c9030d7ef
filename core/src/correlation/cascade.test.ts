// Property: the database-down cascade pushed in every possible order (5! = 120) gives one incident
// whose root cause is the database, and every alert that arrives after the database is suppressed as
// its downstream effect. With the database only a warning, its critical effects are not covered by
// it: a page still goes out. Exhaustive rather than random: the space is small, and a failure names
// its order.
import { DEMO, IncidentModel, type AlertSpec } from './testdata/incidentModel';

const CASCADE: AlertSpec[] = [
  { fp: 'db', service: 'database', name: 'ServiceDown', severity: 'critical' },
  { fp: 'ord', service: 'orders', name: 'HighErrorRate', severity: 'critical' },
  { fp: 'pay', service: 'payments', name: 'HighErrorRate', severity: 'error' },
  { fp: 'api', service: 'api', name: 'HighErrorRate', severity: 'critical' },
  { fp: 'gw', service: 'gateway', name: 'HighLatency', severity: 'critical' },
];

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

describe('the database-down cascade in any order', () => {
  const orders = permutations(CASCADE);

  it('covers all 120 orders', () => {
    expect(orders).toHaveLength(120);
  });

  it.each(orders.map((o) => [o.map((a) => a.fp).join(' → '), o] as const))('%s', (_name, order) => {
    const model = new IncidentModel(DEMO).run(order.map((fire, i) => ({ at: 15 * i, fire })));
    expect(model.incidents).toHaveLength(1);
    expect(model.summary()).toEqual([`open I1 [${order.map((a) => a.fp).join(' ')}] root=db`]);
    expect(model.title('db')).toBe('database: ServiceDown (+4 alerts)');
    expect(model.decisions.get('db')!.suppressed).toBeNull();
    const afterDb = order.slice(order.findIndex((a) => a.fp === 'db') + 1).map((a) => a.fp);
    for (const fp of afterDb) {
      expect(model.decisions.get(fp)!.suppressed).toEqual({ kind: 'downstream', by: 'db', upstream: 'database' });
    }
  });
});

describe('the same cascade from a database warning, in any order', () => {
  const orders = permutations(CASCADE.map((a) => (a.fp === 'db' ? { ...a, severity: 'warning' as const } : a)));

  it.each(orders.map((o) => [o.map((a) => a.fp).join(' → '), o] as const))('%s', (_name, order) => {
    const model = new IncidentModel(DEMO).run(order.map((fire, i) => ({ at: 15 * i, fire })));
    expect(model.summary()).toEqual([`open I1 [${order.map((a) => a.fp).join(' ')}] root=db`]);
    // The database (a warning) is never suppressed, not even by the criticals above it ...
    expect(model.decisions.get('db')!.suppressed).toBeNull();
    // ... and covers none of them: a warning must not swallow the incident's page.
    for (const a of order) {
      expect(model.decisions.get(a.fp)!.suppressed?.by).not.toBe('db');
    }
    const paged = order.filter((a) => a.severity === 'critical' && model.decisions.get(a.fp)!.suppressed === null);
    expect(paged.length).toBeGreaterThan(0);
  });
});
