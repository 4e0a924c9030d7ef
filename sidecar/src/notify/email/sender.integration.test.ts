import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../../test/harness/process';
import { startSmtpServer, type SmtpServerHandle } from '../../../../test/harness/smtp';
import { channelPayload } from '../payloads';
import type { Notification } from '../types';
import { buildEmail, type EmailMessage } from './payload';
import { classifySmtpError, createEmailSender, type EmailChannel } from './sender';

const NOW = Date.parse('2026-12-07T02:10:00Z');
const USER = 'vigil-mailer';
const PASSWORD = 'Sup3r-Secret-SMTP-pw';
const never = new AbortController().signal;

function load(name: string): Notification {
  return JSON.parse(readFileSync(join(__dirname, '..', 'testdata', name), 'utf8')) as Notification;
}

let smtp: SmtpServerHandle;

beforeAll(async () => {
  smtp = await startSmtpServer({ username: USER, password: PASSWORD });
});
afterAll(() => smtp?.stop());

function channel(over: Partial<EmailChannel['smtp']> = {}, extra: Partial<EmailChannel> = {}): EmailChannel {
  return {
    name: 'email-ops',
    type: 'email',
    sendResolved: true,
    from: 'Vigil <vigil@example.com>',
    to: ['ops@example.com', 'oncall@example.com'],
    smtp: {
      host: smtp.host,
      port: smtp.port,
      secure: false,
      requireTLS: true,
      // The test server's certificate is self-signed.
      rejectUnauthorized: false,
      username: USER,
      password: PASSWORD,
      ...over,
    },
    ...extra,
  };
}

