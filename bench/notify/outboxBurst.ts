/**
 * The outbox part of a flush burst, apart from HTTP and routing: 500 groups fall due together and each
 * enqueues one ~8 KB notification (20 alerts; commitFlush in steps of 50, as the dispatcher does), then
 * every notification is claimed and marked sent, on a SQLite file with the sidecar's settings.
 *
 *   npx esbuild bench/notify/outboxBurst.ts --bundle --platform=node --external:better-sqlite3 \
 *     --outfile=bench/.out/outboxBurst.js --log-level=warning && node bench/.out/outboxBurst.js [ROOT]
 *
 * Runs, alternating, in the same process: `claim` (enqueue pending, `claimDue`, `markSent`: the
 * worker's poll) and `handoff` (the flush stores the rows claimed by the worker of its process and hands
 * them over: `markSent` only). With ROOT (another checkout whose sidecar/dist was built, e.g. the
 * previous commit's), its compiled store runs the `claim` path too, as `previous`. Figures: the median
 * CPU ms per burst over 16 bursts each (the first 2 of each side are warm-up). speedup = claim / handoff
 * (or previous / handoff with ROOT). The last line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteStore } from '../../sidecar/src/store/sqlite';
import type { FlushCommit } from '../../sidecar/src/store/notifyStore';
import type { Store } from '../../sidecar/src/store/store';

const GROUPS = 500;
const STEP = 50;
const BURSTS = 16;
const WARMUP = 2;

const alerts = Array.from({ length: 20 }, (_, i) => ({
  status: 'firing',
  labels: { alertname: 'BenchGroup', instance: `host-${i}:9100`, service: 'svc', severity: 'warning', id: `a${i}` },
  annotations: { summary: `bench alert ${i} `.repeat(12) },
  startsAt: '2026-12-07T09:00:00.000Z',
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: '',
  fingerprint: `f${i}`.padEnd(16, '0'),
}));

type Path = 'claim' | 'handoff';

/** One burst on `store`; CPU ms. */
async function burst(store: Store, path: Path, round: number): Promise<number> {
  const cpu0 = process.cpuUsage();
  const now = Date.now();
  const handed = [];
  for (let s = 0; s < GROUPS / STEP; s++) {
    const commits: FlushCommit[] = [];
    for (let g = 0; g < STEP; g++) {
      const key = `{}:{alertname="G${s * STEP + g}"}`;
      commits.push({
        group: {
          key,
          routeId: 'root',
          receiver: 'hook',
          groupLabels: { alertname: key },
          state: { key, firstAlertAt: now, lastFlushAt: null, lastNotified: null },
          nextFlushAt: now + 1000,
        },
        notifications: [
          {
            channel: 'hook',
            groupKey: key,
            dedupKey: `hook|${key}|${round}`,
            payload: { receiver: 'hook', groupKey: key, alerts },
            createdAt: now,
          },
        ],
        removeFingerprints: [],
      });
    }
    const h = path === 'handoff' ? { worker: 'w', claimedUntil: now + 60_000, limit: 256 } : undefined;
    // The previous store's commitFlush takes one argument and returns nothing.
    handed.push(...(((await store.commitFlush(commits, h)) as unknown[] | undefined) ?? []));
  }
  const sends: Array<Promise<void>> = handed.map((r) => store.markSent((r as { id: string }).id));
  for (;;) {
    const claimed = await store.claimDue(Date.now(), 256, 'w', 60_000);
    if (claimed.length === 0) {
      break;
    }
    sends.push(...claimed.map((r) => store.markSent(r.id)));
  }
  await Promise.all(sends);
  const c = process.cpuUsage(cpu0);
  if (sends.length !== GROUPS) {
    throw new Error(`${path}: ${sends.length} sent, expected ${GROUPS}`);
  }
  return (c.user + c.system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const root = process.argv[2] ? resolve(process.argv[2]) : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-outbox-'));
  const sides: Array<{ name: string; path: Path; store: Store }> = [
    { name: 'claim', path: 'claim', store: openSqliteStore({ path: join(dir, 'claim.db') }) },
    { name: 'handoff', path: 'handoff', store: openSqliteStore({ path: join(dir, 'handoff.db') }) },
  ];
  if (root) {
    const previous = require(join(root, 'sidecar', 'dist', 'store', 'sqlite.js')) as {
      openSqliteStore: typeof openSqliteStore;
    };
    sides.push({ name: 'previous', path: 'claim', store: previous.openSqliteStore({ path: join(dir, 'prev.db') }) });
  }
  const cpu = new Map<string, number[]>(sides.map((s) => [s.name, []]));
  try {
    for (let round = 0; round < BURSTS; round++) {
      for (const s of sides) {
        const ms = await burst(s.store, s.path, round);
        if (round >= WARMUP) {
          cpu.get(s.name)!.push(ms);
        }
      }
    }
  } finally {
    await Promise.all(sides.map((s) => s.store.close()));
    rmSync(dir, { recursive: true, force: true });
  }
  const med = Object.fromEntries([...cpu].map(([k, v]) => [k, Math.round(median(v) * 10) / 10]));
  for (const [k, v] of cpu) {
    console.log(
      `${k.padEnd(8)} CPU ms per burst of ${GROUPS}: median ${med[k]} (${v.map((x) => x.toFixed(0)).join(' ')})`
    );
  }
  const base = root ? med.previous : med.claim;
  console.log(
    JSON.stringify({
      bench: 'notify-outbox-burst',
      speedup: Math.round((base / med.handoff) * 1000) / 1000,
      ours: med.handoff,
      baseline: base,
      unit: 'CPU ms per burst',
      ours_is: 'flush stores its rows claimed by the worker of its process (handoff), then markSent',
      baseline_is: root
        ? `the compiled store of ${root}: enqueue pending, claimDue, markSent`
        : 'the same store without handoff: enqueue pending, claimDue, markSent',
      groups: GROUPS,
      cpu_ms: med,
    })
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
