// The demo's slow builds (the plugin with webpack, the host page's bundles) run in the background while
// the servers start, so the sidecar answers its health check without waiting for them.
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { tail } from '../test/harness/process';

/** Builds running in the background. */
export interface Builds {
  /** Resolves when every build succeeded; rejects with the failing build's log tail. */
  done: Promise<void>;
  /** Stops the builds still running. */
  kill(): void;
}

/** Starts `npm run build:plugin` and `node host/build.mjs --line <line>`, logging to `logDir`. */
export function startBuilds(root: string, line: string, logDir: string): Builds {
  mkdirSync(logDir, { recursive: true });
  const children: ChildProcess[] = [];
  const run = (name: string, cmd: string, args: string[]): Promise<void> => {
    const logFile = join(logDir, `${name}.log`);
    const fd = openSync(logFile, 'w');
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    children.push(child);
    return new Promise((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`${name}: ${err.message}`)));
      child.once('exit', (code, signal) =>
        code === 0
          ? resolve()
          : reject(new Error(`${name} failed (${signal ?? `exit code ${code}`}); ${logFile}:\n${tail(logFile, 30)}`))
      );
    });
  };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const done = Promise.all([
    run('build-plugin', npm, ['run', '--silent', 'build:plugin']),
    run('build-host', process.execPath, [join(root, 'host', 'build.mjs'), '--line', line]),
  ]).then(() => undefined);
  // Whoever awaits `done` reports the error; this keeps an early failure from being "unhandled".
  done.catch(() => undefined);
  return {
    done,
    kill: () => children.forEach((c) => c.exitCode === null && c.kill('SIGTERM')),
  };
}
