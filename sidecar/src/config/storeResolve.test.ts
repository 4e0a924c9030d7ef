// The `store` section (issue 14): SQLite or PostgreSQL, the PostgreSQL password from the environment,
// a file or the URL, kept out of the resolved URL and out of every error message.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load';

const TOKEN = 'test-token-0123456789abcdef';
const SECRET = 's3cr3t/p@ss%word';
let dir: string;
let passwordFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-store-config-'));
  passwordFile = join(dir, 'pgpass');
  writeFileSync(passwordFile, `${SECRET}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (store: Record<string, unknown>, env: Record<string, string> = {}) =>
  loadConfig({ values: { store }, env: { VIGIL_TOKEN: TOKEN, ...env } });

function configError(store: Record<string, unknown>, env: Record<string, string> = {}): string {
  try {
    load(store, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig: store', () => {
  it('reads a postgres store with its defaults, no password when none is given', () => {
    expect(load({ type: 'postgres', url: 'postgres://vigil@db.internal:5432/vigil' }).store).toEqual({
      type: 'postgres',
      url: 'postgres://vigil@db.internal:5432/vigil',
      poolSize: 10,
    });
    expect(
      load({ type: 'postgres', url: 'postgresql://vigil@127.0.0.1/vigil?sslmode=require', poolSize: 4 }).store
    ).toMatchObject({ url: 'postgresql://vigil@127.0.0.1/vigil?sslmode=require', poolSize: 4 });
  });

  it('reads the password from store.passwordFile, without the trailing newline', () => {
    expect(load({ type: 'postgres', url: 'postgres://vigil@127.0.0.1:5432/vigil', passwordFile }).store).toEqual({
      type: 'postgres',
      url: 'postgres://vigil@127.0.0.1:5432/vigil',
      poolSize: 10,
      password: SECRET,
    });
  });

  it('takes an inline password out of the URL', () => {
    const url = `postgres://vigil:${encodeURIComponent(SECRET)}@127.0.0.1:5432/vigil`;
    expect(load({ type: 'postgres', url }).store).toMatchObject({
      url: 'postgres://vigil@127.0.0.1:5432/vigil',
      password: SECRET,
    });
  });

  it('lets VIGIL_STORE_PASSWORD and VIGIL_STORE_PASSWORD_FILE override the file and the URL', () => {
    const url = 'postgres://vigil:inline@127.0.0.1:5432/vigil';
    expect(load({ type: 'postgres', url }, { VIGIL_STORE_PASSWORD: 'from-env' }).store).toMatchObject({
      url: 'postgres://vigil@127.0.0.1:5432/vigil',
      password: 'from-env',
    });
    expect(
      load(
        { type: 'postgres', url: 'postgres://vigil@h/vigil', passwordFile: '/nonexistent' },
        { VIGIL_STORE_PASSWORD_FILE: passwordFile }
      ).store
    ).toMatchObject({ password: SECRET });
    // A SQLite store has no password: the variables change nothing.
    expect(load({ type: 'sqlite', path: '/tmp/v.db' }, { VIGIL_STORE_PASSWORD: 'x' }).store).toEqual({
      type: 'sqlite',
      path: '/tmp/v.db',
      busyTimeoutMs: 5000,
    });
  });

  it('names the key of each problem and never prints the password', () => {
    const problems = [
      configError({ type: 'postgres' }),
      configError({ type: 'postgres', url: `http://vigil:${SECRET}@h/vigil` }),
      configError({ type: 'postgres', url: `not a url ${SECRET}` }),
      configError({ type: 'postgres', url: `postgres://vigil:${encodeURIComponent(SECRET)}@h/vigil`, passwordFile }),
      configError({ type: 'postgres', url: 'postgres://h/vigil', passwordFile: join(dir, 'missing') }),
      configError(
        { type: 'postgres', url: 'postgres://h/vigil' },
        { VIGIL_STORE_PASSWORD: 'a', VIGIL_STORE_PASSWORD_FILE: 'b' }
      ),
      configError({ type: 'postgres', url: 'postgres://h/vigil', poolSize: 0 }),
      configError({ type: 'mysql' }),
      configError({ type: 'postgres', url: 'postgres://h/vigil' }, { VIGIL_DB_PATH: '/tmp/x.db' }),
    ];
    expect(problems).toEqual([
      'config: store.url is required',
      'config: store.url: expected a URL such as postgres://vigil@db.example:5432/vigil',
      'config: store.url: expected a URL such as postgres://vigil@db.example:5432/vigil',
      'config: store.url: holds a password and store.passwordFile is set: keep one',
      `config: store.passwordFile: cannot read ${join(dir, 'missing')}: ENOENT`,
      'config: set VIGIL_STORE_PASSWORD or VIGIL_STORE_PASSWORD_FILE, not both',
      expect.stringMatching(/^config: store\.poolSize: /),
      expect.stringMatching(/^config: store(\.type)?: expected type "sqlite" or "postgres"/),
      'config: VIGIL_DB_PATH sets store.path, which a postgres store does not have',
    ]);
    for (const p of problems) {
      expect(p).not.toContain('s3cr3t');
      expect(p).not.toContain(encodeURIComponent(SECRET));
    }
  });
});
