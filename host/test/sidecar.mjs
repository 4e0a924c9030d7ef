/**
 * Starts the real Vigil sidecar (sidecar/src/main.ts through tsx) for the browser test: loopback, a free
 * port, a fresh SQLite file in a temporary directory, a random token, configured entirely through the
 * documented environment overrides. The app pages reach it only through the host's plugin proxy.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = path.join(ROOT, 'sidecar', 'src', 'main.ts');
const READY_TIMEOUT_MS = 30_000;

/** A port nobody listens on right now (the sidecar binds it a moment later). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ prometheusUrl?: string, ruleFiles?: Record<string, string>, notify?: object, correlation?: object }} [opts]
 *   with `prometheusUrl`, a config file names it as datasource `prometheus`; `ruleFiles` (file name → YAML)
 *   go in its rules folder; `notify` and `correlation` are the config's sections of those names, as objects.
 * @returns {Promise<{ url: string, token: string, stop(): Promise<void> }>}
 */
export async function startSidecar(opts = {}) {
  if (!fs.existsSync(MAIN)) {
    throw new Error(`sidecar: ${path.relative(ROOT, MAIN)} does not exist, the app pages have nothing to talk to`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-host-sidecar-'));
  const token = randomBytes(24).toString('hex');
  const port = await freePort();
  let configFile = '';
  if (opts.prometheusUrl || opts.ruleFiles || opts.notify || opts.correlation) {
    const rulesDir = path.join(dir, 'rules');
    fs.mkdirSync(rulesDir);
    for (const [name, text] of Object.entries(opts.ruleFiles ?? {})) {
      fs.writeFileSync(path.join(rulesDir, name), text);
    }
    // JSON is YAML: the config is written as JSON.
    const config = {
      datasources: opts.prometheusUrl ? [{ name: 'prometheus', type: 'prometheus', url: opts.prometheusUrl }] : [],
      rules: { dir: rulesDir },
      ...(opts.notify ? { notify: opts.notify } : {}),
      ...(opts.correlation ? { correlation: opts.correlation } : {}),
    };
    configFile = path.join(dir, 'vigil.yaml');
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  }
  const env = {
    ...process.env,
    VIGIL_CONFIG: configFile,
    VIGIL_TOKEN: token,
    VIGIL_HOST: '127.0.0.1',
    VIGIL_PORT: String(port),
    VIGIL_DB_PATH: path.join(dir, 'vigil.db'),
    VIGIL_LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`sidecar exited with code ${child.exitCode} before it was ready:\n${output.trim()}`);
    }
    try {
      const res = await fetch(`${url}/api/v1/monitoring/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) {
        return { url, token, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`sidecar not healthy at ${url} after ${READY_TIMEOUT_MS / 1000} s:\n${output.trim()}`);
}

/**
 * Waits until the sidecar reports an instance of rule `ruleId` as firing (`GET /api/v1/alerts`): the
 * browser test opens the alert-summary panel on the sidecar's alerts only once there is one to show.
 */
export async function waitForFiring(sidecar, ruleId, timeoutMs = READY_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${sidecar.url}/api/v1/alerts`, {
        headers: { authorization: `Bearer ${sidecar.token}` },
        signal: AbortSignal.timeout(2000),
      });
      const body = await res.json();
      last = `HTTP ${res.status}: ${JSON.stringify(body).slice(0, 300)}`;
      if ((body.alerts ?? []).some((a) => a.ruleId === ruleId && a.state === 'firing')) {
        return;
      }
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`sidecar: rule ${ruleId} not firing after ${timeoutMs / 1000} s (last answer: ${last})`);
}
