import { existsSync } from 'node:fs';
import { startServer, stopServer } from './server';
import { LogCapture, testConfig } from './testing/fixtures';

describe('startServer / stopServer', () => {
  it('binds port 0 to a free port and reports its URL', async () => {
    const { config, cleanup } = testConfig();
    const h = await startServer(config, { logDestination: new LogCapture() });
    try {
      expect(h.port).toBeGreaterThan(0);
      expect(h.url).toBe(`http://127.0.0.1:${h.port}`);
      expect((await fetch(`${h.url}/api/v1/monitoring/health`)).status).toBe(200);
    } finally {
      await h.close();
      await h.close(); // idempotent
      cleanup();
    }
  });

  it('stopServer closes every running server and its store', async () => {
    const a = testConfig();
    const b = testConfig();
    const ha = await startServer(a.config, { logDestination: new LogCapture() });
    const hb = await startServer(b.config, { logDestination: new LogCapture() });
    await stopServer();
    for (const h of [ha, hb]) {
      await expect(fetch(`${h.url}/metrics`)).rejects.toThrow();
      expect((await h.store.health()).ok).toBe(false);
    }
    a.cleanup();
    b.cleanup();
  });

  it('fails to start on a port in use, naming the address, and closes the store it opened', async () => {
    const first = testConfig();
    const h = await startServer(first.config, { logDestination: new LogCapture() });
    const second = testConfig({ server: { port: h.port } });
    try {
      await expect(startServer(second.config, { logDestination: new LogCapture() })).rejects.toThrow(
        `listen on 127.0.0.1:${h.port}: EADDRINUSE`
      );
      // SQLite removes the WAL file when the last connection to a database closes.
      const { path } = second.config.store as { path: string };
      expect(existsSync(path)).toBe(true);
      expect(existsSync(`${path}-wal`)).toBe(false);
    } finally {
      await h.close();
      first.cleanup();
      second.cleanup();
    }
  });
});
