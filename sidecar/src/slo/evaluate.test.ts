// An SLO whose datasource does not answer: evaluateSlo rejects with the query's error and leaves no
// rejection unhandled (the windows, the tail and the hour buckets are all in flight when one fails).
import { createServer } from 'node:net';
import { loadConfig } from '../config/load';
import { createSource } from '../sources';
import { counterSlo } from '../testing/sloData';
import { SloBucketCache } from './bucketCounts';
import { evaluateSlo } from './evaluate';

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

it('rejects once when the datasource is down, with no unhandled rejection', async () => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const source = createSource(
    loadConfig({
      values: { datasources: [{ name: 'prom', type: 'prometheus', url }] },
      env: { VIGIL_TOKEN: 'slo-unit-token-0123456789abcdef' },
    }).datasources[0]
  );
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    // At half past the hour: the long windows read hour buckets and the tail since the hour.
    const at = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 30 * 60_000;
    await expect(
      evaluateSlo(counterSlo('slo_unit', 'api'), source, at, { buckets: new SloBucketCache() })
    ).rejects.toThrow(/prom/);
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  expect(unhandled).toEqual([]);
});
