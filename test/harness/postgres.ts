// Real PostgreSQL 15 (Debian package `postgresql`) on a free loopback port: a throwaway cluster per call,
// password authentication (scram-sha-256) as a production server has, fsync off (a test's data need not
// survive a power cut; the sidecars under test are what get killed).
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { freePort, makeRoot, spawnServer, withPortRetry, type ServerHandle } from './process';

/** Options for {@link startPostgres}. */
export interface PostgresOptions {
  port?: number;
  readyTimeoutMs?: number;
}

/** A running PostgreSQL cluster with a superuser `vigil` and a database `vigil`. */
export interface PostgresHandle extends Omit<ServerHandle, 'url'> {
  /** `postgres://vigil:<password>@127.0.0.1:<port>/vigil`. */
  url: string;
  /** The same URL without the password (what a config file holds when the password comes from a file). */
  urlWithoutPassword: string;
  password: string;
  /** A file holding the password (for `passwordFile` configs). */
  passwordFile: string;
  /** Creates a fresh database and returns its URL (with the password): one per test keeps tests apart. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL as the superuser on database `vigil` (e.g. `pg_terminate_backend`). */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

const USER = 'vigil';

/** Finds the PostgreSQL binaries: Debian keeps them in /usr/lib/postgresql/<major>/bin, off PATH. */
export function postgresBinDir(): string {
  const override = process.env.VIGIL_POSTGRES_BIN_DIR;
  if (override) {
    return override;
  }
  const base = '/usr/lib/postgresql';
  let majors: string[] = [];
  try {
    majors = readdirSync(base).filter((d) => /^\d+$/.test(d));
  } catch {
    // not installed
  }
  if (!majors.length) {
    throw new Error('PostgreSQL not found in /usr/lib/postgresql: apt-get install postgresql');
  }
  majors.sort((a, b) => Number(b) - Number(a));
  return join(base, majors[0], 'bin');
}

/** PostgreSQL refuses to run as root: when we are root, the cluster belongs to the `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) {
    return undefined;
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** Starts a fresh cluster on 127.0.0.1 and waits until it accepts connections. */
export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresHandle> {
  const bin = postgresBinDir();
  const owner = runAs();
  const password = randomBytes(12).toString('hex');
  return withPortRetry(async () => {
    const root = makeRoot('postgres');
    const dataDir = join(root, 'data');
    const passwordFile = join(root, 'password');
    writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
    mkdirSync(dataDir, { mode: 0o700 });
    if (owner) {
      for (const p of [root, dataDir, passwordFile]) {
        chownSync(p, owner.uid, owner.gid);
      }
    }
    execFileSync(
      join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        USER,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '-E',
        'UTF8',
        '--no-instructions',
      ],
      { stdio: 'pipe', uid: owner?.uid, gid: owner?.gid }
    );
    const port = opts.port ?? (await freePort());
    const adminUrl = (db: string): string => `postgres://${USER}:${password}@127.0.0.1:${port}/${db}`;
    const sql = async <T>(db: string, text: string, params?: unknown[]): Promise<T[]> => {
      const client = new Client({ connectionString: adminUrl(db), connectionTimeoutMillis: 2000 });
      await client.connect();
      try {
        return (await client.query(text, params)).rows as T[];
      } finally {
        await client.end();
      }
    };
    const server = await spawnServer({
      name: 'postgres',
      bin: join(bin, 'postgres'),
      args: [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-k',
        root,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=200',
      ],
      root,
      dataDir,
      port,
      runAs: owner,
      ready: async () => {
        await sql('postgres', 'SELECT 1');
        return true;
      },
      readyTimeoutMs: opts.readyTimeoutMs ?? 30000,
    });
    await sql('postgres', `CREATE DATABASE ${USER}`);
    return {
      ...server,
      url: adminUrl(USER),
      urlWithoutPassword: `postgres://${USER}@127.0.0.1:${port}/${USER}`,
      password,
      passwordFile,
      createDatabase: async (name: string) => {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
          throw new Error(`createDatabase: not a plain identifier: ${name}`);
        }
        await sql('postgres', `CREATE DATABASE ${name}`);
        return adminUrl(name);
      },
      sql: <T>(text: string, params?: unknown[]) => sql<T>(USER, text, params),
    };
  });
}
