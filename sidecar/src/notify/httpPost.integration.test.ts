// httpPost against a real loopback HTTP server: connection reuse, redirects refused, the answer's
// excerpt bounded, the caller's abort. (Errors and timeouts through the senders: sender.integration.test.ts.)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpPost, HttpPostError } from './httpPost';

describe('httpPost', () => {
  let server: Server;
  let url: string;
  let connections: number;
  let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;

  beforeEach(async () => {
    connections = 0;
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => handler(req, res, body));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const signal = () => new AbortController().signal;

  it('posts the body with its headers and reuses the connection for the next request', async () => {
    const seen: Array<{ method?: string; type?: string; length?: string; body: string }> = [];
    handler = (req, res, body) => {
      seen.push({ method: req.method, type: req.headers['content-type'], length: req.headers['content-length'], body });
      res.writeHead(202, { 'Retry-After': '3' }).end('accepted');
    };
    for (const body of ['{"a":1}', '{"b":"ü"}', '{}']) {
      const answer = await httpPost(url, { 'Content-Type': 'application/json' }, body, signal(), 5000);
      expect(answer).toMatchObject({ status: 202, text: 'accepted' });
      expect(answer.headers['retry-after']).toBe('3');
    }
    expect(seen.map((s) => s.body)).toEqual(['{"a":1}', '{"b":"ü"}', '{}']);
    expect(seen[1]).toMatchObject({ method: 'POST', type: 'application/json', length: '10' });
    expect(connections).toBe(1);
  });

  it('refuses to follow a redirect, as a network error', async () => {
    handler = (_req, res) => res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' }).end();
    const err = await httpPost(url, {}, '{}', signal(), 5000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpPostError);
    expect(err).toMatchObject({ reason: 'network', code: 'network error' });
  });

  it('keeps the first 64 KB of a large answer', async () => {
    handler = (_req, res) => res.writeHead(500).end('e'.repeat(200 * 1024));
    const answer = await httpPost(url, {}, '{}', signal(), 5000);
    expect(answer.status).toBe(500);
    expect(answer.text).toHaveLength(64 * 1024);
  });

  it('stops when the caller aborts, whether before or during the request', async () => {
    handler = () => undefined; // never answers
    const before = new AbortController();
    before.abort();
    await expect(httpPost(url, {}, '{}', before.signal, 5000)).rejects.toMatchObject({ reason: 'aborted' });
    const during = new AbortController();
    const pending = httpPost(url, {}, '{}', during.signal, 5000);
    setTimeout(() => during.abort(), 50);
    await expect(pending).rejects.toMatchObject({ reason: 'aborted' });
  });
});
