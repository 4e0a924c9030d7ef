import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load';

const TOKEN = 'test-token-0123456789abcdef';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function yamlFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The ConfigError message loadConfig throws for these options (fails the test if it does not throw). */
function configError(opts: Parameters<typeof loadConfig>[0]): string {
  try {
    loadConfig(opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({ env: { VIGIL_TOKEN: TOKEN } });
    expect(c.server).toEqual({
      host: '127.0.0.1',
      port: 8787,
      bodyLimit: '1mb',
      shutdownTimeoutMs: 10000,
      healthTimeoutMs: 2000,
    });
    expect(c.store).toEqual({ type: 'sqlite', path: './.vigil/vigil.db', busyTimeoutMs: 5000 });
    expect(c.log.level).toBe('info');
    expect(c.auth.token).toBe(TOKEN);
    expect(c.datasources).toEqual([]);
  });

  it('reads the YAML file of the contract', () => {
    const file = yamlFile(
      'ok.yaml',
      `server: { host: 127.0.0.1, port: 9999, bodyLimit: 64kb }
auth: { token: "${TOKEN}" }
store: { type: sqlite, path: /tmp/x.db }
log: { level: debug }
datasources:
  - { name: prometheus, type: prometheus, url: "http://127.0.0.1:9090" }
  - { name: influxdb, type: influxdb, url: "http://127.0.0.1:8086", database: vigil }
`
    );
    const c = loadConfig({ file });
    expect(c.server.port).toBe(9999);
    expect(c.server.bodyLimit).toBe('64kb');
    expect(c.log.level).toBe('debug');
    expect(c.datasources.map((d) => [d.name, d.type, d.auth.kind])).toEqual([
      ['prometheus', 'prometheus', 'none'],
      ['influxdb', 'influxdb', 'none'],
    ]);
    expect(c.datasources[1]).toMatchObject({ database: 'vigil', timeoutSeconds: 30 });
  });

  it('accepts the documented example config', () => {
    const c = loadConfig({ file: join(__dirname, '../../config.example.yaml'), env: { VIGIL_TOKEN: TOKEN } });
    expect(c.datasources.map((d) => d.name)).toEqual(['prometheus', 'influxdb']);
  });

  it('lets the environment override the file', () => {
    const file = yamlFile(
      'env.yaml',
      `server: { port: 1234, host: 0.0.0.0 }\nauth: { token: "${TOKEN}" }\nlog: { level: warn }\n`
    );
    const c = loadConfig({
      file,
      env: {
        VIGIL_PORT: '0',
        VIGIL_HOST: '127.0.0.2',
        VIGIL_DB_PATH: '/tmp/other.db',
        VIGIL_LOG_LEVEL: 'error',
        VIGIL_TOKEN: 'env-token-abcdefghijklmnop',
      },
    });
    expect(c.server.port).toBe(0);
    expect(c.server.host).toBe('127.0.0.2');
    expect(c.store).toMatchObject({ type: 'sqlite', path: '/tmp/other.db' });
    expect(c.log.level).toBe('error');
    expect(c.auth.token).toBe('env-token-abcdefghijklmnop');
  });

  it('reads the token from a file, without the trailing newline', () => {
    const tokenFile = yamlFile('token', `${TOKEN}\n`);
    expect(loadConfig({ values: { auth: { tokenFile } } }).auth.token).toBe(TOKEN);
    expect(loadConfig({ env: { VIGIL_TOKEN_FILE: tokenFile } }).auth.token).toBe(TOKEN);
    // VIGIL_TOKEN_FILE replaces an inline token from the file.
    expect(
      loadConfig({ values: { auth: { token: 'x'.repeat(20) } }, env: { VIGIL_TOKEN_FILE: tokenFile } }).auth.token
    ).toBe(TOKEN);
  });

  it('resolves datasource secrets from files', () => {
    const pw = yamlFile('pw', 's3cret-pass\n');
    const c = loadConfig({
      env: { VIGIL_TOKEN: TOKEN },
      values: {
        datasources: [
          {
            name: 'p',
            type: 'prometheus',
            url: 'http://127.0.0.1:9090',
            basicAuth: { username: 'u', passwordFile: pw },
          },
          { name: 'i', type: 'influxdb', url: 'http://127.0.0.1:8086', database: 'db', tokenFile: pw },
        ],
      },
    });
    expect(c.datasources[0].auth).toEqual({ kind: 'basic', username: 'u', password: 's3cret-pass' });
    expect(c.datasources[1].auth).toEqual({ kind: 'token', token: 's3cret-pass' });
  });

  describe('rejects a bad config naming the key', () => {
    const env = { VIGIL_TOKEN: TOKEN };
    const ds = { name: 'prom', type: 'prometheus', url: 'http://127.0.0.1:9090' };
    it.each<[string, Record<string, unknown>, string]>([
      ['unknown top-level key', { serverr: {} }, 'config: unknown key "serverr"'],
      ['unknown nested key', { server: { prot: 1 } }, 'config: server: unknown key "prot"'],
      [
        'unknown datasource key',
        { datasources: [{ ...ds, databse: 'x' }] },
        'config: datasources.0: unknown key "databse"',
      ],
      ['wrong type', { server: { port: '8787' } }, 'config: server.port: expected number, received string'],
      ['port out of range', { server: { port: 70000 } }, 'config: server.port: Too big'],
      ['bad URL', { datasources: [{ ...ds, url: 'not a url' }] }, 'config: datasources.0.url: Invalid URL'],
      ['non-http URL', { datasources: [{ ...ds, url: 'ftp://127.0.0.1' }] }, 'config: datasources.0.url: Invalid URL'],
      ['missing URL', { datasources: [{ name: 'prom', type: 'prometheus' }] }, 'config: datasources.0.url is required'],
      [
        'unknown datasource type',
        { datasources: [{ ...ds, type: 'graphite' }] },
        'config: datasources.0.type: expected type "prometheus" or "influxdb"',
      ],
      [
        'InfluxDB without database',
        { datasources: [{ ...ds, type: 'influxdb' }] },
        'config: datasources.0.database is required',
      ],
      ['duplicate names', { datasources: [ds, ds] }, 'config: datasources.1.name: duplicate datasource name "prom"'],
      ['bad log level', { log: { level: 'loud' } }, 'config: log.level: Invalid option'],
      ['bad body limit', { server: { bodyLimit: 'huge' } }, 'config: server.bodyLimit:'],
      ['unknown store type', { store: { type: 'mysql' } }, 'config: store.type: expected type "sqlite"'],
      ['section of the wrong type', { auth: 'secret' }, 'config: auth: expected object, received string'],
    ])('%s', (_name, values, expected) => {
      expect(configError({ values, env })).toContain(expected);
    });

    it('a missing token', () => {
      expect(configError({ values: {} })).toBe(
        'config: auth.token is required (set auth.token, auth.tokenFile, VIGIL_TOKEN or VIGIL_TOKEN_FILE)'
      );
    });

    it('a short token, without printing it', () => {
      const msg = configError({ env: { VIGIL_TOKEN: 'short-secret' } });
      expect(msg).toBe('config: auth.token (from VIGIL_TOKEN) must be at least 16 characters (got 12)');
      expect(msg).not.toContain('short-secret');
    });

    it('both token and tokenFile', () => {
      expect(configError({ values: { auth: { token: TOKEN, tokenFile: '/x' } } })).toContain(
        'auth.token or auth.tokenFile, not both'
      );
    });

    it('an unreadable or empty token file', () => {
      expect(configError({ env: { VIGIL_TOKEN_FILE: join(dir, 'missing') } })).toMatch(
        /^config: auth\.tokenFile \(from VIGIL_TOKEN_FILE\): cannot read .*missing: ENOENT/
      );
      const empty = yamlFile('empty-token', '\n');
      expect(configError({ values: { auth: { tokenFile: empty } } })).toContain('config: auth.tokenFile: ');
    });

    it('a bad VIGIL_PORT', () => {
      expect(configError({ env: { ...env, VIGIL_PORT: 'eighty' } })).toBe(
        'config: VIGIL_PORT: expected a port number 0-65535, got "eighty"'
      );
    });

    it('invalid YAML and a missing file', () => {
      expect(configError({ file: yamlFile('bad.yaml', 'server: [1, 2\n') })).toMatch(
        /^config: .*bad\.yaml is not valid YAML/
      );
      expect(configError({ file: join(dir, 'nope.yaml') })).toMatch(
        /^config: cannot read config file .*nope\.yaml: ENOENT$/
      );
    });

    it('every problem at once, one line each', () => {
      const lines = configError({ values: { serverr: 1, log: { level: 1 } }, env }).split('\n');
      expect(lines).toHaveLength(2);
      expect(lines.every((l) => l.startsWith('config: '))).toBe(true);
    });
  });
});

