// GET /api/v1/stream read by real HTTP clients: on a started sidecar (headers, auth, the type filter,
// cleanup when a client leaves, open streams ended by shutdown), and on the stream router alone with a
// short heartbeat and a small queue bound (heartbeats; a client that never reads is dropped while the
// publisher and a reading client go on).
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { StreamEvent } from '@vigil/core';
import express from 'express';
import pino from 'pino';
import { waitFor } from '../../../test/harness';
import { createLiveBus, type LiveBus } from '../live/bus';
import { startTestServer, TEST_TOKEN, type TestServer } from '../testing/fixtures';
import { openSse } from '../testing/sse';
import { errorHandler } from './errors';
import { streamRouter } from './stream';

const AT = '2026-12-07T03:00:00.000Z';
const alert = (fp: string): StreamEvent => ({
  type: 'alert',
  at: AT,
  fingerprint: fp,
  status: 'firing',
  labels: {},
  incidentId: null,
});
const anomaly = (id: string, message = 'above its band'): StreamEvent => ({
  type: 'anomaly',
  at: AT,
  id,
  seriesKey: 'cpu{service="api"}',
  severity: 'warning',
  message,
});

describe('the stream on a started sidecar', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(() => srv?.stop());

  it('answers an event stream with no caching or proxy buffering, then events with increasing ids', async () => {
    const s = await openSse(`${srv.url}/api/v1/stream`, TEST_TOKEN);
    try {
      expect(s.status).toBe(200);
      expect(s.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(s.headers['cache-control']).toBe('no-cache');
      expect(s.headers['x-accel-buffering']).toBe('no');
      expect(await s.nextComment()).toBe('connected');
      srv.live.publish(alert('a1'));
      srv.live.publish(anomaly('x1'));
      const [e1, e2] = [await s.next(), await s.next()];
      expect([e1.event, JSON.parse(e1.data)]).toEqual(['alert', alert('a1')]);
      expect([e2.event, JSON.parse(e2.data)]).toEqual(['anomaly', anomaly('x1')]);
      expect(Number(e2.id)).toBe(Number(e1.id) + 1);
      expect(s.raw()).toMatch(/^retry: 3000\n: connected\n\n/);
    } finally {
      s.close();
    }
  });

  it('needs the token, and rejects an unknown type', async () => {
    const anonymous = await openSse(`${srv.url}/api/v1/stream`, null);
    expect(anonymous.status).toBe(401);
    await anonymous.done;
    const bad = await openSse(`${srv.url}/api/v1/stream?types=alert,metric`, TEST_TOKEN);
    expect(bad.status).toBe(400);
    await bad.done;
    expect(JSON.parse(bad.raw())).toEqual({
      error: { code: 'invalid_request', message: 'types: unknown value "metric" (expected alert, incident, anomaly)' },
    });
  });

  it('sends only the requested types', async () => {
    const s = await openSse(`${srv.url}/api/v1/stream?types=anomaly,incident`, TEST_TOKEN);
    try {
      await s.nextComment();
      srv.live.publish(alert('skipped'));
      srv.live.publish(anomaly('x2'));
      expect(JSON.parse((await s.next()).data)).toEqual(anomaly('x2'));
    } finally {
      s.close();
    }
  });

  it('unsubscribes a client that leaves', async () => {
    // the earlier tests' clients are gone
    await waitFor('no subscribers', async () => srv.live.subscribers === 0, 5000, 10);
    const s = await openSse(`${srv.url}/api/v1/stream`, TEST_TOKEN);
    await s.nextComment();
    expect(srv.live.subscribers).toBe(1);
    s.close();
    await waitFor('the stream to unsubscribe', async () => srv.live.subscribers === 0, 5000, 10);
  });

  it('ends open streams on shutdown, so the drain does not wait for them', async () => {
    const other = await startTestServer({ server: { port: 0, shutdownTimeoutMs: 60_000 } });
    const s = await openSse(`${other.url}/api/v1/stream`, TEST_TOKEN);
    await s.nextComment();
    await other.stop();
    expect(await s.done).toBe('end');
  });
});

describe('the stream router alone: heartbeats and slow clients', () => {
  let live: LiveBus;
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    live = createLiveBus({ maxBuffered: 8 });
    const app = express();
    app.use(streamRouter({ live, heartbeatMs: 20 }));
    app.use(errorHandler(pino({ level: 'silent' })));
    server = http.createServer(app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/stream`;
  });
  afterAll(async () => {
    live.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends a heartbeat comment while idle', async () => {
    const s = await openSse(url, null);
    try {
      expect(await s.nextComment()).toBe('connected');
      expect(await s.nextComment()).toBe('heartbeat');
      expect(await s.nextComment()).toBe('heartbeat');
    } finally {
      s.close();
    }
  });

  it('drops a client that never reads; the publisher and a reading client go on', async () => {
    const reader = await openSse(url, null);
    await reader.nextComment();
    const stalled = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    stalled.write('GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    stalled.pause();
    try {
      await waitFor('the stalled client to subscribe', async () => live.subscribers === 2, 5000, 10);
      // Big events fill the stalled socket's buffers; the reader takes each before the next is published.
      const big = 'x'.repeat(128 * 1024);
      let i = 0;
      for (; live.dropped === 0 && i < 2000; i++) {
        live.publish(anomaly(`e${i}`, big));
        expect((JSON.parse((await reader.next()).data) as { id: string }).id).toBe(`e${i}`);
      }
      expect(live.dropped).toBe(1);
      expect(live.subscribers).toBe(1);
      // the reader is still served, and a new client too
      live.publish(alert('after'));
      expect(JSON.parse((await reader.next()).data)).toEqual(alert('after'));
      const fresh = await openSse(url, null);
      expect(await fresh.nextComment()).toBe('connected');
      fresh.close();
    } finally {
      stalled.destroy();
      reader.close();
    }
  });
});
