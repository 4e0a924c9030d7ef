import { z } from 'zod';
import { checkDetector, detectorSchema, type DetectorConfig } from './detectorSchema';
import { notifySchema, type NotifyConfig } from './notifySchema';
import { correlationSchema, type CorrelationSettings } from './correlationSchema';
import { haSchema, type HaConfig } from './haSchema';

/**
 * The sidecar's one configuration schema. Every object is strict, so a misspelt key is an error
 * rather than a silently ignored setting. Secrets may be given inline (`token`, `password`) or as a
 * file path (`tokenFile`, `passwordFile`); `load.ts` resolves files and environment overrides and
 * returns a {@link Config} in which every secret is a plain string.
 */

/** Log levels pino understands, in order of verbosity. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Minimum length of the API bearer token: short tokens are guessable. */
export const MIN_TOKEN_LENGTH = 16;

// The custom message only for present-but-bad values; a missing URL keeps the "required" wording.
const httpUrl = z.url({
  protocol: /^https?$/,
  error: (iss) => (iss.input === undefined ? undefined : 'Invalid URL (expected http:// or https://)'),
});
const nonEmpty = z.string().min(1, 'must not be empty');

// body-parser's size syntax ("100kb", "1mb") or a byte count.
const byteSize = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, 'expected a size such as "1mb", "512kb" or a byte count'),
]);

const basicAuth = z.strictObject({
  username: nonEmpty,
  password: nonEmpty.optional(),
  passwordFile: nonEmpty.optional(),
});

const datasourceCommon = {
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 letters, digits, "_", "." or "-"'),
  url: httpUrl,
  /** Per-request timeout for queries; health checks use `server.healthTimeoutMs`. */
  timeoutSeconds: z.number().positive().max(600).default(30),
  basicAuth: basicAuth.optional(),
  /** Bearer token (Prometheus behind a proxy) or InfluxDB 1.8+ `Token` credentials. */
  token: nonEmpty.optional(),
  tokenFile: nonEmpty.optional(),
};

const prometheusDatasource = z.strictObject({ ...datasourceCommon, type: z.literal('prometheus') });

const influxDatasource = z.strictObject({
  ...datasourceCommon,
  type: z.literal('influxdb'),
  database: nonEmpty,
  retentionPolicy: nonEmpty.optional(),
});

const datasource = z.discriminatedUnion('type', [prometheusDatasource, influxDatasource], {
  error: 'expected type "prometheus" or "influxdb"',
});

const sqliteStore = z.strictObject({
  type: z.literal('sqlite'),
  path: nonEmpty.default('./.vigil/vigil.db'),
  busyTimeoutMs: z.number().int().min(0).default(5000),
});

// A PostgreSQL connection URL; the message never repeats the value (it may hold a password).
const postgresUrl = z.string().superRefine((v, ctx) => {
  let u: URL | undefined;
  try {
    u = new URL(v);
  } catch {
    // reported below
  }
  if (!u || !/^postgres(ql)?:$/.test(u.protocol) || !u.hostname) {
    ctx.addIssue({ code: 'custom', message: 'expected a URL such as postgres://vigil@db.example:5432/vigil' });
  }
});

/** PostgreSQL (issue 14): several sidecars share it. The password: `passwordFile`, the environment, or the URL. */
const postgresStore = z.strictObject({
  type: z.literal('postgres'),
  /** `postgres://user@host:port/database[?sslmode=…]`; a password in it works, a file keeps it out of the config. */
  url: postgresUrl,
  passwordFile: nonEmpty.optional(),
  /** Connections per sidecar. */
  poolSize: z.number().int().min(1).max(100).default(10),
});

