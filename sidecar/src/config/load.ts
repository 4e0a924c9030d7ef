import { readFileSync } from 'node:fs';
import { ConfigError, readSecretFile } from './configError';
import { resolveNotify } from './notifyResolve';
import { resolveCorrelation } from './correlationResolve';
import { resolveStore } from './storeResolve';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { resolveDetector } from './detectorSchema';
import { configSchema, MIN_TOKEN_LENGTH, type Config, type DatasourceAuth, type RawConfig } from './schema';

export { ConfigError, readSecretFile };

/** Where the configuration comes from; later sources override earlier ones. */
export interface LoadConfigOptions {
  /** YAML file path (`VIGIL_CONFIG` in `main.ts`). */
  file?: string;
  /** A config object of the same shape as the YAML file (tests, embedding); merged over the file. */
  values?: Record<string, unknown>;
  /** Environment (`VIGIL_TOKEN`, `VIGIL_TOKEN_FILE`, `VIGIL_PORT`, `VIGIL_HOST`, `VIGIL_DB_PATH`, `VIGIL_LOG_LEVEL`,
   * `VIGIL_STORE_PASSWORD`, `VIGIL_STORE_PASSWORD_FILE`). */
  env?: Record<string, string | undefined>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads, validates and resolves the configuration; throws {@link ConfigError} on any problem. */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  let raw: Obj = opts.file === undefined ? {} : readYaml(opts.file);
  if (opts.values) {
    raw = merge(raw, opts.values);
  }
  raw = applyEnv(raw, opts.env ?? {});
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map(formatIssue).join('\n'));
  }
  return resolve(parsed.data, opts.env ?? {});
}

