/**
 * The sidecar's entry point: `VIGIL_CONFIG=/etc/vigil/config.yaml node sidecar/dist/main.js`.
 * A bad configuration prints the problem (naming the key) to stderr and exits 1 without starting.
 * SIGTERM/SIGINT stop accepting connections, let in-flight requests finish (bounded by
 * `server.shutdownTimeoutMs`), close the store and exit 0; a second signal exits at once.
 */
import { ConfigError, loadConfig } from './config/load';
import type { Config } from './config/schema';
import { startServer } from './server';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig({ file: process.env.VIGIL_CONFIG || undefined, env: process.env });
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : `config: ${(err as Error).message}`}\n`);
    process.exit(1);
  }

  let handle: Awaited<ReturnType<typeof startServer>>;
  try {
    handle = await startServer(config);
  } catch (err) {
    process.stderr.write(`vigil: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`vigil: ${signal} again, exiting without draining\n`);
      process.exit(1);
    }
    stopping = true;
    handle.logger.info({ signal }, 'signal received');
    handle.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`vigil: shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      }
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

void main();
