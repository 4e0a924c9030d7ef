import { mkdtempSync, rmSync, writeFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../../test/harness';
import { createLogger } from '../log';
import { openSqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';
import { LogCapture } from '../testing/fixtures';
import type { RuleEngine } from './engine';
import { loadRuleDir, parseRuleFile } from './files';
import { startRuleFiles, type RuleFiles } from './filesWatch';
import type { RuleContext } from './schema';

const ctx: RuleContext = { datasources: [{ name: 'prom', type: 'prometheus' }], detectors: [] };

const rule = (id: string, threshold = 80, extra = '') => `
  - id: ${id}
    name: Rule ${id}
    severity: warning
    query: cpu_usage
    condition: { kind: threshold, op: '>', threshold: ${threshold} }
    for: 5m${extra}`;

let dir: string;
let rulesDir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-rulefiles-'));
  rulesDir = join(dir, 'rules');
  mkdirSync(rulesDir);
  store = openSqliteStore({ path: join(dir, 'vigil.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) => writeFileSync(join(rulesDir, name), text);

describe('parseRuleFile', () => {
  it('parses rules and fills defaults', () => {
    const r = parseRuleFile(`rules:${rule('a')}${rule('b', 90)}`, ctx);
    expect(r.problems).toEqual([]);
    expect(r.bodies.map((b) => [b.id, b.datasource, b.for, b.interval])).toEqual([
      ['a', 'prom', '5m', '1m'],
      ['b', 'prom', '5m', '1m'],
    ]);
  });

  it('names each problem with the rule index', () => {
    const r = parseRuleFile(`rules:${rule('a', 1, '\n    severity2: x')}${rule('a')}`, ctx);
    expect(r.problems).toEqual([
      { field: 'rules.0.severity2', message: 'unknown field' },
      // the first one failed, so the second is the first with id "a"
    ]);
    const dup = parseRuleFile(`rules:${rule('a')}${rule('a')}`, ctx);
    expect(dup.problems).toEqual([{ field: 'rules.1.id', message: '"a" is also the id of rules.0' }]);
  });

  it('reports bad YAML and a wrong shape; an empty file has no rules', () => {
    expect(parseRuleFile('rules: [', ctx).problems[0]).toMatchObject({
      field: '(file)',
      message: expect.stringMatching(/^not valid YAML/),
    });
    expect(parseRuleFile('groups: []', ctx).problems).toEqual([
      { field: 'groups', message: 'unknown field (expected only "rules")' },
    ]);
    expect(parseRuleFile('- a', ctx).problems[0].message).toMatch(/mapping/);
    expect(parseRuleFile('rules: 3', ctx).problems).toEqual([{ field: 'rules', message: 'expected a list of rules' }]);
    expect(parseRuleFile('', ctx)).toEqual({ bodies: [], problems: [] });
  });

  it('refuses alias bombs', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 9 }, (_, i) => {
        const prev = i === 0 ? 'a' : `l${i - 1}`;
        return `l${i}: &l${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
      'rules: []',
    ].join('\n');
    expect(parseRuleFile(bomb, ctx).problems[0].field).toBe('(file)');
  });
});

describe('loadRuleDir', () => {
  it('loads every *.yml and *.yaml, ignoring other files', async () => {
    write('a.yml', `rules:${rule('a1')}`);
    write('b.yaml', `rules:${rule('b1')}${rule('b2')}`);
    write('notes.txt', 'rules: nonsense');
    write('.hidden.yml', 'rules: nonsense');
    const r = await loadRuleDir(rulesDir, ctx, [], new Set());
    expect(r.rules.map((x) => `${x.file}:${x.id}:${x.createdBy}`)).toEqual([
      'a.yml:a1:file:a.yml',
      'b.yaml:b1:file:b.yaml',
      'b.yaml:b2:file:b.yaml',
    ]);
    expect(r.files.map((f) => [f.file, f.problems.length])).toEqual([
      ['a.yml', 0],
      ['b.yaml', 0],
    ]);
  });

  it('keeps the previous rules of a bad file and reports a clash with an API rule or another file', async () => {
    write('a.yml', `rules:${rule('a1')}`);
    write('b.yml', `rules:${rule('b1')}`);
    const first = await loadRuleDir(rulesDir, ctx, [], new Set());
    write('b.yml', `rules:${rule('b1', 99)}${rule('b2', 1, '\n    keepFiringFor: soon')}`);
    write('c.yml', `rules:${rule('a1')}`);
    write('d.yml', `rules:${rule('api_rule')}`);
    const second = await loadRuleDir(rulesDir, ctx, first.rules, new Set(['api_rule']));
    expect(second.rules.map((x) => `${x.file}:${x.id}`).sort()).toEqual(['a.yml:a1', 'b.yml:b1']);
    expect(second.rules.find((x) => x.id === 'b1')?.body.condition).toMatchObject({ threshold: 80 });
    const problems = Object.fromEntries(
      second.files.map((f) => [f.file, f.problems.map((p) => `${p.field}: ${p.message}`)])
    );
    expect(problems['a.yml']).toEqual([]);
    expect(problems['b.yml']).toEqual([expect.stringMatching(/^rules\.1\.keepFiringFor: expected a duration/)]);
    expect(problems['c.yml']).toEqual(['rules.0.id: "a1" is already the id of a rule in a.yml']);
    expect(problems['d.yml']).toEqual(['rules.0.id: "api_rule" is already the id of a rule created through the API']);
  });

  it('fails when the folder cannot be read', async () => {
    await expect(loadRuleDir(join(dir, 'missing'), ctx, [], new Set())).rejects.toThrow(/ENOENT/);
  });
});

describe('startRuleFiles', () => {
  let files: RuleFiles | undefined;
  let reloads = 0;
  const engine: RuleEngine = {
    preview: () => Promise.reject(new Error('unused')),
    status: () => ({
      health: 'unknown',
      lastEvaluation: null,
      lastDurationMs: null,
      lastError: null,
      seriesCount: 0,
      states: {},
    }),
    reload: async () => {
      reloads++;
    },
    stop: async () => undefined,
  };
  const log = new LogCapture();
  const start = (d: string | undefined) =>
    startRuleFiles({ dir: d, ctx, store, engine, logger: createLogger('info', log), debounceMs: 50 });
  const ids = async () => (await store.listRules()).map((r) => `${r.id}@${r.version}`);

  beforeEach(() => {
    reloads = 0;
    log.chunks.length = 0;
  });
  afterEach(async () => {
    await files?.stop();
    files = undefined;
  });

  it('loads at start, reloads when a file changes, and tells the engine', async () => {
    write('a.yml', `rules:${rule('a1')}`);
    files = await start(rulesDir);
    expect(await ids()).toEqual(['a1@1']);
    expect(reloads).toBe(1);
    write('a.yml', `rules:${rule('a1', 95)}${rule('a2')}`);
    await waitFor('the changed file to load', async () => (await ids()).join() === 'a1@2,a2@1');
    unlinkSync(join(rulesDir, 'a.yml'));
    await waitFor('the removed file to unload', async () => (await ids()).length === 0);
    expect(reloads).toBeGreaterThanOrEqual(3);
    const changes = await store.listChanges('rule', 'a1');
    expect(changes.map((c) => `${c.action}:${c.user}`)).toEqual([
      'delete:file:*',
      'update:file:a.yml',
      'create:file:a.yml',
    ]);
  });

  it('logs a bad file by name with its problems and keeps its rules; SIGHUP reloads', async () => {
    write('a.yml', `rules:${rule('a1')}`);
    files = await start(rulesDir);
    await files.stop(); // no watcher: only SIGHUP may reload from here
    files = await startRuleFiles({
      dir: rulesDir,
      ctx,
      store,
      engine,
      logger: createLogger('info', log),
      debounceMs: 60_000,
    });
    write('a.yml', `rules:${rule('a1', 1, '\n    noDataState: Loud')}`);
    // Jest's sandboxed `process` does not receive real signals: emit the event the handler listens to.
    process.emit('SIGHUP', 'SIGHUP');
    const record = await waitFor('the error log', async () =>
      log.records().find((r) => typeof r.msg === 'string' && r.msg.startsWith('rules: a.yml not loaded'))
    );
    expect(record).toMatchObject({ level: 50, file: 'a.yml', keptRules: 1 });
    expect(JSON.stringify(record.problems)).toMatch(/rules\.0\.noDataState/);
    expect(await ids()).toEqual(['a1@1']);
  });

  it('removes stored file rules when no folder is configured, and survives a missing folder', async () => {
    write('a.yml', `rules:${rule('a1')}`);
    files = await start(rulesDir);
    await files.stop();
    files = await start(join(dir, 'missing'));
    expect(await ids()).toEqual(['a1@1']);
    expect(log.text()).toMatch(/loading .*missing failed/);
    await files.stop();
    files = await start(undefined);
    expect(await ids()).toEqual([]);
  });
});
