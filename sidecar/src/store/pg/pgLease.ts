/**
 * The leader lease on PostgreSQL (issue 14): a row in `leader_lease` (holder, term, expires_at on the
 * database's clock) AND a session advisory lock, both on one dedicated connection.
 *
 * Why both: the row alone survives a cut connection until it expires, so a partitioned leader that has
 * not noticed yet cannot be overlapped — nobody takes the row before `expires_at`, and the leader stops
 * before it (Leadership's margin). The lock alone dies with its connection, which is what makes the
 * leader notice at once (`pg_terminate_backend`, a restarted server) and what keeps two live claimers
 * from ever holding the row in turn while both still believe they lead. A leader that hangs without
 * its connection dying would keep the lock forever, so the session is given `idle_session_timeout` =
 * the lease's length: a replica that stops claiming loses its connection, its lock, and then its row.
 */
import { Client } from 'pg';
import { VigilError } from '../../errors';
import { leaseFenceContext } from '../../ha/fenceContext';
import type { LeaseBackend, LeaseClaim, LeaseRecord } from '../../ha/lease';
import { withPassword, type PgQueryable } from './pgDb';

/** Options of {@link pgLease}. */
export interface PgLeaseOptions {
  url: string;
  password?: string;
  /** `application_name` of the lease connection (the replica id, so an operator can find and cut it). */
  applicationName?: string;
  /** The lease's length: the session's idle timeout, and the bound on a claim's round trip. */
  ttlMs: number;
}

/** Advisory lock class of leases ("vigh"); the name's hash is the second key. */
const LOCK_CLASS = 0x76696768;

/** Epoch milliseconds on the database's clock (every replica reads the same one). */
const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;

const COLUMNS = `name, holder, term, acquired_at, renewed_at, expires_at, ${NOW_MS} AS db_now`;

interface Row {
  name: string;
  holder: string;
  term: string | number;
  acquired_at: string | number;
  renewed_at: string | number;
  expires_at: string | number;
  db_now: string | number;
}

function toRecord(r: Row): LeaseRecord {
  return {
    name: r.name,
    holder: r.holder,
    term: Number(r.term),
    acquiredAt: Number(r.acquired_at),
    renewedAt: Number(r.renewed_at),
    expiresAt: Number(r.expires_at),
    dbNow: Number(r.db_now),
  };
}

/**
 * The fence of a leader write, checked inside its transaction (call it first in the `db.tx` of a
 * leader-only write): the lease must still be the fenced write's holder's, of its term, unexpired. The
 * row is read `FOR SHARE`, so a takeover (an UPDATE of that row) waits until this transaction ends:
 * a fenced write and a takeover never overlap, whatever the clocks or stalls. Outside a fenced write
 * (no context: SQLite, the API's writes, tests) it does nothing.
 */
export async function checkLeaseFence(q: PgQueryable): Promise<void> {
  const fence = leaseFenceContext.getStore();
  if (!fence) {
    return;
  }
  const rows = await q.query(
    `SELECT 1 AS ok FROM leader_lease WHERE name = ? AND holder = ? AND term = ? AND expires_at > ${NOW_MS} FOR SHARE`,
    [fence.name, fence.holder, fence.term]
  );
  if (rows.length === 0) {
    throw new VigilError('not_leader', `store: write refused: ${fence.holder} no longer holds term ${fence.term}`, {
      status: 503,
      retryable: true,
    });
  }
}