describe('loadConfig: the notify section', () => {
  const PD_KEY = 'pd-routing-key-0123456789abcdef0';
  const SMTP_PW = 'smtp-pass-w0rd';
  const notifyYaml = (slackFile: string) => `auth: { token: "${TOKEN}" }
notify:
  externalURL: https://grafana.example.com/a/vigil-app
  channels:
    - name: pagerduty-oncall
      type: pagerduty
      routingKeyEnv: PD_KEY
      title: "{{severityUpper}} {{name}} on {{service}}"
    - name: slack-alerts
      type: slack
      webhookURLFile: ${slackFile}
      channel: "#alerts"
      sendResolved: true
    - name: email-ops
      type: email
      from: vigil@example.com
      to: [ops@example.com, oncall@example.com]
      body: "{{summary}} (value {{value}}, threshold {{threshold}})"
      smtp: { host: smtp.example.com, port: 587, requireTLS: true, username: vigil, passwordEnv: SMTP_PW }
    - name: audit
      type: webhook
      url: http://127.0.0.1:9999/hook
      secret: hmac-key
      sendResolved: false
  route:
    receiver: email-ops
    groupBy: [alertname, service]
    groupWait: 30s
    groupInterval: 5m
    repeatInterval: 4h
    routes:
      - matchers: ['severity="critical"']
        receiver: pagerduty-oncall
        continue: true
      - matchers: ['severity=~"critical|error|warning"']
        receiver: slack-alerts
        muteTimeIntervals: [maintenance]
      - matchers: ['alertname=~"Audit.*"']
        receiver: audit
  inhibitRules:
    - sourceMatchers: ['severity="critical"']
      targetMatchers: ['severity=~"warning|info"']
      equal: [service]
  timeIntervals:
    - name: maintenance
      timeIntervals:
        - weekdays: ['sunday']
          times: [{ startTime: '02:00', endTime: '04:00' }]
          location: Europe/Berlin
  delivery: { maxAge: 2h, timeout: 5s }
`;

  it('resolves a full section: secrets, tree, inhibition, time intervals, delivery', () => {
    const slackFile = yamlFile('slack-url', 'https://hooks.slack.com/services/T1/B1/xyz\n');
    const c = loadConfig({ file: yamlFile('notify.yaml', notifyYaml(slackFile)), env: { PD_KEY, SMTP_PW } });
    const n = c.notify;
    expect(n.externalURL).toBe('https://grafana.example.com/a/vigil-app');
    expect(n.channels.map((ch) => [ch.name, ch.type, ch.sendResolved])).toEqual([
      ['pagerduty-oncall', 'pagerduty', true],
      ['slack-alerts', 'slack', true],
      ['email-ops', 'email', true],
      ['audit', 'webhook', false],
    ]);
    expect(n.channels[0]).toMatchObject({ routingKey: PD_KEY, url: 'https://events.pagerduty.com/v2/enqueue' });
    expect(n.channels[1]).toMatchObject({
      webhookURL: 'https://hooks.slack.com/services/T1/B1/xyz',
      messagesPerSecond: 1,
    });
    expect(n.channels[2]).toMatchObject({ smtp: { host: 'smtp.example.com', username: 'vigil', password: SMTP_PW } });
    expect(n.channels[3]).toMatchObject({ url: 'http://127.0.0.1:9999/hook', secret: 'hmac-key', maxAlerts: 0 });
    expect(n.route.routes?.map((r) => [r.receiver, r.matchers?.[0].op])).toEqual([
      ['pagerduty-oncall', '='],
      ['slack-alerts', '=~'],
      ['audit', '=~'],
    ]);
    expect(n.route).toMatchObject({ groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 14_400_000 });
    expect(n.inhibitRules).toHaveLength(1);
    expect(n.timeIntervals.maintenance[0]).toMatchObject({
      weekdays: [[0, 0]],
      times: [[120, 240]],
      location: 'Europe/Berlin',
    });
    expect(n.delivery).toEqual({ maxAgeMs: 7_200_000, timeoutMs: 5000 });
  });

  it('defaults to no channels and the default tree', () => {
    const n = loadConfig({ env: { VIGIL_TOKEN: TOKEN } }).notify;
    expect(n.channels).toEqual([]);
    expect(n.route.groupBy).toEqual(['alertname']);
    expect(n.delivery).toEqual({ maxAgeMs: 3_600_000, timeoutMs: 10_000 });
  });

  it('names the key of a notify problem and never prints a secret', () => {
    const slackFile = yamlFile('slack-url-2', 'https://hooks.slack.com/services/T1/B1/xyz\n');
    const file = yamlFile('notify-bad.yaml', notifyYaml(slackFile));
    expect(configError({ file, env: { SMTP_PW } })).toBe(
      'config: notify.channels.0.routingKeyEnv: environment variable PD_KEY is not set'
    );
    const unknownKey = configError({
      env: { VIGIL_TOKEN: TOKEN },
      values: { notify: { channels: [{ name: 'p', type: 'pagerduty', routingKey: PD_KEY, routingkey: 'x' }] } },
    });
    expect(unknownKey).toBe('config: notify.channels.0: unknown key "routingkey"');
    const badType = configError({
      env: { VIGIL_TOKEN: TOKEN },
      values: { notify: { channels: [{ name: 'p', type: 'sms' }] } },
    });
    expect(badType).toBe('config: notify.channels.0.type: expected type "pagerduty", "slack", "email" or "webhook"');
    const badDuration = configError({
      env: { VIGIL_TOKEN: TOKEN },
      values: { notify: { route: { groupWait: '5 minutes' } } },
    });
    expect(badDuration).toMatch(/^config: notify\.route\.groupWait: expected a duration/);
    const badMatcher = configError({
      file,
      env: { PD_KEY, SMTP_PW },
      values: { notify: { inhibitRules: [{ sourceMatchers: ['severity=~"("'], targetMatchers: ['a=b'] }] } },
    });
    expect(badMatcher).toMatch(/^config: notify\.inhibitRules\.0\.sourceMatchers\.0: /);
    expect(unknownKey + badType + badMatcher).not.toContain(PD_KEY);
  });
});

