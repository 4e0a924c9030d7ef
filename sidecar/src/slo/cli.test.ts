/**
 * `vigil slo …` as users run it: the compiled CLI in a child process (built with `tsc -b sidecar`
 * first), reading the testdata specs. `runCli` is also called in-process for the argument handling.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { runCli } from './cli';
import { loadSlos } from './load';

const root = join(__dirname, '../../..');
const cli = join(root, 'sidecar/dist/slo/cli.js');
const testdata = join(__dirname, 'testdata');
const run = promisify(execFile);

/** The CLI's exit code and output in a child process. */
async function vigil(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [cli, ...args], { cwd: root, timeout: 30_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(() => {
  // The child runs the compiled CLI: build it (incremental, quick when up to date).
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'sidecar'], {
      cwd: root,
      stdio: 'pipe',
      timeout: 170_000,
    });
  } catch (err) {
    const out = (err as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`tsc -b sidecar failed:\n${out.slice(0, 4000)}`);
  }
}, 180_000);

describe('vigil slo (compiled, in a child process)', () => {
  it('is the workspace bin "vigil", linked by npm ci (npx --no-install vigil finds it)', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'sidecar/package.json'), 'utf8'));
    const bin = join(root, 'sidecar', pkg.bin.vigil);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // The link npm made in node_modules/.bin runs the same commands as the compiled CLI.
    const linked = join(root, 'node_modules/.bin/vigil');
    const file = join(testdata, 'sloth-k8s-apiserver.yaml');
    const r = await run(linked, ['slo', 'generate', file], { cwd: root });
    expect(r.stdout).toBe(readFileSync(join(testdata, 'sloth-k8s-apiserver.rules.yaml'), 'utf8'));
  });

  it('generate prints the golden rule file of a Sloth spec', async () => {
    const r = await vigil('slo', 'generate', join(testdata, 'sloth-k8s-apiserver.yaml'));
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(readFileSync(join(testdata, 'sloth-k8s-apiserver.rules.yaml'), 'utf8'));
  });

  it('import prints Vigil spec YAML that reads back to the same SLOs, from OpenSLO', async () => {
    const file = join(testdata, 'openslo-v1-checkout.yaml');
    const r = await vigil('slo', 'import', file);
    expect(r.code).toBe(0);
    expect(parse(r.stdout).slos.map((s: { id: string }) => s.id)).toEqual([
      'checkout-availability',
      'checkout-payment-errors',
      'checkout-rate-queries',
    ]);
    expect(loadSlos(r.stdout).slos).toEqual(loadSlos(readFileSync(file, 'utf8')).slos);
  });

  it('exits 2 naming the field of a bad spec, and of an SLO without Prometheus rules', async () => {
    const bad = await vigil('slo', 'import', join(testdata, 'vigil-bad-total.yaml'));
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('invalid SLO: sli.ratio.total: required');
    const slices = await vigil('slo', 'generate', join(testdata, 'openslo-v1-timeslices.yaml'));
    expect(slices.code).toBe(2);
    expect(slices.stderr).toContain('SLO search-latency: sli.timeslice:');
  });

  it('reads standard input for "-"', () => {
    const out = execFileSync(process.execPath, [cli, 'slo', 'import', '-'], {
      cwd: root,
      input: readFileSync(join(testdata, 'openslo-v1alpha.yaml')),
      timeout: 30_000,
    }).toString();
    expect(parse(out).slos.map((s: { id: string }) => s.id)).toEqual(['slo1', 'queue-lag']);
  });

  it('exits 2 with the usage on bad arguments and 1 on an unreadable file', async () => {
    const usage = await vigil('slo', 'frobnicate', 'x');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^usage: vigil slo generate FILE/);
    const missing = await vigil('slo', 'generate', join(testdata, 'no-such-file.yaml'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ENOENT');
  });
});

describe('runCli', () => {
  const files: Record<string, string> = { 'a.yaml': readFileSync(join(testdata, 'vigil-guide.yaml'), 'utf8') };
  const read = (p: string) => {
    if (!(p in files)) {
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    }
    return files[p];
  };

  it('prints OpenSLO v1 documents for openslo', () => {
    const r = runCli(['slo', 'openslo', 'a.yaml'], read);
    expect(r.code).toBe(0);
    expect(r.stdout.split('---\n')).toHaveLength(4);
    // OpenSLO has no latency SLI: the guide's latency SLO comes back as the ratio of its buckets.
    const back = loadSlos(r.stdout).slos;
    expect(back.map((s) => [s.id, s.sli.kind])).toEqual([
      ['api_availability', 'ratio'],
      ['api_response_time', 'ratio'],
      ['data_pipeline_success', 'ratio'],
      ['checkout_p95', 'timeslice'],
    ]);
  });

  it('answers --help with the usage and exit 0', () => {
    expect(runCli(['--help'], read)).toMatchObject({ code: 0, stderr: '' });
    expect(runCli(['slo', 'generate'], read).code).toBe(2);
  });
});
