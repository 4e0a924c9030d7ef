// main.ts as a real child process: a bad config exits 1 naming the key; SIGTERM drains and exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startStalledServer, TEST_TOKEN } from './testing/fixtures';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'sidecar/src/main.ts');

let dir: string;
const children: ChildProcess[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-main-'));
});
afterAll(() => {
  for (const c of children) {
    if (c.exitCode === null) {
      c.kill('SIGKILL');
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(yaml: string, env: Record<string, string> = {}): Run {
  const file = join(dir, `config-${children.length}.yaml`);
  writeFileSync(file, yaml);
  // Keep the parent's PATH etc. but none of its VIGIL_* settings.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIL_')));
  const child = spawn(TSX, [MAIN], {
    cwd: dir,
    env: { ...base, VIGIL_CONFIG: file, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal }))
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitForListening(r: Run): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const line = r
      .stdout()
      .split('\n')
      .find((l) => l.includes('"vigil sidecar listening"'));
    if (line) {
      return `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
    }
    if (r.child.exitCode !== null) {
      throw new Error(`sidecar exited ${r.child.exitCode}: ${r.stderr()}`);
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`sidecar did not start: ${r.stdout()} ${r.stderr()}`);
}

describe('main.ts', () => {
  it('exits 1 on an unknown key, naming it on stderr, without starting', async () => {
    const r = run(`serverr: { port: 0 }\nauth: { token: "${TEST_TOKEN}" }\n`);
    expect(await r.exited).toEqual({ code: 1, signal: null });
    expect(r.stderr()).toBe('config: unknown key "serverr"\n');
    expect(r.stdout()).not.toContain('listening');
  });

  it('exits 1 when the token is missing, and on a wrong type', async () => {
    const noToken = run('server: { port: 0 }\n');
    const wrongType = run(`server: { port: "high" }\nauth: { token: "${TEST_TOKEN}" }\n`);
    expect((await noToken.exited).code).toBe(1);
    expect(noToken.stderr()).toContain('config: auth.token is required');
    expect((await wrongType.exited).code).toBe(1);
    expect(wrongType.stderr()).toContain('config: server.port: expected number, received string');
  });

  it('on SIGTERM stops accepting, lets the in-flight request finish, closes the store and exits 0', async () => {
    // A hung datasource makes the health request take healthTimeoutMs: the in-flight request.
    const stalled = await startStalledServer();
    try {
      const r = run(
        `server: { port: 0, healthTimeoutMs: 1500, shutdownTimeoutMs: 10000 }
store: { type: sqlite, path: ${join(dir, 'drain.db')} }
datasources: [{ name: hung, type: prometheus, url: "${stalled.url}" }]
`,
        { VIGIL_TOKEN: TEST_TOKEN }
      );
      const url = await waitForListening(r);
      const t0 = Date.now();
      const inFlight = fetch(`${url}/api/v1/monitoring/health`);
      // Signal once the request has reached the datasource, i.e. is in flight inside the sidecar.
      while (stalled.connections() === 0) {
        await new Promise((res) => setTimeout(res, 20));
      }
      r.child.kill('SIGTERM');
      await new Promise((res) => setTimeout(res, 200));
      // No longer accepting: a new connection is refused while the old request is still running.
      await expect(fetch(`${url}/metrics`)).rejects.toThrow();

      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { status: string }).status).toBe('degraded');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
      expect(await r.exited).toEqual({ code: 0, signal: null });
      const msgs = r
        .stdout()
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(msgs).toEqual(
        expect.arrayContaining(['signal received', 'shutting down: draining in-flight requests', 'shut down'])
      );
      expect(r.stdout()).not.toContain(TEST_TOKEN);
    } finally {
      await stalled.close();
    }
  });

  it('cuts requests still running after shutdownTimeoutMs and still exits 0', async () => {
    const stalled = await startStalledServer();
    try {
      const r = run(
        `server: { port: 0, healthTimeoutMs: 20000, shutdownTimeoutMs: 300 }
store: { type: sqlite, path: ${join(dir, 'cut.db')} }
datasources: [{ name: hung, type: prometheus, url: "${stalled.url}" }]
`,
        { VIGIL_TOKEN: TEST_TOKEN }
      );
      const url = await waitForListening(r);
      const inFlight = fetch(`${url}/api/v1/monitoring/health`).then(
        (res) => res.status,
        () => 'cut'
      );
      while (stalled.connections() === 0) {
        await new Promise((res) => setTimeout(res, 20));
      }
      const t0 = Date.now();
      r.child.kill('SIGTERM');
      expect(await r.exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(await inFlight).toBe('cut');
      expect(r.stdout()).toContain('drain timeout: closing remaining connections');
    } finally {
      await stalled.close();
    }
  });
});
