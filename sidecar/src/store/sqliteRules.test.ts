// SQLite's own part of the rule store: statements prepared once per connection. The contract runs on
// both backends in rulesStore.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { NormalizedRuleBody } from '@vigil/core';
import { migrate } from './sqlite';
import { MIGRATIONS } from './migrations';
import { sqliteRuleStore } from './sqliteRules';
import type { ChangeRecord, RuleRecord } from './store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
});
afterEach(() => {
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

const change = (id: string, action: ChangeRecord['action']): ChangeRecord => ({
  at: 1000,
  user: 'alice',
  action,
  objectType: 'rule',
  objectId: id,
  detail: { id },
});

const fileRule = (id: string, threshold = 80) =>
  record(id, {
    origin: 'file',
    file: 'a.yml',
    body: body(id, threshold),
    createdBy: 'file:a.yml',
    updatedBy: 'file:a.yml',
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
