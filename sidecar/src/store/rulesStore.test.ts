// The rule store on both backends (issue 14): the same contract on SQLite and PostgreSQL, plus what a
// replica adds: two stores writing one rule at the same moment lose no update.
import type { AlertInstance, NormalizedRuleBody } from '@vigil/core';
import { isVigilError } from '../errors';
import { describeEachStore } from '../testing/storeBackends';
import { sharedStoreDb, type SharedStoreDb } from '../testing/sharedStoreDb';
import type { ChangeRecord, RuleRecord, Store } from './store';

const body = (id: string, threshold = 80): NormalizedRuleBody => ({
  id,
  name: `Rule ${id}`,
  description: '',
  severity: 'warning',
  datasource: 'prometheus',
  query: 'cpu_usage',
  condition: { kind: 'threshold', op: '>', threshold },
  for: '10m',
  keepFiringFor: '0s',
  interval: '1m',
  labels: { team: 'platform' },
  annotations: {},
  actions: ['slack'],
  noDataState: 'NoData',
  execErrState: 'Error',
  missingSeriesEvalsToResolve: 2,
  enabled: true,
});

const record = (id: string, over: Partial<RuleRecord> = {}): RuleRecord => ({
  id,
  origin: 'api',
  file: null,
  body: body(id),
  createdAt: 1000,
  createdBy: 'alice',
  updatedAt: 1000,
  updatedBy: 'alice',
  version: 1,
  ...over,
});

const change = (id: string, action: ChangeRecord['action'], at = 1000, user = 'alice'): ChangeRecord => ({
  at,
  user,
  action,
  objectType: 'rule',
  objectId: id,
  detail: { id },
});

async function rejection(p: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isVigilError(err)) {
      return { code: err.code, status: err.status, message: err.message };
    }
    throw err;
  }
  throw new Error('expected a rejection');
}

const firing = (ruleId: string, fingerprint: string): AlertInstance => ({
  ruleId,
  fingerprint,
  labels: {},
  state: 'firing',
  since: 1,
  activeAt: 1,
  firedAt: 1,
  recoveringSince: null,
  value: 1,
  threshold: 0,
  severity: 'warning',
  missingEvals: 0,
  lastEvalAt: 1,
  annotations: {},
});

/** An evaluation of `ruleId` leaving one firing instance, its transition and a status. */
const evaluated = (store: Store, ruleId: string, fingerprint: string) =>
  store.commitEvaluations([
    {
      ruleId,
      instances: [firing(ruleId, fingerprint)],
      transitions: [
        {
          ruleId,
          fingerprint,
          labels: {},
          from: 'normal',
          to: 'firing',
          at: 1,
          value: 1,
          threshold: 0,
          severity: 'warning',
        },
      ],
      status: { ruleId, health: 'ok', lastEvaluation: 1, lastDurationMs: 1, lastError: null, seriesCount: 1 },
    },
  ]);

