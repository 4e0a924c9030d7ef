/**
 * The `store` section's secrets (issue 14): a PostgreSQL password from `VIGIL_STORE_PASSWORD`,
 * `VIGIL_STORE_PASSWORD_FILE`, `store.passwordFile` or the URL (in that order of precedence; the
 * environment overrides the file, as `VIGIL_TOKEN` does). The resolved URL never carries the
 * password, so the URL may be shown; the password lives apart and is never logged.
 */
import { ConfigError, readSecretFile } from './configError';
import type { RawConfig, StoreConfig } from './schema';

/** The environment variables that give the store's password. */
export const STORE_PASSWORD_ENV = 'VIGIL_STORE_PASSWORD';
export const STORE_PASSWORD_FILE_ENV = 'VIGIL_STORE_PASSWORD_FILE';

/** `raw` with its password resolved (a SQLite store passes through). Throws ConfigError naming the key. */
export function resolveStore(raw: RawConfig['store'], env: Record<string, string | undefined>): StoreConfig {
  if (raw.type !== 'postgres') {
    return raw;
  }
  const fromEnv = env[STORE_PASSWORD_ENV];
  const fileFromEnv = env[STORE_PASSWORD_FILE_ENV];
  if (fromEnv !== undefined && fileFromEnv !== undefined) {
    throw new ConfigError(`config: set ${STORE_PASSWORD_ENV} or ${STORE_PASSWORD_FILE_ENV}, not both`);
  }
  const url = new URL(raw.url); // checked by the schema
  const inline = url.password === '' ? undefined : decodeURIComponent(url.password);
  if (inline !== undefined && raw.passwordFile !== undefined) {
    throw new ConfigError('config: store.url: holds a password and store.passwordFile is set: keep one');
  }
  url.password = '';
  let password: string | undefined;
  if (fromEnv !== undefined) {
    if (fromEnv === '') {
      throw new ConfigError(`config: ${STORE_PASSWORD_ENV} is empty`);
    }
    password = fromEnv;
  } else if (fileFromEnv !== undefined) {
    password = readSecretFile(fileFromEnv, `store.passwordFile (from ${STORE_PASSWORD_FILE_ENV})`);
  } else if (raw.passwordFile !== undefined) {
    password = readSecretFile(raw.passwordFile, 'store.passwordFile');
  } else {
    password = inline;
  }
  const { passwordFile: _file, ...rest } = raw;
  const out: StoreConfig = { ...rest, url: url.toString() };
  if (password !== undefined) {
    out.password = password;
  }
  return out;
}
