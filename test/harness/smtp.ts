// A real SMTP server on a free 127.0.0.1 port (nodemailer's `smtp-server`), for the email channel's
// integration tests: STARTTLS with a self-signed certificate made by `openssl` once per run, AUTH
// PLAIN/LOGIN checked against one user (only after STARTTLS, as a real submission server does), each
// accepted message parsed with `mailparser` and kept; `failNext` answers the next messages with a
// given SMTP reply (451, 550, …) for fault tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** One message the server accepted. */
export interface ReceivedMail {
  /** Envelope sender (MAIL FROM). */
  envelopeFrom: string;
  /** Envelope recipients (RCPT TO). */
  envelopeTo: string[];
  /** `From:` header text, e.g. `vigil@example.com`. */
  from: string;
  /** `To:` header addresses. */
  to: string[];
  subject: string;
  text: string;
  /** HTML body, '' when none. */
  html: string;
  /** Headers, lower-case names; structured values as text. */
  headers: Record<string, string>;
  /** The session was upgraded to TLS (STARTTLS) before the message. */
  secure: boolean;
  /** The authenticated user, or null. */
  user: string | null;
}

/** Options of {@link startSmtpServer}. */
export interface SmtpServerOptions {
  /** Required login (with `password`); without it the server accepts mail unauthenticated. */
  username?: string;
  password?: string;
  /** Offer STARTTLS (default true); false makes a server without TLS. */
  starttls?: boolean;
}

/** A running SMTP server. */
export interface SmtpServerHandle {
  host: string;
  port: number;
  /** PEM of the self-signed certificate the server presents. */
  certPem: string;
  /** Messages accepted, oldest first. */
  messages(): ReceivedMail[];
  /** Failed logins (wrong user or password). */
  authFailures(): number;
  /** Answers the DATA of the next `n` messages with `code` (4xx transient, 5xx permanent) and `text`. */
  failNext(n: number, code: number, text?: string): void;
  /** Closes the server and its connections. Safe to call twice. */
  stop(): Promise<void>;
}

let certs: { key: string; cert: string } | undefined;

/** A self-signed certificate for 127.0.0.1 / localhost, made once per process and kept in memory. */
function selfSigned(): { key: string; cert: string } {
  if (!certs) {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-smtp-cert-'));
    try {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        // prettier-ignore
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
          '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost',
          '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
        { stdio: 'pipe' }
      );
      certs = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return certs;
}

/** An Error smtp-server answers with `code` and `text`. */
function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

function addresses(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v ? [v] : [];
  return list.flatMap((a: { value?: Array<{ address?: string }> }) => (a.value ?? []).map((x) => x.address ?? ''));
}

function headerText(v: unknown): string {
  if (typeof v === 'string') {
    return v;
  }
  if (v instanceof Date) {
    return v.toISOString();
  }
  if (v && typeof v === 'object' && 'text' in v) {
    return String((v as { text: unknown }).text);
  }
  if (v && typeof v === 'object' && 'value' in v) {
    return String((v as { value: unknown }).value);
  }
  return JSON.stringify(v);
}

/** Starts an SMTP server on 127.0.0.1 and a free port. */
export async function startSmtpServer(opts: SmtpServerOptions = {}): Promise<SmtpServerHandle> {
  const { key, cert } = selfSigned();
  const received: ReceivedMail[] = [];
  let failures: Array<{ code: number; text: string }> = [];
  let badLogins = 0;
  const starttls = opts.starttls ?? true;
  const login = opts.username !== undefined ? { user: opts.username, password: opts.password ?? '' } : undefined;
  const options: SMTPServerOptions = {
    key,
    cert,
    logger: false,
    banner: 'Vigil test SMTP',
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: !login,
    // Credentials only over TLS when TLS is offered (as submission servers do).
    allowInsecureAuth: !starttls,
    disabledCommands: starttls ? (login ? [] : ['AUTH']) : login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      if (login && auth.username === login.user && auth.password === login.password) {
        callback(null, { user: auth.username });
        return;
      }
      badLogins++;
      callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
    },
    onData(stream, session, callback) {
      const failure = failures.shift();
      if (failure) {
        stream.on('end', () => callback(smtpError(failure.code, failure.text)));
        stream.resume();
        return;
      }
      simpleParser(stream).then(
        (mail) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of mail.headers) {
            headers[name.toLowerCase()] = headerText(value);
          }
          received.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            from: mail.from?.text ?? '',
            to: addresses(mail.to),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            headers,
            secure: session.secure,
            user: typeof session.user === 'string' ? session.user : null,
          });
          callback();
        },
        (err: unknown) => callback(smtpError(554, `5.6.0 unparsable message: ${(err as Error).message}`))
      );
    },
  };
  const server = new SMTPServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors of single connections (a client dropping mid-session) must not crash the test run.
  server.on('error', () => undefined);
  const port = (server.server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    certPem: cert,
    messages: () => [...received],
    authFailures: () => badLogins,
    failNext(n, code, text) {
      const reply = text ?? (code >= 500 ? '5.7.1 Message refused' : '4.3.0 Try again later');
      failures = [...failures, ...Array.from({ length: n }, () => ({ code, text: reply }))];
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return stopped;
    },
  };
}
