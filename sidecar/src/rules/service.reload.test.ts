// A rule engine whose first load failed (the store out of reach at start, or a replica's connections cut
// while it loaded) loads again on the next reload, instead of failing every reload after it for good.
import { openSqliteStore } from '../store/sqlite';
import type { Store } from '../store';
import { putTestRule, ruleTestConfig, testEngine } from '../testing/ruleEngine';

it('a reload after a failed load loads again', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const config = ruleTestConfig({
    datasources: [{ name: 'prometheus', type: 'prometheus', url: 'http://127.0.0.1:9' }],
  });
  await putTestRule(store, config, {
    id: 'cpu',
    name: 'CPU',
    datasource: 'prometheus',
    query: 'up',
    severity: 'warning',
    condition: { kind: 'threshold', op: '>', threshold: 1 },
  });
  let failures = 1;
  const flaky = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'listInstances') {
        return () => (failures-- > 0 ? Promise.reject(new Error('connection terminated')) : target.listInstances());
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as Store;
  const engine = testEngine(flaky, config, { now: Date.now() });
  try {
    await expect(engine.ready).rejects.toThrow('connection terminated');
    await engine.reload();
    await expect(engine.ready).resolves.toBeUndefined();
    expect(engine.ruleCount).toBe(1);
    await engine.reload(); // and stays loaded
    expect(engine.ruleCount).toBe(1);
  } finally {
    await engine.stop(0);
    await store.close();
  }
});
