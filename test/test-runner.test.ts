// The pieces of `npm test` itself: the closing "N passed, N failed" line, and the installer that only
// asks apt-get for what is missing (run with stub apt-get/npm on PATH, so nothing is installed).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-runner-test-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function summarize(args: string[]): { out: string; code: number } {
  const r = spawnSync(process.execPath, [join(ROOT, 'test/harness/summarize.mjs'), ...args], { encoding: 'utf8' });
  return { out: r.stdout.trim(), code: r.status ?? -1 };
}

function jestJson(counts: Partial<Record<string, number>>): string {
  const file = join(dir, 'jest.json');
  const base = {
    numPassedTests: 0,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    numRuntimeErrorTestSuites: 0,
  };
  writeFileSync(file, JSON.stringify({ ...base, ...counts }));
  return file;
}

function browserJson(oks: boolean[]): string {
  const file = join(dir, 'browser.json');
  writeFileSync(file, JSON.stringify({ results: oks.map((ok, i) => ({ name: `case${i}`, ok })) }));
  return file;
}

describe('closing line', () => {
  it('sums Jest, the browser test and the checks', () => {
    const r = summarize([
      '--jest',
      jestJson({ numPassedTests: 10 }),
      '--browser',
      browserJson([true, true]),
      '--check',
      'x=0',
    ]);
    expect(r).toEqual({ out: '13 passed, 0 failed', code: 0 });
  });

  it('counts failures, crashed suites, skipped tests and failed checks as failed', () => {
    const r = summarize([
      '--jest',
      jestJson({ numPassedTests: 5, numFailedTests: 1, numRuntimeErrorTestSuites: 1, numPendingTests: 2 }),
      '--browser',
      browserJson([true, false]),
      '--check',
      'broken-module-check=1',
    ]);
    expect(r.code).toBe(1);
    expect(r.out.split('\n').pop()).toBe('6 passed, 6 failed');
    expect(r.out).toMatch(/2 skipped\/todo tests counted as failed/);
    expect(r.out).toMatch(/broken-module-check: exit code 1/);
  });

  it('fails when a result file is missing or empty', () => {
    const r = summarize(['--jest', join(dir, 'nope.json'), '--browser', browserJson([])]);
    expect(r.code).toBe(1);
    expect(r.out.split('\n').pop()).toBe('0 passed, 2 failed');
  });
});

describe('installer (test/harness/ensure-deps.sh)', () => {
  /** Runs `script` after sourcing ensure-deps.sh, with stub apt-get and npm that log their arguments. */
  function runInstaller(script: string): string[] {
    const log = join(dir, 'calls.log');
    for (const tool of ['apt-get', 'npm', 'sudo']) {
      writeFileSync(join(dir, tool), `#!/bin/sh\necho "${tool} $*" >> "${log}"\n[ "${tool}" != sudo ] || exec "$@"\n`);
      chmodSync(join(dir, tool), 0o755);
    }
    writeFileSync(log, '');
    execFileSync('bash', ['-c', `set -e; source "${ROOT}/test/harness/ensure-deps.sh"; ${script}`], {
      cwd: dir,
      env: {
        ...process.env,
        PATH: `${dir}:${process.env.PATH}`,
        VIGIL_APT_UPDATED: '',
        VIGIL_NPM_LOCK: join(dir, 'lock'),
      },
      stdio: 'pipe',
    });
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  }

  it('does nothing when every binary is there', () => {
    expect(runInstaller('vigil_ensure_debian_packages sh:dash env:coreutils')).toEqual([]);
  });

  it('updates once and installs only the missing packages, each once', () => {
    const calls = runInstaller(
      'vigil_ensure_debian_packages sh:dash vigil-missing-a:pkg-a vigil-missing-b:pkg-a vigil-missing-c:pkg-c; ' +
        'vigil_ensure_debian_packages vigil-missing-d:pkg-d'
    );
    expect(calls).toEqual([
      'apt-get update -q',
      'apt-get install -y -q --no-install-recommends pkg-a pkg-c',
      'apt-get install -y -q --no-install-recommends pkg-d',
    ]);
  });

  it('runs npm ci when node_modules is missing or older than the lockfile, and not otherwise', () => {
    writeFileSync(join(dir, 'package-lock.json'), '{}');
    // g++/make/python3 are there on this machine, so only npm is called.
    expect(runInstaller('vigil_ensure_node_modules')).toEqual(['npm ci --no-audit --no-fund']);
    const fresh = 'mkdir -p node_modules && touch node_modules/.package-lock.json && vigil_ensure_node_modules';
    expect(runInstaller(fresh)).toEqual([]);
    const stale = 'touch -d "1 hour ago" node_modules/.package-lock.json && vigil_ensure_node_modules';
    expect(runInstaller(stale)).toEqual(['npm ci --no-audit --no-fund']);
  });
});
