// Senders over real HTTP to loopback servers: the webhook's HMAC signature, secrets kept out of error
// texts, timeouts and aborts as retryable failures.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLoopbackServer, type LoopbackServer } from '../../../test/harness';
import { createSender, IDEMPOTENCY_HEADER, withoutRoutingKey } from './sender';
import { SIGNATURE_HEADER, verifySignature } from './webhook/payload';

describe('createSender', () => {
  let server: LoopbackServer;
  let reply: { status: number; body: string };
  beforeAll(async () => {
    // Echoes the request path and body in its error answers, as careless servers do.
    server = await startLoopbackServer(({ path, raw }) => ({
      ...reply,
      body: reply.body.replace('$', `${path} ${raw}`),
    }));
  });
  afterAll(async () => {
    await server.stop();
  });
  const signal = () => new AbortController().signal;

  it('signs webhook bodies with HMAC-SHA256 when a secret is set', async () => {
    reply = { status: 200, body: 'ok' };
    const send = createSender({ kind: 'webhook', url: `${server.url}/hook`, secret: 's3cret' });
    expect(await send({ version: '4', status: 'firing' }, signal())).toEqual({ ok: true, retryable: false });
    const req = server.received().at(-1)!;
    expect(req.body).toEqual({ version: '4', status: 'firing' });
    expect(verifySignature(req.raw, 's3cret', req.headers[SIGNATURE_HEADER.toLowerCase()] as string)).toBe(true);
  });

  it('posts the stored payload text as it is (webhook, signed; Slack), and PagerDuty says it needs the payload', async () => {
    reply = { status: 200, body: 'ok' };
    const text = JSON.stringify({ version: '4', status: 'firing', note: 'café' });
    const hook = createSender({ kind: 'webhook', url: `${server.url}/hook`, secret: 's3cret' });
    expect(hook.acceptsPayloadText).toBe(true);
    expect(await hook(undefined, signal(), { id: 'row-1', payloadText: text })).toEqual({ ok: true, retryable: false });
    const req = server.received().at(-1)!;
    expect(req.raw).toBe(text);
    expect(verifySignature(req.raw, 's3cret', req.headers[SIGNATURE_HEADER.toLowerCase()] as string)).toBe(true);
    const slack = createSender({ kind: 'slack', webhookURL: `${server.url}/services/T1/B1/X` });
    await slack(undefined, signal(), { id: 'row-2', payloadText: text });
    expect(server.received().at(-1)!.raw).toBe(text);
    expect(createSender({ kind: 'pagerduty', url: server.url, routingKey: 'k' }).acceptsPayloadText).toBe(false);
  });

  it('sends the notification id as Idempotency-Key, the same on a resend', async () => {
    reply = { status: 200, body: 'ok' };
    const send = createSender({ kind: 'webhook', url: `${server.url}/hook` });
    await send({ n: 1 }, signal(), { id: 'row-1' });
    await send({ n: 1 }, signal(), { id: 'row-1' });
    await send({ n: 2 }, signal(), { id: 'row-2' });
    const keys = server
      .received()
      .slice(-3)
      .map((r) => r.headers[IDEMPOTENCY_HEADER.toLowerCase()]);
    expect(keys).toEqual(['row-1', 'row-1', 'row-2']);
  });

  it('masks the webhook URL, routing key and signing secret in errors', async () => {
    reply = { status: 400, body: 'bad request to $' };
    const slack = createSender({ kind: 'slack', webhookURL: `${server.url}/services/T1/B1/SECRETTOKEN` });
    const r = await slack({ text: 'x' }, signal());
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(r.error).toMatch(/^slack: HTTP 400: bad request to <secret>/);
    expect(r.error).not.toContain('SECRETTOKEN');

    reply = { status: 503, body: 'down: $' };
    const pd = createSender({ kind: 'pagerduty', url: `${server.url}/v2/enqueue`, routingKey: 'RKEY123456' });
    const event = withoutRoutingKey({ routing_key: 'x', dedup_key: 'd1', event_action: 'trigger' });
    const p = await pd(event, signal());
    expect(p).toMatchObject({ ok: false, retryable: true });
    expect(p.error).not.toContain('RKEY123456');
    expect((server.received().at(-1)!.body as { routing_key: string }).routing_key).toBe('RKEY123456');
  });

  it('refuses a PagerDuty payload without dedup_key (a resend would open a second incident)', async () => {
    const pd = createSender({ kind: 'pagerduty', url: `${server.url}/v2/enqueue`, routingKey: 'k' });
    const before = server.received().length;
    expect(await pd({ event_action: 'trigger' }, signal())).toEqual({
      ok: false,
      retryable: false,
      error: 'pagerduty: payload has no dedup_key',
    });
    expect(server.received()).toHaveLength(before);
  });

  it('reports a network error and an abort as retryable, naming no URL', async () => {
    const down = await startLoopbackServer(() => ({ status: 200, body: '' }));
    await down.stop();
    const send = createSender({ kind: 'webhook', url: `${down.url}/private/path` });
    const r = await send({}, signal());
    expect(r).toEqual({ ok: false, retryable: true, error: 'webhook: request failed (ECONNREFUSED)' });
    const aborted = new AbortController();
    aborted.abort();
    reply = { status: 200, body: 'ok' };
    const a = await createSender({ kind: 'webhook', url: `${server.url}/x` })({}, aborted.signal);
    expect(a).toEqual({ ok: false, retryable: true, error: 'webhook: aborted' });
  });

  it('gives up on a channel that does not answer after the timeout, as retryable', async () => {
    // Accepts the request and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`;
      const r = await createSender({ kind: 'webhook', url }, { timeoutMs: 100 })({}, signal());
      expect(r).toEqual({ ok: false, retryable: true, error: 'webhook: timed out after 100 ms' });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