describe('email sender against a real SMTP server', () => {
  it('delivers a firing and a resolved notification over STARTTLS with auth', async () => {
    const ch = channel();
    const send = createEmailSender(ch, { timeoutMs: 5000 });
    const firing = channelPayload(ch, load('notification-firing.json'), NOW) as EmailMessage;
    const resolved = channelPayload(ch, load('notification-resolved.json'), NOW) as EmailMessage;
    const before = smtp.messages().length;
    expect(await send(firing, never, { id: 'row-7' })).toEqual({ ok: true, retryable: false });
    expect(await send(resolved, never)).toEqual({ ok: true, retryable: false });
    const [a, b] = smtp.messages().slice(before);
    // The outbox row id names the message, so a resend after a crash carries the same Message-ID.
    expect(a.headers['message-id']).toBe('<row-7@vigil.notifications>');
    expect(a.subject).toBe('[CRITICAL] HighLatency');
    expect(b.subject).toBe('[WARNING] DiskFilling RESOLVED');
    for (const [mail, sent] of [
      [a, firing],
      [b, resolved],
    ] as const) {
      expect(mail.secure).toBe(true);
      expect(mail.user).toBe(USER);
      expect(mail.envelopeFrom).toBe('vigil@example.com');
      expect(mail.envelopeTo).toEqual(['ops@example.com', 'oncall@example.com']);
      expect(mail.from).toBe('"Vigil" <vigil@example.com>');
      expect(mail.to).toEqual(['ops@example.com', 'oncall@example.com']);
      expect(mail.text).toBe(sent.text);
      expect(mail.html).toBe(sent.html);
      expect(mail.headers['content-type']).toMatch(/^multipart\/alternative/);
    }
    // The golden bodies, as received.
    expect(`Subject: ${a.subject}\n\n${a.text}`).toBe(
      readFileSync(join(__dirname, '..', 'testdata', 'email-firing.txt'), 'utf8')
    );
    expect(b.html).toBe(readFileSync(join(__dirname, '..', 'testdata', 'email-resolved.html'), 'utf8'));
  });

  it('uses the channel templates for subject and intro', async () => {
    const ch = channel(
      {},
      { title: '{{service}} {{name}} is {{status}}', body: 'Value {{value}} over {{threshold}}.' }
    );
    const send = createEmailSender(ch, { timeoutMs: 5000 });
    const before = smtp.messages().length;
    expect((await send(channelPayload(ch, load('notification-firing.json'), NOW), never)).ok).toBe(true);
    const [mail] = smtp.messages().slice(before);
    expect(mail.subject).toBe('checkout HighLatency is firing');
    expect(mail.text.split('\n').slice(0, 3)).toEqual(['FIRING: HighLatency', '', 'Value 812.346 over 500.']);
  });

  it('answers 451 with a retryable result naming the code', async () => {
    const send = createEmailSender(channel(), { timeoutMs: 5000 });
    smtp.failNext(1, 451, '4.3.0 Mailbox busy, try later');
    const r = await send(buildEmail(load('notification-firing.json'), { now: NOW }), never);
    expect(r).toEqual({ ok: false, retryable: true, error: 'email: SMTP 451 4.3.0 Mailbox busy, try later (DATA)' });
  });

  it('answers 550 with a permanent result naming the code', async () => {
    const send = createEmailSender(channel(), { timeoutMs: 5000 });
    smtp.failNext(1, 550, '5.7.1 Relaying denied');
    const r = await send(buildEmail(load('notification-firing.json'), { now: NOW }), never);
    expect(r).toEqual({ ok: false, retryable: false, error: 'email: SMTP 550 5.7.1 Relaying denied (DATA)' });
  });

  it('fails a wrong password without naming it', async () => {
    const failures = smtp.authFailures();
    const send = createEmailSender(channel({ password: 'wrong-Pa55word' }), { timeoutMs: 5000 });
    const r = await send(buildEmail(load('notification-firing.json'), { now: NOW }), never);
    expect(r.ok).toBe(false);
    expect(r.retryable).toBe(false);
    expect(r.error).toMatch(/^email: authentication failed: SMTP 535 /);
    expect(r.error).not.toContain('wrong-Pa55word');
    expect(r.error).not.toContain(Buffer.from('wrong-Pa55word').toString('base64'));
    expect(smtp.authFailures()).toBe(failures + 1);
  });

  it('retries when the certificate cannot be verified or the server is down', async () => {
    const strict = createEmailSender(channel({ rejectUnauthorized: true }), { timeoutMs: 5000 });
    const tls = await strict(buildEmail(load('notification-firing.json'), { now: NOW }), never);
    expect(tls).toMatchObject({ ok: false, retryable: true });
    expect(tls.error).toBe('email: ESOCKET DEPTH_ZERO_SELF_SIGNED_CERT (CONN)');

    const down = createEmailSender(channel({ port: await freePort() }), { timeoutMs: 5000 });
    const refused = await down(buildEmail(load('notification-firing.json'), { now: NOW }), never);
    expect(refused).toEqual({ ok: false, retryable: true, error: 'email: ESOCKET ECONNREFUSED (CONN)' });
  });

  it('refuses to send in clear text when TLS is required and the server offers none', async () => {
    const plain = await startSmtpServer({ starttls: false });
    try {
      const send = createEmailSender(
        { ...channel({ port: plain.port, username: undefined, password: undefined }) },
        { timeoutMs: 5000 }
      );
      const r = await send(buildEmail(load('notification-firing.json'), { now: NOW }), never);
      expect(r).toEqual({
        ok: false,
        retryable: true,
        error: 'email: STARTTLS failed: SMTP 500 Error: command not recognized',
      });
      expect(plain.messages()).toEqual([]);
      // Without requireTLS the same server gets the mail.
      const relaxed = createEmailSender(
        channel({ port: plain.port, requireTLS: false, username: undefined, password: undefined })
      );
      expect((await relaxed(buildEmail(load('notification-firing.json'), { now: NOW }), never)).ok).toBe(true);
      expect(plain.messages().map((m) => m.secure)).toEqual([false]);
    } finally {
      await plain.stop();
    }
  });

  it('refuses a payload that is not an email message', async () => {
    const send = createEmailSender(channel());
    expect(await send({ text: 'x' }, never)).toEqual({
      ok: false,
      retryable: false,
      error: 'email: payload is not an email message',
    });
  });
});

describe('classifySmtpError', () => {
  it('follows the SMTP reply class, then the error code, and masks secrets', () => {
    expect(
      classifySmtpError({
        code: 'EENVELOPE',
        responseCode: 452,
        response: '452 4.5.3 Too many recipients',
        command: 'RCPT TO',
      })
    ).toEqual({
      ok: false,
      retryable: true,
      error: 'email: SMTP 452 4.5.3 Too many recipients (RCPT TO)',
    });
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 552, response: '552 too big' }).retryable).toBe(false);
    expect(classifySmtpError({ code: 'ETIMEDOUT' })).toEqual({ ok: false, retryable: true, error: 'email: ETIMEDOUT' });
    expect(classifySmtpError({ code: 'EENVELOPE' })).toEqual({
      ok: false,
      retryable: false,
      error: 'email: EENVELOPE',
    });
    const masked = classifySmtpError(
      { code: 'EAUTH', responseCode: 535, response: '535 bad hunter2', command: 'AUTH PLAIN' },
      ['hunter2']
    );
    expect(masked).toEqual({
      ok: false,
      retryable: false,
      error: 'email: authentication failed: SMTP 535 bad <secret>',
    });
  });
});
