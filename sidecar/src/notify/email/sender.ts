/**
 * Sends a stored {@link EmailMessage} over SMTP with nodemailer. One transport per channel, created
 * once and reused; it is not pooled, so each message opens its own connection and closes it when done
 * (alert mail is rare, and an idle pooled connection would be dropped by most servers anyway).
 * Outcomes follow RFC 5321: 2xx accepted → ok; 4xx (transient) and connection, timeout and TLS
 * negotiation failures → retryable; 5xx (permanent, also a refused login) → not retried. Errors name
 * the SMTP code and never the password.
 */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { ChannelConfig } from '../../config/notifySchema';
import type { ChannelSender, SendResult } from '../sender';
import type { EmailMessage } from './payload';

/** An email channel's settings. */
export type EmailChannel = Extract<ChannelConfig, { type: 'email' }>;

/** Options of {@link createEmailSender}. */
export interface EmailSenderOptions {
  /** Connection, greeting and socket inactivity timeout, ms (default 10 s). */
  timeoutMs?: number;
}

/** nodemailer's error codes for failures before or around the SMTP dialogue that may pass later. */
const RETRYABLE_CODES = new Set([
  'ECONNECTION', // the connection closed or failed
  'ETIMEDOUT', // connection, greeting or socket timeout
  'ESOCKET', // refused, reset, TLS handshake or certificate failure (originalCode says which)
  'ETLS', // STARTTLS negotiation failed
  'EDNS',
  'EPROTOCOL', // the server said something unexpected (often a dropped connection)
]);

function isEmailMessage(v: unknown): v is EmailMessage {
  if (typeof v !== 'object' || v === null) {
    return false;
  }
  const m = v as Record<string, unknown>;
  return typeof m.subject === 'string' && typeof m.text === 'string' && typeof m.html === 'string';
}

function mask(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (s) {
      out = out.split(s).join('<secret>');
    }
  }
  return out;
}

/** nodemailer's error fields (SMTP reply code and text, its own error code, the socket's code). */
interface SmtpError {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

/**
 * Classifies a failed send. A failed TLS negotiation (`ETLS`, even when the server answered STARTTLS
 * with 5xx) is retried: the server or its certificate may be fixed while the notification is still
 * young. Otherwise the SMTP reply code decides when there is one (4xx retry, 5xx not, a refused login
 * included), then nodemailer's code: connection, socket and timeout failures retry, anything else
 * (e.g. EENVELOPE without a reply) does not. The text names the codes, the server's reply (masked,
 * bounded) and the SMTP command, never nodemailer's message (which may quote what was sent).
 */
export function classifySmtpError(err: unknown, secrets: ReadonlyArray<string | undefined> = []): SendResult {
  const e = (err ?? {}) as SmtpError;
  const code = typeof e.code === 'string' ? e.code : 'error';
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const said =
    typeof e.response === 'string'
      ? mask(e.response, secrets)
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 200)
          .replace(/^\d{3}[ -]?/, '')
      : '';
  const socketCode =
    typeof e.originalCode === 'string' && /^[A-Z0-9_]{1,64}$/.test(e.originalCode) ? ` ${e.originalCode}` : '';
  const what = reply !== undefined ? `SMTP ${reply}${said ? ` ${said}` : ''}` : `${code}${socketCode}`;
  // AUTH lines carry the credentials; name only the verb.
  const command = typeof e.command === 'string' ? (e.command.startsWith('AUTH') ? 'AUTH' : e.command) : '';
  const cmd = /^[A-Z ]{1,20}$/.test(command) && code !== 'EAUTH' && code !== 'ETLS' ? ` (${command})` : '';
  const retryable = code === 'ETLS' || (reply !== undefined ? reply >= 400 && reply < 500 : RETRYABLE_CODES.has(code));
  const kind = code === 'EAUTH' ? 'authentication failed: ' : code === 'ETLS' ? 'STARTTLS failed: ' : '';
  return { ok: false, retryable, error: `email: ${kind}${what}${cmd}` };
}

function transportOptions(ch: EmailChannel, timeoutMs: number): SMTPTransport.Options {
  const s = ch.smtp;
  return {
    host: s.host,
    port: s.port,
    secure: s.secure,
    requireTLS: s.requireTLS,
    auth: s.username !== undefined ? { user: s.username, pass: s.password ?? '' } : undefined,
    tls: { rejectUnauthorized: s.rejectUnauthorized },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    // nodemailer logs nothing unless asked; keep it that way (its debug log would show AUTH).
    logger: false,
    debug: false,
  };
}

/** A sender for one email channel: From and To come from the channel, the message from the outbox. */
export function createEmailSender(ch: EmailChannel, opts: EmailSenderOptions = {}): ChannelSender {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport(transportOptions(ch, timeoutMs));
  const secrets = [ch.smtp.password];
  return async (payload, signal, meta) => {
    if (!isEmailMessage(payload)) {
      return { ok: false, retryable: false, error: 'email: payload is not an email message' };
    }
    if (signal.aborted) {
      return { ok: false, retryable: true, error: 'email: aborted' };
    }
    const send = transport
      .sendMail({
        from: ch.from,
        to: ch.to,
        subject: payload.subject,
        text: payload.text,
        html: payload.html,
        // One Message-ID per notification, the same on a resend: mail systems drop a duplicate by it.
        ...(meta ? { messageId: `<${meta.id}@vigil.notifications>` } : {}),
      })
      .then(
        (info): SendResult =>
          info.rejected.length > 0 && info.accepted.length === 0
            ? { ok: false, retryable: false, error: `email: every recipient refused (${info.rejected.length})` }
            : { ok: true, retryable: false },
        (err: unknown) => classifySmtpError(err, secrets)
      );
    // nodemailer cannot cancel a send; stop waiting when the worker stops (the connection still ends
    // on its own, bounded by the socket timeout).
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<SendResult>((resolve) => {
      onAbort = () => resolve({ ok: false, retryable: true, error: 'email: aborted' });
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([send, aborted]);
    } finally {
      if (onAbort) {
        signal.removeEventListener('abort', onAbort);
      }
    }
  };
}