/** A {@link LeaseBackend} on PostgreSQL; connects on the first claim and again after a loss. */
export function pgLease(opts: PgLeaseOptions): LeaseBackend {
  let client: Client | undefined;
  let connecting: Promise<Client> | undefined;
  /** Lease names whose advisory lock the current connection holds. */
  let locked = new Set<string>();
  let closed = false;
  const lostCallbacks: Array<() => void> = [];
  /** LISTEN channels and their callbacks (channel names are fixed identifiers of the code). */
  const channels = new Map<string, Array<(payload: string) => void>>();
  const listen = (c: Client, channel: string) => c.query(`LISTEN ${channel}`);
  // One call at a time on the lease connection: a renewal and an outbox signal may coincide, and pg
  // only queues concurrent queries on one client under a deprecation warning (an error in pg 9).
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };

  const lost = (c: Client) => {
    if (client !== c) {
      return;
    }
    client = undefined;
    locked = new Set();
    c.end().catch(() => undefined);
    for (const cb of lostCallbacks) {
      cb();
    }
  };

  const connect = (): Promise<Client> => {
    if (client) {
      return Promise.resolve(client);
    }
    connecting ??= (async () => {
      const c = new Client({
        connectionString: withPassword(opts.url, opts.password),
        application_name: opts.applicationName ?? 'vigil-lease',
        connectionTimeoutMillis: opts.ttlMs,
        // A claim that cannot finish within the lease is a failed claim (the leader's margin runs on).
        query_timeout: opts.ttlMs,
        statement_timeout: opts.ttlMs,
        keepAlive: true,
      });
      c.on('error', () => lost(c));
      c.on('end', () => lost(c));
      c.on('notification', (msg) => {
        for (const cb of channels.get(msg.channel) ?? []) {
          cb(msg.payload ?? '');
        }
      });
      try {
        await c.connect();
        await c.query(`SET idle_session_timeout = ${Math.max(1000, Math.ceil(opts.ttlMs))}`);
        for (const channel of channels.keys()) {
          await listen(c, channel);
        }
      } catch (err) {
        c.end().catch(() => undefined);
        throw err;
      }
      if (closed) {
        await c.end();
        throw new Error('lease: closed');
      }
      client = c;
      return c;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const read = async (c: Client, name: string): Promise<LeaseRecord | null> => {
    const rows = (await c.query<Row>(`SELECT ${COLUMNS} FROM leader_lease WHERE name = $1`, [name])).rows;
    return rows[0] ? toRecord(rows[0]) : null;
  };

  /** Claims or renews `name` on `c` (one call at a time: {@link serial}). */
  const claimOn = async (
    c: Client,
    name: string,
    holder: string,
    ttlMs: number,
    term: number | null
  ): Promise<LeaseClaim> => {
    if (!locked.has(name)) {
      const r = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
        LOCK_CLASS,
        name,
      ]);
      if (!r.rows[0]?.ok) {
        return { held: false, record: await read(c, name) };
      }
      locked.add(name);
    }
    if (term !== null) {
      const renewed = await c.query<Row>(
        `UPDATE leader_lease SET renewed_at = ${NOW_MS}, expires_at = ${NOW_MS} + $4
         WHERE name = $1 AND holder = $2 AND term = $3 AND expires_at > ${NOW_MS}
         RETURNING ${COLUMNS}`,
        [name, holder, term, Math.round(ttlMs)]
      );
      if (renewed.rows[0]) {
        return { held: true, record: toRecord(renewed.rows[0]) };
      }
    }
    // Taken only once expired: a partitioned leader is trusted to stop by then, never overlapped.
    const taken = await c.query<Row>(
      `INSERT INTO leader_lease (name, holder, term, acquired_at, renewed_at, expires_at)
       VALUES ($1, $2, 1, ${NOW_MS}, ${NOW_MS}, ${NOW_MS} + $3)
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, term = leader_lease.term + 1,
         acquired_at = EXCLUDED.acquired_at, renewed_at = EXCLUDED.renewed_at, expires_at = EXCLUDED.expires_at
       WHERE leader_lease.expires_at <= EXCLUDED.renewed_at
       RETURNING ${COLUMNS}`,
      [name, holder, Math.round(ttlMs)]
    );
    if (taken.rows[0]) {
      return { held: true, record: toRecord(taken.rows[0]) };
    }
    return { held: false, record: await read(c, name) };
  };

  return {
    async claim(name, holder, ttlMs, term): Promise<LeaseClaim> {
      const c = await connect();
      return serial(() => claimOn(c, name, holder, ttlMs, term));
    },

    async release(name, holder, term) {
      const c = client;
      if (!c) {
        return;
      }
      await serial(async () => {
        await c.query(`UPDATE leader_lease SET expires_at = ${NOW_MS} WHERE name = $1 AND holder = $2 AND term = $3`, [
          name,
          holder,
          term,
        ]);
        if (locked.delete(name)) {
          await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, name]);
        }
      });
    },

    onLost(cb) {
      lostCallbacks.push(cb);
    },

    subscribe(channel, cb) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) {
        throw new Error(`lease: not a channel name: ${channel}`);
      }
      const first = !channels.has(channel);
      channels.set(channel, [...(channels.get(channel) ?? []), cb]);
      // Connected already: listen now; otherwise connect() does when it connects.
      const c = client;
      if (first && c) {
        serial(() => listen(c, channel)).catch(() => undefined);
      }
    },

    async signal(channel, payload = '') {
      const c = await connect();
      await serial(() => c.query('SELECT pg_notify($1, $2)', [channel, payload]));
    },

    async close() {
      closed = true;
      const c = client;
      client = undefined;
      locked = new Set();
      await c?.end().catch(() => undefined);
    },
  };
}
