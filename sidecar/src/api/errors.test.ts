import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger } from '../log';
import { VigilError } from '../errors';
import { LogCapture } from '../testing/fixtures';
import { errorHandler, notFoundHandler, type ErrorBody } from './errors';

async function withApp(setup: (app: express.Express) => void, run: (url: string) => Promise<void>): Promise<void> {
  const app = express();
  setup(app);
  app.use(notFoundHandler);
  const log = new LogCapture();
  app.use(errorHandler(createLogger('info', log)));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

describe('errorHandler', () => {
  it('answers an unexpected error with a generic 500 JSON body: no message, no stack, no HTML', async () => {
    await withApp(
      (app) =>
        app.get('/boom', async () => {
          throw new Error('secret detail at /home/vigil/src/x.ts:10');
        }),
      async (url) => {
        const res = await fetch(`${url}/boom`);
        expect(res.status).toBe(500);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        const text = await res.text();
        expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error' } });
        expect(text).not.toMatch(/secret detail|\.ts:|at /);
      }
    );
  });

  it('passes a VigilError through with its status, code and message', async () => {
    await withApp(
      (app) =>
        app.get('/busy', () => {
          throw new VigilError('datasource_timeout', 'query Prometheus "p": timeout after 30s', {
            status: 504,
            retryable: true,
          });
        }),
      async (url) => {
        const res = await fetch(`${url}/busy`);
        expect(res.status).toBe(504);
        expect(await res.json()).toEqual({
          error: { code: 'datasource_timeout', message: 'query Prometheus "p": timeout after 30s' },
        });
      }
    );
  });

  it('turns Express routing errors (bad URL encoding) into JSON 400', async () => {
    await withApp(
      (app) => app.get('/item/:id', (req, res) => void res.json(req.params)),
      async (url) => {
        const res = await fetch(`${url}/item/%E0%A4%A`);
        expect(res.status).toBe(400);
        expect(((await res.json()) as ErrorBody).error.code).toBe('bad_request');
      }
    );
  });
});
