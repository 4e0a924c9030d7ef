import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { NormalizedRuleBody } from '@vigil/core';
import { isVigilError } from '../errors';
import { migrate, openSqliteStore } from './sqlite';
import { MIGRATIONS } from './migrations';
import { sqliteRuleStore } from './sqliteRules';
import type { ChangeRecord, RuleRecord, Store } from './store';

let dir: string;
let path: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
  path = join(dir, 'vigil.db');
  store = openSqliteStore({ path });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

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

describe('SQLite rule store', () => {
  it('stores, reads back and lists rules, surviving a reopen', async () => {
    await store.putRule(record('b'), change('b', 'create'));
    await store.putRule(record('a'), change('a', 'create'));
    expect(await store.getRule('a')).toEqual(record('a'));
    expect(await store.getRule('missing')).toBeNull();
    await store.close();
    store = openSqliteStore({ path });
    expect((await store.listRules()).map((r) => r.id)).toEqual(['a', 'b']);
    expect((await store.getRule('b'))?.body).toEqual(body('b'));
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
    expect(await rejection(store.putRule(record('a', { body: body('a', 1) }), change('a', 'create'), 0))).toMatchObject(
      {
        status: 409,
      }
    );
    expect(await rejection(store.putRule(record('gone'), change('gone', 'update'), 3))).toMatchObject({
      status: 409,
      message: expect.stringMatching(/no longer exists/),
    });
    expect(await store.getRule('gone')).toBeNull();
  });

  it('deletes a rule with its instances and status, keeping its history', async () => {
    await store.putRule(record('a'), change('a', 'create'));
    await store.putRule(record('b'), change('b', 'create'));
    const raw = new Database(path);
    const instance = raw.prepare(
      `INSERT INTO alert_instances (rule_id, fingerprint, labels, state, since, severity, missing_evals, last_eval_at, annotations)
       VALUES (?, ?, '{}', 'firing', 1, 'warning', 0, 1, '{}')`
    );
    instance.run('a', 'f1');
    instance.run('b', 'f2');
    raw.prepare("INSERT INTO rule_status (rule_id, health, series_count) VALUES ('a', 'ok', 1), ('b', 'ok', 1)").run();
    raw
      .prepare(
        `INSERT INTO alert_history (id, rule_id, fingerprint, at, from_state, to_state, severity, labels)
         VALUES ('h1', 'a', 'f1', 1, 'normal', 'firing', 'warning', '{}')`
      )
      .run();
    expect(await store.deleteRule('a', change('a', 'delete', 5000, 'bob'))).toBe(true);
    expect(await store.deleteRule('a', change('a', 'delete'))).toBe(false);
    const count = (sql: string) => (raw.prepare(sql).get() as { n: number }).n;
    expect(count("SELECT COUNT(*) AS n FROM alert_instances WHERE rule_id = 'a'")).toBe(0);
    expect(count("SELECT COUNT(*) AS n FROM rule_status WHERE rule_id = 'a'")).toBe(0);
    expect(count("SELECT COUNT(*) AS n FROM alert_history WHERE rule_id = 'a'")).toBe(1);
    expect(count("SELECT COUNT(*) AS n FROM alert_instances WHERE rule_id = 'b'")).toBe(1);
    raw.close();
    expect(await store.getRule('a')).toBeNull();
    expect((await store.listChanges('rule', 'a')).map((c) => `${c.action}:${c.user}`)).toEqual([
      'delete:bob',
      'create:alice',
    ]);
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
      expect(byId.get('f2')).toMatchObject({ version: 2, file: 'b.yml', origin: 'file' });
      expect(byId.get('f3')?.version).toBe(1);

      await store.replaceFileRules([fileRule('f3')], 'file:*');
      expect((await store.listRules()).map((r) => r.id)).toEqual(['api1', 'f3']);
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
    });

    it('prepares its statements once per connection, not once per rule', async () => {
      const raw = new Database(join(dir, 'counted.db'));
      try {
        migrate(raw, MIGRATIONS);
        const prepared: string[] = [];
        const prepare = raw.prepare.bind(raw);
        raw.prepare = ((sql: string) => {
          prepared.push(sql);
          return prepare(sql);
        }) as typeof raw.prepare;
        const rules = sqliteRuleStore(() => raw);
        const many = (threshold: number) => Array.from({ length: 50 }, (_, i) => fileRule(`f${i}`, threshold));
        await rules.replaceFileRules(many(80), 'file:*');
        const first = prepared.length;
        expect(first).toBeLessThan(10);
        await rules.replaceFileRules(many(90), 'file:*'); // 50 updates
        await rules.replaceFileRules([], 'file:*'); // 50 deletes
        await rules.putRule(record('api1'), change('api1', 'create'), 0);
        expect(prepared.length - first).toBeLessThan(5); // each call's own SELECT at most
        expect((await rules.listRules()).map((r) => r.id)).toEqual(['api1']);
        expect((await rules.listChanges('rule', 'f7')).map((c) => c.action)).toEqual(['delete', 'update', 'create']);
      } finally {
        raw.close();
      }
    });
  });

  it('fails with store_closed once closed', async () => {
    await store.close();
    expect(await rejection(store.listRules())).toMatchObject({ code: 'store_closed', status: 503 });
  });
});
