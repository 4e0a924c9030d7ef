// A real SIGHUP to a real sidecar process (main.ts) reloads the rule files and does not stop it:
// Jest's sandboxed `process` never receives signals, so files.test.ts can only emit the event.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '../../../test/harness';
import { closedPort, TEST_TOKEN } from '../testing/fixtures';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../../..');
const MAIN = join(ROOT, 'sidecar/src/main.ts');

let dir: string;
let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

const logLines = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; port?: number; rules?: number });

it('reloads the rule files on SIGHUP and keeps running', async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-sighup-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(
    join(dir, 'rules', 'a.yml'),
    'rules:\n  - { id: a1, name: A, severity: info, query: up, condition: { kind: threshold, op: "<", threshold: 1 } }\n'
  );
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      'server: { port: 0 }',
      `auth: { token: "${TEST_TOKEN}" }`,
      `store: { type: sqlite, path: "${join(dir, 'vigil.db')}" }`,
      `datasources: [{ name: prom, type: prometheus, url: "http://127.0.0.1:${await closedPort()}" }]`,
      `rules: { dir: "${join(dir, 'rules')}" }`,
    ].join('\n')
  );
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIL_')));
  // node itself with tsx's loader: the tsx CLI relays only SIGINT and SIGTERM to its child.
  child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { ...base, VIGIL_CONFIG: config },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const listening = await waitFor('the sidecar to listen', async () =>
    logLines(out).find((l) => l.msg === 'vigil sidecar listening')
  );
  const loaded = () => logLines(out).filter((l) => l.msg === 'rules: rule files loaded');
  expect(loaded()).toEqual([expect.objectContaining({ rules: 1 })]);

  child.kill('SIGHUP');
  await waitFor('the reload', async () => loaded().length === 2);
  expect(logLines(out).some((l) => l.msg === 'rules: SIGHUP, reloading rule files')).toBe(true);
  expect(child.exitCode).toBeNull();
  const res = await fetch(`http://127.0.0.1:${listening.port}/api/v1/rules`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
  });
  expect(((await res.json()) as { rules: Array<{ id: string }> }).rules.map((r) => r.id)).toEqual(['a1']);

  child.kill('SIGTERM');
  await waitFor('exit', async () => child?.exitCode !== null);
  expect(child.exitCode).toBe(0);
});
