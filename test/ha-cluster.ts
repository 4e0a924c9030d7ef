// Helpers of the HA tests (issue 14): replicas of the real sidecar (compiled, from dist) on one real
// PostgreSQL, which one leads (their health reports), the lease row, and the evaluation log every
// replica writes at debug level ("ha: evaluations committed": replica, term, rule, evaluation time).
import { join } from 'node:path';
import { Client } from 'pg';
import type { HealthReport } from '../sidecar/src/api/health';
import { sidecarFetch, startSidecar, type SidecarHandle } from './harness/sidecar';

/** One replica: its folder and id survive restarts. */
export interface Replica {
  id: string;
  dir: string;
  handle?: SidecarHandle;
  /** Logs of the replica's earlier lives (a restart appends to the same file, kept here too). */
}

/** Starts (or restarts) `r` on the shared database with `config` besides store and ha. */
export async function startReplica(
  r: Replica,
  dbUrl: string,
  config: Record<string, unknown>,
  ha: Record<string, unknown>
): Promise<SidecarHandle> {
  r.handle = await startSidecar({
    dir: r.dir,
    entry: 'dist',
    store: { type: 'postgres', url: dbUrl },
    config: { ...config, ha: { ...ha, replicaId: r.id } },
  });
  return r.handle;
}

/** The replica's health report (with the token), or undefined when it does not answer. */
export async function health(sc: SidecarHandle): Promise<HealthReport | undefined> {
  try {
    const res = await sidecarFetch<HealthReport>(sc, '/api/v1/monitoring/health');
    return res.status === 200 ? res.body : undefined;
  } catch {
    return undefined;
  }
}

/** The live replica whose health says it leads (undefined when none does now). */
export async function leaderOf(replicas: readonly Replica[]): Promise<Replica | undefined> {
  for (const r of replicas) {
    if (r.handle && (await health(r.handle))?.ha?.leader) {
      return r;
    }
  }
  return undefined;
}

/** The lease row, read on the database (times on its clock, epoch ms). */
export interface LeaseRow {
  holder: string;
  term: number;
  acquiredAt: number;
  expiresAt: number;
}

/** Reads `leader_lease` (the `evaluation` lease). */
export async function leaseRow(dbUrl: string): Promise<LeaseRow | undefined> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const { rows } = await c.query<Record<string, string>>(
      "SELECT holder, term, acquired_at, expires_at FROM leader_lease WHERE name = 'evaluation'"
    );
    return rows[0]
      ? {
          holder: rows[0].holder,
          term: Number(rows[0].term),
          acquiredAt: Number(rows[0].acquired_at),
          expiresAt: Number(rows[0].expires_at),
        }
      : undefined;
  } finally {
    await c.end();
  }
}

/** Cuts every connection of an application name (the replica id names its lease connection). */
export async function cutConnections(adminSql: (text: string, params?: unknown[]) => Promise<unknown[]>, app: string) {
  return adminSql('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app]);
}

/** One committed evaluation, from a replica's log. */
export interface EvaluationRow {
  replica: string;
  term: number;
  rule: string;
  /** The evaluation's grid time, ms. */
  at: number;
  /** When the line was logged (the commit's end), ms. */
  loggedAt: number;
}

/** A leadership change line of a replica's log. */
export interface LeadershipRow {
  replica: string;
  leading: boolean;
  term: number;
  reason?: string;
  /** The lease's end (database clock) when it stopped leading. */
  expiresAt?: number | null;
  loggedAt: number;
}

/** Parses the JSON log lines of a replica's log file. */
function lines(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('{')) {
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a line cut by kill -9
      }
    }
  }
  return out;
}

/** The evaluation log and leadership changes of these replicas (every life: the log file is appended). */
export function readLogs(replicas: readonly Replica[]): { evaluations: EvaluationRow[]; changes: LeadershipRow[] } {
  const evaluations: EvaluationRow[] = [];
  const changes: LeadershipRow[] = [];
  for (const r of replicas) {
    const text = r.handle?.logs() ?? '';
    for (const l of lines(text)) {
      if (l.msg === 'ha: evaluations committed') {
        for (const [rule, at] of l.evaluations as Array<[string, number]>) {
          evaluations.push({
            replica: r.id,
            term: l.term as number,
            rule,
            at,
            loggedAt: typeof l.time === 'number' ? l.time : Date.parse(String(l.time)),
          });
        }
      } else if (l.msg === 'ha: leading' || l.msg === 'ha: stopped leading') {
        changes.push({
          replica: r.id,
          leading: l.msg === 'ha: leading',
          term: l.term as number,
          reason: l.reason as string | undefined,
          expiresAt: l.expiresAt as number | null | undefined,
          loggedAt: typeof l.time === 'number' ? l.time : Date.parse(String(l.time)),
        });
      }
    }
  }
  return { evaluations, changes };
}

/**
 * Problems in an evaluation log: an evaluation committed outside a term (by a standby), a term evaluated
 * by two replicas, or two terms interleaved (a later term evaluating a grid time at or before one an
 * earlier term evaluated: two leaders in one interval).
 */
export function overlaps(rows: readonly EvaluationRow[]): string[] {
  const problems: string[] = [];
  const byTerm = new Map<number, EvaluationRow[]>();
  for (const r of rows) {
    if (typeof r.term !== 'number') {
      problems.push(`${r.replica} committed an evaluation at ${new Date(r.at).toISOString()} without leading`);
      continue;
    }
    byTerm.set(r.term, [...(byTerm.get(r.term) ?? []), r]);
  }
  const terms = [...byTerm.keys()].sort((a, b) => a - b);
  let lastAt = -Infinity;
  let lastTerm = 0;
  for (const t of terms) {
    const list = byTerm.get(t)!;
    const who = new Set(list.map((r) => r.replica));
    if (who.size > 1) {
      problems.push(`term ${t} evaluated by ${[...who].join(' and ')}`);
    }
    const first = Math.min(...list.map((r) => r.at));
    if (first <= lastAt) {
      problems.push(
        `term ${t} evaluated ${new Date(first).toISOString()}, term ${lastTerm} still at ${new Date(lastAt).toISOString()}`
      );
    }
    lastAt = Math.max(lastAt, ...list.map((r) => r.at));
    lastTerm = t;
  }
  return problems;
}

/** A replica's folder under `root`. */
export function replica(root: string, id: string): Replica {
  return { id, dir: join(root, id) };
}
