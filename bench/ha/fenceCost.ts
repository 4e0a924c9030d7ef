/**
 * What the lease fence costs a leader write on PostgreSQL (issue 14; `checkLeaseFence`, store/pg/pgDb.ts):
 * the same small flush commit (one group, one notification, as the dispatcher's) run N times outside
 * and inside the fence context, alternating in blocks, on a real PostgreSQL 15 (loopback). Prints the
 * mean time per commit of each and the difference: the fence's round trip (a `SELECT … FOR SHARE` of
 * the lease row at the start of each transaction). Run: `npx tsc -b sidecar && npx esbuild
 * bench/ha/fenceCost.ts --bundle --platform=node --outfile=bench/.out/fenceCost.js && node
 * bench/.out/fenceCost.js` (env N, default 2000).
 */
import { startPostgres } from '../../test/harness';
import { leaseFenceContext } from '../../sidecar/src/ha/fenceContext';
import { pgLease } from '../../sidecar/src/store/pg/pgLease';
import { openPgStore } from '../../sidecar/src/store/pg/pgStore';
import { outboxDedupKey } from '../../sidecar/src/store/sqliteOutbox';
import type { FlushCommit } from '../../sidecar/src/store/notifyStore';

const N = Number(process.env.N ?? 2000);
const BLOCK = 100;

async function main(): Promise<void> {
  const pg = await startPostgres();
  try {
    const url = await pg.createDatabase('fence_cost');
    const store = await openPgStore({ url });
    const lease = pgLease({ url, ttlMs: 600_000 });
    const claim = await lease.claim('evaluation', 'bench', 600_000, null);
    const fence = { name: 'evaluation', holder: 'bench', term: claim.record!.term };
    let i = 0;
    const commit = (): FlushCommit[] => {
      const key = `g${i++}`;
      const now = Date.now();
      return [
        {
          group: {
            key,
            routeId: 'root',
            receiver: 'hook',
            groupLabels: { alertname: key },
            state: { key, firstAlertAt: now, lastFlushAt: now, lastNotified: null },
            nextFlushAt: now + 60_000,
          },
          notifications: [
            {
              channel: 'hook',
              groupKey: key,
              dedupKey: outboxDedupKey('hook', key, '1'),
              payload: { key },
              createdAt: now,
            },
          ],
          removeFingerprints: [],
        },
      ];
    };
    const ms = { plain: 0, fenced: 0 };
    for (let done = 0; done < N; done += BLOCK) {
      for (const kind of ['plain', 'fenced'] as const) {
        const t0 = process.hrtime.bigint();
        for (let k = 0; k < BLOCK; k++) {
          const c = commit();
          await (kind === 'fenced' ? leaseFenceContext.run(fence, () => store.commitFlush(c)) : store.commitFlush(c));
        }
        ms[kind] += Number(process.hrtime.bigint() - t0) / 1e6;
      }
    }
    const per = { plain: ms.plain / N, fenced: ms.fenced / N };
    console.log(
      `flush commit: ${per.plain.toFixed(3)} ms unfenced, ${per.fenced.toFixed(3)} ms fenced: ` +
        `the fence costs ${(per.fenced - per.plain).toFixed(3)} ms per leader write (${N} of each)`
    );
    console.log(
      JSON.stringify({
        bench: 'ha_fence',
        speedup: Math.round((per.plain / per.fenced) * 1000) / 1000,
        ours: Math.round(per.fenced * 1000) / 1000,
        baseline: Math.round(per.plain * 1000) / 1000,
        unit: 'ms per flush commit',
        baseline_is: 'the same commit outside the lease fence context',
      })
    );
    await lease.close();
    await store.close();
  } finally {
    await pg.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