/** The configuration file's schema (YAML, after environment overrides, before secrets are resolved). */
export const configSchema = z
  .strictObject({
    server: z
      .strictObject({
        host: nonEmpty.default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8787),
        bodyLimit: byteSize.default('1mb'),
        /** How long SIGTERM waits for in-flight requests before closing their sockets. */
        shutdownTimeoutMs: z.number().int().min(0).default(10000),
        /** Per-datasource timeout of the health endpoint's reachability check. */
        healthTimeoutMs: z.number().int().positive().default(2000),
      })
      .prefault({}),
    auth: z
      .strictObject({
        token: z.string().optional(),
        tokenFile: nonEmpty.optional(),
      })
      .prefault({}),
    store: z
      .discriminatedUnion('type', [sqliteStore, postgresStore], { error: 'expected type "sqlite" or "postgres"' })
      .prefault({ type: 'sqlite' }),
    log: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).prefault({}),
    datasources: z.array(datasource).default([]),
    detectors: z.array(detectorSchema).default([]),
    rules: z
      .strictObject({
        /** Folder of rule files (`*.yml`, `*.yaml`), reloaded on change and on SIGHUP; read-only via the API. */
        dir: nonEmpty.optional(),
        /** Queries the rule engine sends at once, over all datasources. */
        queryConcurrency: z.number().int().min(1).max(256).default(16),
        /** Series one rule may return; more is an evaluation error (protects the store). */
        maxSeriesPerRule: z.number().int().min(1).default(10000),
      })
      .prefault({}),
    /**
     * Metric names of the guide's monitoring API (`/api/v1/monitoring/metrics?metric_names=cpu_usage`)
     * mapped to the query that computes them.
     */
    metricNames: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'expected a metric name'),
        z.strictObject({ datasource: nonEmpty, query: nonEmpty, unit: z.string().optional() })
      )
      .default({}),
    /** Channels, routing, inhibition, time intervals and delivery of notifications (notifySchema.ts). */
    notify: notifySchema,
    /** Alert correlation into incidents (correlationSchema.ts). */
    correlation: correlationSchema,
    /** Replicas on one PostgreSQL store: the leader lease (haSchema.ts). */
    ha: haSchema,
  })
  .superRefine((cfg, ctx) => {
    const names = cfg.datasources.map((d) => d.name);
    reportDuplicateNames(cfg.detectors, 'detectors', 'detector', ctx);
    reportDuplicateNames(cfg.datasources, 'datasources', 'datasource', ctx);
    cfg.detectors.forEach((d, i) => {
      checkDetector(d, names, (path, message) =>
        ctx.addIssue({ code: 'custom', path: ['detectors', i, ...path], message })
      );
    });
    cfg.datasources.forEach((ds, i) => {
      if (ds.token !== undefined && ds.tokenFile !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['datasources', i, 'token'],
          message: 'set token or tokenFile, not both',
        });
      }
      if (ds.basicAuth && (ds.token !== undefined || ds.tokenFile !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['datasources', i, 'basicAuth'],
          message: 'set basicAuth or token, not both',
        });
      }
      const ba = ds.basicAuth;
      if (ba && (ba.password === undefined) === (ba.passwordFile === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['datasources', i, 'basicAuth', 'password'],
          message: 'set exactly one of password or passwordFile',
        });
      }
    });
  });

/** The parsed file shape (secrets possibly still as file paths). */
export type RawConfig = z.infer<typeof configSchema>;
type RawDatasource = RawConfig['datasources'][number];

type RawStore = RawConfig['store'];
/** A SQLite store's settings. */
export type SqliteStoreConfig = Extract<RawStore, { type: 'sqlite' }>;
/**
 * A PostgreSQL store's settings with the password resolved: `url` carries no password (it may be
 * shown or logged), `password` holds it when one was given (file, environment or the URL).
 */
export type PostgresStoreConfig = Omit<Extract<RawStore, { type: 'postgres' }>, 'passwordFile'> & { password?: string };
/** The store settings the server runs with. */
export type StoreConfig = SqliteStoreConfig | PostgresStoreConfig;

/** Credentials of a datasource after files are read. */
export type DatasourceAuth =
  { kind: 'none' } | { kind: 'basic'; username: string; password: string } | { kind: 'token'; token: string };

// Omit that keeps a union a union (plain Omit collapses it to the common keys).
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A datasource with its secrets resolved. */
export type DatasourceConfig = DistributiveOmit<RawDatasource, 'basicAuth' | 'token' | 'tokenFile'> & {
  auth: DatasourceAuth;
};
/** A Prometheus datasource. */
export type PrometheusDatasourceConfig = Extract<DatasourceConfig, { type: 'prometheus' }>;
/** An InfluxDB 1.x datasource. */
export type InfluxDatasourceConfig = Extract<DatasourceConfig, { type: 'influxdb' }>;

/** The resolved configuration the server runs with: every secret is a string, never a file path. */
export interface Config {
  server: RawConfig['server'];
  auth: { token: string };
  store: StoreConfig;
  log: RawConfig['log'];
  datasources: DatasourceConfig[];
  /** Anomaly detectors, durations resolved to milliseconds. */
  detectors: DetectorConfig[];
  rules: RawConfig['rules'];
  metricNames: RawConfig['metricNames'];
  notify: NotifyConfig;
  correlation: CorrelationSettings;
  /** Absent in configs built by hand (tests): the defaults apply. */
  ha?: HaConfig;
}

export type { DetectorConfig } from './detectorSchema';

/** Adds an issue at `<key>.<i>.name` for each item whose name an earlier item already has. */
function reportDuplicateNames(
  items: ReadonlyArray<{ name: string }>,
  key: string,
  what: string,
  ctx: z.RefinementCtx
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) {
      ctx.addIssue({ code: 'custom', path: [key, i, 'name'], message: `duplicate ${what} name "${item.name}"` });
    }
    seen.add(item.name);
  });
}
