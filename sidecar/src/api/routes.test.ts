import express, { Router } from 'express';
import { listRoutes } from './routes';

describe('listRoutes', () => {
  it('lists app routes and routes of routers mounted at any depth, with full paths', () => {
    const app = express();
    app.get('/metrics', (_req, res) => void res.end());
    const inner = Router();
    inner.delete('/items/:id', (_req, res) => void res.end());
    inner
      .route('/items')
      .get((_req, res) => void res.end())
      .post((_req, res) => void res.end());
    const outer = Router();
    outer.use('/v2', inner);
    outer.all('/any', (_req, res) => void res.end());
    app.use('/api', outer);
    app.use(Router().put('/root-level', (_req, res) => void res.end()));
    app.use((_req, res) => void res.end()); // plain middleware: not a route

    expect(listRoutes(app)).toEqual([
      { method: 'GET', path: '/metrics' },
      { method: 'DELETE', path: '/api/v2/items/:id' },
      { method: 'GET', path: '/api/v2/items' },
      { method: 'POST', path: '/api/v2/items' },
      { method: 'ALL', path: '/api/any' },
      { method: 'PUT', path: '/root-level' },
    ]);
  });
});
