import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './configError';
import { notifySchema } from './notifySchema';
import { resolveNotify } from './notifyResolve';

const PD_KEY = 'R0UTINGKEY0123456789abcdef012345';
const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/S3CR3TPATH';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-notify-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Obj = Record<string, unknown>;
const pd = (extra: Obj = {}): Obj => ({ name: 'pd', type: 'pagerduty', routingKey: PD_KEY, ...extra });
const slack = (extra: Obj = {}): Obj => ({ name: 'slack', type: 'slack', webhookURL: SLACK_URL, ...extra });
const email = (extra: Obj = {}): Obj => ({
  name: 'mail',
  type: 'email',
  from: 'vigil@example.com',
  to: ['ops@example.com'],
  smtp: { host: 'smtp.example.com' },
  ...extra,
});

/** Parses the section with the schema (as loadConfig does), then resolves it. */
function resolve(section: Obj, env: Record<string, string | undefined> = {}) {
  return resolveNotify(notifySchema.parse(section), env);
}

/** The ConfigError message for this section (fails the test if it resolves). */
function error(section: Obj, env: Record<string, string | undefined> = {}): string {
  try {
    resolve(section, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected resolveNotify to throw');
}

describe('resolveNotify: secrets', () => {
  it('reads a secret inline, from a file without its trailing newline, and from the environment', () => {
    const file = join(dir, 'pd-key');
    writeFileSync(file, `${PD_KEY}\n`);
    const c = resolve(
      {
        channels: [
          pd({ name: 'inline' }),
          pd({ name: 'file', routingKey: undefined, routingKeyFile: file }),
          pd({ name: 'env', routingKey: undefined, routingKeyEnv: 'PD_KEY' }),
          slack({ webhookURL: undefined, webhookURLEnv: 'SLACK_URL' }),
        ],
      },
      { PD_KEY, SLACK_URL }
    );
    expect(
      c.channels.map((ch) => (ch.type === 'pagerduty' ? ch.routingKey : ch.type === 'slack' ? ch.webhookURL : ''))
    ).toEqual([PD_KEY, PD_KEY, PD_KEY, SLACK_URL]);
    // The resolved channel carries only the value, not the form it came in.
    expect(Object.keys(c.channels[1]).sort()).toEqual(['name', 'routingKey', 'sendResolved', 'type', 'url']);
  });

  it('requires exactly one form of a required secret', () => {
    expect(error({ channels: [pd({ routingKey: undefined })] })).toBe(
      'config: notify.channels.0.routingKey: required: set routingKey, routingKeyFile or routingKeyEnv'
    );
    expect(error({ channels: [pd({ routingKeyEnv: 'PD_KEY' })] }, { PD_KEY })).toBe(
      'config: notify.channels.0.routingKeyEnv: set only one of routingKey, routingKeyFile and routingKeyEnv'
    );
    expect(error({ channels: [slack({ webhookURL: undefined })] })).toMatch(
      /^config: notify\.channels\.0\.webhookURL: required/
    );
    expect(error({ channels: [{ name: 'w', type: 'webhook' }] })).toMatch(
      /^config: notify\.channels\.0\.url: required/
    );
  });

  it('allows optional secrets to be absent, at most one form when present', () => {
    const c = resolve({
      channels: [{ name: 'w', type: 'webhook', url: 'http://127.0.0.1:9/hook' }, email()],
    });
    expect(c.channels[0]).toEqual({
      name: 'w',
      type: 'webhook',
      url: 'http://127.0.0.1:9/hook',
      sendResolved: true,
      maxAlerts: 0,
    });
    expect(c.channels[1].type === 'email' && c.channels[1].smtp).toEqual({
      host: 'smtp.example.com',
      port: 587,
      secure: false,
      requireTLS: false,
      rejectUnauthorized: true,
    });
    expect(
      error({ channels: [{ name: 'w', type: 'webhook', url: 'http://x/', secret: 'a', secretEnv: 'S' }] }, { S: 'b' })
    ).toBe('config: notify.channels.0.secretEnv: set only one of secret, secretFile and secretEnv');
    expect(
      error({ channels: [email({ smtp: { host: 'h', username: 'u', password: 'hunter2', passwordFile: '/x' } })] })
    ).toBe('config: notify.channels.0.smtp.passwordFile: set only one of password, passwordFile and passwordEnv');
  });

  it('resolves the SMTP password from the environment and needs a username with it', () => {
    const c = resolve(
      { channels: [email({ smtp: { host: 'h', username: 'u', passwordEnv: 'SMTP_PW' } })] },
      { SMTP_PW: 'hunter2' }
    );
    expect(c.channels[0].type === 'email' && c.channels[0].smtp.password).toBe('hunter2');
    const msg = error({ channels: [email({ smtp: { host: 'h', password: 'hunter2' } })] });
    expect(msg).toBe('config: notify.channels.0.smtp.username: required when a password is set');
  });

  it('names an unset or empty environment variable, and an unreadable or empty file', () => {
    expect(error({ channels: [pd(), pd({ name: 'b', routingKey: undefined, routingKeyEnv: 'PD_KEY' })] })).toBe(
      'config: notify.channels.1.routingKeyEnv: environment variable PD_KEY is not set'
    );
    expect(error({ channels: [pd({ routingKey: undefined, routingKeyEnv: 'PD_KEY' })] }, { PD_KEY: '' })).toBe(
      'config: notify.channels.0.routingKeyEnv: environment variable PD_KEY is empty'
    );
    const missing = join(dir, 'missing');
    expect(error({ channels: [pd({ routingKey: undefined, routingKeyFile: missing })] })).toBe(
      `config: notify.channels.0.routingKeyFile: cannot read ${missing}: ENOENT`
    );
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(error({ channels: [pd({ routingKey: undefined, routingKeyFile: empty })] })).toBe(
      `config: notify.channels.0.routingKeyFile: ${empty} is empty`
    );
  });

  it('checks webhook and Slack URLs without quoting them', () => {
    const bad = error({ channels: [slack({ webhookURL: 'hooks.slack.com/services/T000/B000/S3CR3TPATH' })] });
    expect(bad).toBe('config: notify.channels.0.webhookURL: expected an http or https URL');
    const ftp = error({ channels: [{ name: 'w', type: 'webhook', urlEnv: 'HOOK' }] }, { HOOK: 'ftp://u:S3CR3T@h/p' });
    expect(ftp).toBe('config: notify.channels.0.urlEnv: expected an http or https URL, got a ftp: URL');
    expect(bad + ftp).not.toMatch(/S3CR3T/);
  });
});

describe('resolveNotify: channels and templates', () => {
  it('rejects duplicate channel names', () => {
    expect(error({ channels: [pd(), slack({ name: 'pd' })] })).toBe(
      'config: notify.channels.1.name: duplicate channel name "pd"'
    );
  });

  it('accepts templates over the documented fields and rejects unknown ones', () => {
    const c = resolve({
      channels: [slack({ title: '{{severityUpper}} {{ name }}', body: '{{summary}} on {{service}}' })],
    });
    expect(c.channels[0]).toMatchObject({ title: '{{severityUpper}} {{ name }}', body: '{{summary}} on {{service}}' });
    expect(error({ channels: [pd({ title: '{{name}} {{hostname}}' })] })).toMatch(
      /^config: notify\.channels\.0\.title: unknown template field \{\{hostname\}\} \(known: status, statusUpper, name,/
    );
    expect(error({ channels: [email({ body: '{{a}} {{b}} {{a}}' })] })).toMatch(
      /^config: notify\.channels\.0\.body: unknown template fields \{\{a\}\}, \{\{b\}\} /
    );
  });
});

describe('resolveNotify: no secret in any error', () => {
  it('keeps every configured secret out of the messages of a broken config', () => {
    const env = { PD_KEY, SLACK_URL, PW: 'hunter2-password', HOOK: 'https://hooks.example.com/p/S3CR3T?token=S3CR3T' };
    const broken: Obj[] = [
      { channels: [pd({ routingKey: undefined, routingKeyEnv: 'PD_KEY', title: '{{nope}}' })] },
      { channels: [pd({ routingKeyEnv: 'PD_KEY' })] },
      { channels: [email({ smtp: { host: 'h', passwordEnv: 'PW' } })] },
      { channels: [{ name: 'w', type: 'webhook', urlEnv: 'HOOK', secret: 'S3CR3T-HMAC', secretEnv: 'PW' }] },
      { channels: [slack({ webhookURL: `ftp://x/${SLACK_URL}` })] },
      { channels: [pd(), slack()], route: { receiver: 'nope' } },
    ];
    for (const section of broken) {
      const msg = error(section, env);
      for (const s of [PD_KEY, 'S3CR3T', 'hunter2', 'S3CR3TPATH']) {
        expect(msg).not.toContain(s);
      }
    }
  });
});