function readYaml(file: string): Obj {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `config: cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config: ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) {
    return {};
  }
  if (!isObj(doc)) {
    throw new ConfigError(`config: ${file}: expected a mapping at the top level`);
  }
  return doc;
}

// Deep-merges plain objects; arrays and scalars from `over` replace those in `base`.
function merge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isObj(v) && isObj(out[k]) ? merge(out[k] as Obj, v) : v;
  }
  return out;
}

function section(raw: Obj, key: string): Obj {
  const cur = raw[key];
  // A non-object section is left alone so the schema reports its type error by key.
  return isObj(cur) ? { ...cur } : cur === undefined ? {} : (cur as Obj);
}

function applyEnv(raw: Obj, env: Record<string, string | undefined>): Obj {
  const out: Obj = { ...raw };
  const set = (key: string, field: string, value: unknown, drop?: string) => {
    const s = section(out, key);
    if (!isObj(s)) {
      return;
    }
    s[field] = value;
    if (drop) {
      delete s[drop];
    }
    out[key] = s;
  };
  if (env.VIGIL_TOKEN !== undefined && env.VIGIL_TOKEN_FILE !== undefined) {
    throw new ConfigError('config: set VIGIL_TOKEN or VIGIL_TOKEN_FILE, not both');
  }
  if (env.VIGIL_TOKEN !== undefined) {
    set('auth', 'token', env.VIGIL_TOKEN, 'tokenFile');
  }
  if (env.VIGIL_TOKEN_FILE !== undefined) {
    set('auth', 'tokenFile', env.VIGIL_TOKEN_FILE, 'token');
  }
  if (env.VIGIL_PORT !== undefined) {
    if (!/^\d{1,5}$/.test(env.VIGIL_PORT) || Number(env.VIGIL_PORT) > 65535) {
      throw new ConfigError(`config: VIGIL_PORT: expected a port number 0-65535, got "${env.VIGIL_PORT}"`);
    }
    set('server', 'port', Number(env.VIGIL_PORT));
  }
  if (env.VIGIL_HOST !== undefined) {
    set('server', 'host', env.VIGIL_HOST);
  }
  if (env.VIGIL_LOG_LEVEL !== undefined) {
    set('log', 'level', env.VIGIL_LOG_LEVEL);
  }
  // Replicas started from one config file (docker-compose's HA profile) differ only in this.
  if (env.VIGIL_REPLICA_ID !== undefined) {
    set('ha', 'replicaId', env.VIGIL_REPLICA_ID);
  }
  if (env.VIGIL_DB_PATH !== undefined) {
    const store = section(out, 'store');
    if (isObj(store) && store.type === undefined) {
      store.type = 'sqlite';
    }
    if (isObj(store) && store.type !== 'sqlite') {
      throw new ConfigError(`config: VIGIL_DB_PATH sets store.path, which a ${String(store.type)} store does not have`);
    }
    out.store = store;
    set('store', 'path', env.VIGIL_DB_PATH);
  }
  return out;
}

/** Formats one zod issue as `config: <key.path>: <problem>`. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    const what = issue.keys.length === 1 ? `unknown key ${keys}` : `unknown keys ${keys}`;
    return path ? `config: ${path}: ${what}` : `config: ${what}`;
  }
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return `config: ${path} is required`;
  }
  const msg = issue.message.replace(/^Invalid input: /, '');
  return path ? `config: ${path}: ${msg}` : `config: ${msg}`;
}

function resolveToken(raw: RawConfig, env: Record<string, string | undefined>): string {
  const { token, tokenFile } = raw.auth;
  const fromEnv =
    env.VIGIL_TOKEN !== undefined
      ? ' (from VIGIL_TOKEN)'
      : env.VIGIL_TOKEN_FILE !== undefined
        ? ' (from VIGIL_TOKEN_FILE)'
        : '';
  if (token !== undefined && tokenFile !== undefined) {
    throw new ConfigError('config: auth: set auth.token or auth.tokenFile, not both');
  }
  let value: string;
  let key: string;
  if (tokenFile !== undefined) {
    key = `auth.tokenFile${fromEnv}`;
    value = readSecretFile(tokenFile, key);
  } else if (token !== undefined && token !== '') {
    key = `auth.token${fromEnv}`;
    value = token;
  } else {
    throw new ConfigError(
      'config: auth.token is required (set auth.token, auth.tokenFile, VIGIL_TOKEN or VIGIL_TOKEN_FILE)'
    );
  }
  if (value.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(`config: ${key} must be at least ${MIN_TOKEN_LENGTH} characters (got ${value.length})`);
  }
  if (/\s/.test(value)) {
    throw new ConfigError(`config: ${key} must not contain whitespace`);
  }
  return value;
}

function resolveDatasourceAuth(ds: RawConfig['datasources'][number], i: number): DatasourceAuth {
  if (ds.basicAuth) {
    const password =
      ds.basicAuth.password ??
      readSecretFile(ds.basicAuth.passwordFile as string, `datasources.${i}.basicAuth.passwordFile`);
    return { kind: 'basic', username: ds.basicAuth.username, password };
  }
  if (ds.token !== undefined) {
    return { kind: 'token', token: ds.token };
  }
  if (ds.tokenFile !== undefined) {
    return { kind: 'token', token: readSecretFile(ds.tokenFile, `datasources.${i}.tokenFile`) };
  }
  return { kind: 'none' };
}

function resolve(raw: RawConfig, env: Record<string, string | undefined>): Config {
  const token = resolveToken(raw, env);
  const datasources = raw.datasources.map((ds, i) => {
    const { basicAuth: _b, token: _t, tokenFile: _f, ...rest } = ds;
    return { ...rest, auth: resolveDatasourceAuth(ds, i) };
  });
  const detectors = raw.detectors.map(resolveDetector);
  return {
    server: raw.server,
    auth: { token },
    store: resolveStore(raw.store, env),
    log: raw.log,
    datasources,
    detectors,
    rules: raw.rules,
    metricNames: raw.metricNames,
    notify: resolveNotify(raw.notify, env),
    correlation: resolveCorrelation(raw.correlation),
    ha: raw.ha,
  };
}
