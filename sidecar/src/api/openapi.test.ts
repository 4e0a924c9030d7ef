import { startTestServer, type TestServer } from '../testing/fixtures';
import { openApiDocument } from './openapi';
import { listRoutes } from './routes';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(() => srv.stop());

type Paths = Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
const toOpenApiPath = (express: string) => express.replace(/:(\w+)/g, '{$1}');

describe('OpenAPI document', () => {
  it('documents exactly the /api routes the app serves', () => {
    const served = listRoutes(srv.app)
      .filter((r) => r.path.startsWith('/api/'))
      .map((r) => `${r.method.toLowerCase()} ${toOpenApiPath(r.path)}`)
      .sort();
    const paths = openApiDocument().paths as Paths;
    const documented = Object.entries(paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .sort();
    expect(documented).toEqual(served);
  });

  it('marks only the health check as public, and every operation has responses', () => {
    const paths = openApiDocument().paths as Paths;
    const publicOps = Object.entries(paths).flatMap(([p, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => Array.isArray(op.security) && op.security.length === 0)
        .map(([m]) => `${m} ${p}`)
    );
    expect(publicOps).toEqual(['get /api/v1/monitoring/health']);
    for (const ops of Object.values(paths)) {
      for (const op of Object.values(ops)) {
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      }
    }
  });

  it('resolves every $ref', () => {
    const doc = openApiDocument();
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const path = ref.slice(10, -1).split('/');
      const target = path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect({ ref, found: target !== undefined }).toEqual({ ref, found: true });
    }
  });

  it('is served at /api/v1/openapi.json with the token', async () => {
    const res = await srv.call('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });
});