describe('loadConfig: correlation.keepFiringFor', () => {
  it('defaults to 0 (off) and reads a duration', () => {
    expect(loadConfig({ env: { VIGIL_TOKEN: TOKEN } }).correlation.keepFiringForMs).toBe(0);
    const file = yamlFile(
      'keep.yaml',
      `auth: { token: "${TOKEN}" }\ncorrelation: { window: 10m, keepFiringFor: 5m }\n`
    );
    expect(loadConfig({ file }).correlation.keepFiringForMs).toBe(300_000);
  });

  it('refuses more than the window, naming the key', () => {
    const file = yamlFile('keep-long.yaml', `auth: { token: "${TOKEN}" }\ncorrelation: { keepFiringFor: 6m }\n`);
    expect(configError({ file })).toMatch(/correlation\.keepFiringFor: must not exceed window \(5m\)/);
  });
});

describe('loadConfig: correlation.enabled', () => {
  it('is off by default (opt-in) and can be turned on', () => {
    expect(loadConfig({ env: { VIGIL_TOKEN: TOKEN } }).correlation.enabled).toBe(false);
    const file = yamlFile('corr-on.yaml', `auth: { token: "${TOKEN}" }\ncorrelation: { enabled: true }\n`);
    expect(loadConfig({ file }).correlation.enabled).toBe(true);
  });
});
