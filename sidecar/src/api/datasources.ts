import { Router } from 'express';
import type { DatasourceConfig } from '../config/schema';

/** What the API shows instead of a secret. */
export const MASK = '••••••';

/** A datasource as the API shows it: credentials masked, never echoed. */
export interface DatasourceView {
  name: string;
  type: DatasourceConfig['type'];
  url: string;
  timeoutSeconds: number;
  database?: string;
  retentionPolicy?: string;
  basicAuth?: { username: string; password: string };
  token?: string;
}

/** Masks a password embedded in a URL (`http://user:secret@host` → `http://user:••••••@host`). */
export function maskUrl(raw: string): string {
  const u = new URL(raw);
  // URL setters percent-encode, so set an ASCII placeholder and swap the mask in afterwards.
  if (u.password) {
    u.password = 'VIGILMASK';
  }
  return u.toString().replace(/\/$/, '').replace(':VIGILMASK@', `:${MASK}@`);
}

/** The API view of a configured datasource, with every secret replaced by {@link MASK}. */
export function toView(ds: DatasourceConfig): DatasourceView {
  const view: DatasourceView = {
    name: ds.name,
    type: ds.type,
    url: maskUrl(ds.url),
    timeoutSeconds: ds.timeoutSeconds,
  };
  if (ds.type === 'influxdb') {
    view.database = ds.database;
    if (ds.retentionPolicy) {
      view.retentionPolicy = ds.retentionPolicy;
    }
  }
  if (ds.auth.kind === 'basic') {
    view.basicAuth = { username: ds.auth.username, password: MASK };
  }
  if (ds.auth.kind === 'token') {
    view.token = MASK;
  }
  return view;
}

/** `GET /api/v1/datasources`: the configured datasources, secrets masked. */
export function datasourcesRouter(datasources: readonly DatasourceConfig[]): Router {
  const router = Router();
  router.get('/api/v1/datasources', (_req, res) => {
    res.json({ datasources: datasources.map(toView) });
  });
  return router;
}