describeEachStore('rule store', (suite) => {
  let store: Store;
  let shared: SharedStoreDb | undefined;
  beforeEach(async () => {
    store = await suite.open();
  });
  afterEach(async () => {
    await shared?.close();
    shared = undefined;
  });

  it('stores, reads back and lists rules, surviving a reopen', async () => {
    shared = await sharedStoreDb(suite);
    let s = await shared.open();
    await s.putRule(record('b'), change('b', 'create'));
    await s.putRule(record('a'), change('a', 'create'));
    await s.putRule(record('B'), change('B', 'create'));
    expect(await s.getRule('a')).toEqual(record('a'));
    expect(await s.getRule('missing')).toBeNull();
    await s.close();
    s = await shared.open();
    // Byte order (SQLite's), whatever the database's collation.
    expect((await s.listRules()).map((r) => r.id)).toEqual(['B', 'a', 'b']);
    expect((await s.getRule('b'))?.body).toEqual(body('b'));
  });

  it('records each change with its user, newest first', async () => {
    await store.putRule(record('a'), change('a', 'create', 1000, 'alice'));
    await store.putRule(
      record('a', { version: 2, body: body('a', 90), updatedBy: 'bob' }),
      change('a', 'update', 2000, 'bob')
    );
    // Same millisecond: still newest first.
    await store.putRule(record('a', { version: 3, body: body('a', 95) }), change('a', 'update', 2000, 'carol'));
    const changes = await store.listChanges('rule', 'a');
    expect(changes.map((c) => [c.action, c.user, c.at])).toEqual([
      ['update', 'carol', 2000],
      ['update', 'bob', 2000],
      ['create', 'alice', 1000],
    ]);
    expect(changes[0].detail).toEqual({ id: 'a' });
    expect(await store.listChanges('rule', 'a', 1)).toHaveLength(1);
  });

  it('refuses a stale expectedVersion with 409 and changes nothing', async () => {
    await store.putRule(record('a'), change('a', 'create'));
    await store.putRule(record('a', { version: 2, body: body('a', 90) }), change('a', 'update'), 1);
    const e = await rejection(
      store.putRule(record('a', { version: 2, body: body('a', 99) }), change('a', 'update', 3000, 'mallory'), 1)
    );
    expect(e).toMatchObject({ code: 'conflict', status: 409 });
    expect(e.message).toMatch(/version 2, not 1/);
    expect((await store.getRule('a'))?.body.condition).toEqual({ kind: 'threshold', op: '>', threshold: 90 });
    expect((await store.listChanges('rule', 'a')).map((c) => c.user)).not.toContain('mallory');
  });

  it('treats expectedVersion 0 as create-only', async () => {
    await store.putRule(record('a'), change('a', 'create'), 0);
    const e = await rejection(store.putRule(record('a', { body: body('a', 1) }), change('a', 'create'), 0));
    expect(e).toMatchObject({ status: 409, message: expect.stringMatching(/version 1, not 0/) });
    expect((await store.getRule('a'))?.body).toEqual(body('a'));
    expect(await rejection(store.putRule(record('gone'), change('gone', 'update'), 3))).toMatchObject({
      status: 409,
      message: expect.stringMatching(/no longer exists/),
    });
    expect(await store.getRule('gone')).toBeNull();
    expect((await store.listChanges('rule', 'a')).map((c) => c.action)).toEqual(['create']);
  });

  it('lets exactly one of two replicas writing the same version win', async () => {
    shared = await sharedStoreDb(suite);
    const [a, b] = [await shared.open(), await shared.open()];
    await a.putRule(record('r'), change('r', 'create'), 0);
    for (let round = 1; round <= 5; round++) {
      const next = (user: string) =>
        (user === 'alice' ? a : b).putRule(
          record('r', { version: round + 1, body: body('r', round), updatedBy: user }),
          change('r', 'update', 1000 + round, user),
          round
        );
      const results = await Promise.allSettled([next('alice'), next('bob')]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toMatchObject({ code: 'conflict', status: 409 });
    }
    expect((await b.getRule('r'))?.version).toBe(6);
    expect(await b.listChanges('rule', 'r')).toHaveLength(6);
    // Two creates at once: one rule, one 409.
    const creates = await Promise.allSettled([
      a.putRule(record('new'), change('new', 'create'), 0),
      b.putRule(record('new', { createdBy: 'bob' }), change('new', 'create', 1000, 'bob'), 0),
    ]);
    expect(creates.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await a.listChanges('rule', 'new')).toHaveLength(1);
  });

  it('deletes a rule with its instances and status, keeping its history', async () => {
    await store.putRule(record('a'), change('a', 'create'));
    await store.putRule(record('b'), change('b', 'create'));
    await evaluated(store, 'a', 'f1');
    await evaluated(store, 'b', 'f2');
    expect(await store.deleteRule('a', change('a', 'delete', 5000, 'bob'))).toBe(true);
    expect(await store.deleteRule('a', change('a', 'delete'))).toBe(false);
    expect(await store.listInstances({ ruleId: 'a' })).toEqual([]);
    expect((await store.listRuleStatuses()).map((s) => s.ruleId)).toEqual(['b']);
    expect(await store.listHistory('f1')).toHaveLength(1);
    expect((await store.listInstances()).map((i) => i.fingerprint)).toEqual(['f2']);
    expect(await store.getRule('a')).toBeNull();
    expect((await store.listChanges('rule', 'a')).map((c) => `${c.action}:${c.user}`)).toEqual([
      'delete:bob',
      'create:alice',
    ]);
  });

  it('never keeps the instances of a rule deleted while its evaluation commits (two replicas)', async () => {
    shared = await sharedStoreDb(suite);
    const [a, b] = [await shared.open(), await shared.open()];
    for (let i = 0; i < 10; i++) {
      const id = `r${i}`;
      await a.putRule(record(id), change(id, 'create'));
      await Promise.all([evaluated(a, id, `f${i}`), b.deleteRule(id, change(id, 'delete'))]);
    }
    expect(await a.listInstances()).toEqual([]);
    expect(await a.listRuleStatuses()).toEqual([]);
  });

  describe('replaceFileRules', () => {
    const fileRule = (id: string, threshold = 80, file = 'a.yml') =>
      record(id, {
        origin: 'file',
        file,
        body: body(id, threshold),
        createdBy: `file:${file}`,
        updatedBy: `file:${file}`,
      });

    it('creates, updates, keeps and deletes file rules, leaving API rules alone', async () => {
      await store.putRule(record('api1'), change('api1', 'create'));
      await store.replaceFileRules([fileRule('f1'), fileRule('f2')], 'file:*');
      await store.replaceFileRules([fileRule('f1'), fileRule('f2', 50, 'b.yml'), fileRule('f3')], 'file:*');
      const byId = new Map((await store.listRules()).map((r) => [r.id, r]));
      expect([...byId.keys()]).toEqual(['api1', 'f1', 'f2', 'f3']);
      expect(byId.get('f1')?.version).toBe(1);
      expect(byId.get('f2')).toMatchObject({ version: 2, file: 'b.yml', origin: 'file', createdBy: 'file:a.yml' });
      expect(byId.get('f3')?.version).toBe(1);

      await evaluated(store, 'f1', 'x1');
      await store.replaceFileRules([fileRule('f3')], 'file:*');
      expect((await store.listRules()).map((r) => r.id)).toEqual(['api1', 'f3']);
      expect(await store.listInstances({ ruleId: 'f1' })).toEqual([]);
      expect((await store.listChanges('rule', 'f1')).map((c) => `${c.action}:${c.user}`)).toEqual([
        'delete:file:*',
        'create:file:a.yml',
      ]);
      expect((await store.listChanges('rule', 'f2')).map((c) => c.action)).toEqual(['delete', 'update', 'create']);
    });

    it('is atomic: an id clash with an API rule changes nothing', async () => {
      await store.putRule(record('taken'), change('taken', 'create'));
      await store.replaceFileRules([fileRule('f1')], 'file:*');
      const e = await rejection(store.replaceFileRules([fileRule('f2'), fileRule('taken')], 'file:*'));
      expect(e).toMatchObject({ code: 'conflict', status: 409 });
      expect(e.message).toMatch(/"taken" is already used by a rule created through the API/);
      expect((await store.listRules()).map((r) => `${r.id}:${r.origin}`)).toEqual(['f1:file', 'taken:api']);
      expect(await store.listChanges('rule', 'f2')).toEqual([]);
      const twice = await rejection(store.replaceFileRules([fileRule('f2'), fileRule('f2')], 'file:*'));
      expect(twice).toMatchObject({ status: 409, message: expect.stringMatching(/"f2" appears twice/) });
    });

    it('reloads many rules, and two replicas reloading at once record each change once', async () => {
      shared = await sharedStoreDb(suite);
      const [a, b] = [await shared.open(), await shared.open()];
      const many = (threshold: number) => Array.from({ length: 200 }, (_, i) => fileRule(`f${i}`, threshold));
      await Promise.all([a.replaceFileRules(many(80), 'file:*'), b.replaceFileRules(many(80), 'file:*')]);
      await Promise.all([a.replaceFileRules(many(90), 'file:*'), b.replaceFileRules(many(90), 'file:*')]);
      const rules = await a.listRules();
      expect(rules).toHaveLength(200);
      expect(new Set(rules.map((r) => r.version))).toEqual(new Set([2]));
      expect((await b.listChanges('rule', 'f7')).map((c) => c.action)).toEqual(['update', 'create']);
      await a.replaceFileRules([], 'file:*');
      expect(await b.listRules()).toEqual([]);
    });
  });

  it('fails with store_closed once closed', async () => {
    await store.close();
    expect(await rejection(store.listRules())).toMatchObject({ code: 'store_closed', status: 503 });
    expect(await rejection(store.putRule(record('a'), change('a', 'create')))).toMatchObject({ code: 'store_closed' });
  });
});
