import { Observable, of, throwError } from 'rxjs';
import {
  type BackendSrv,
  type BackendSrvRequest,
  type FetchError,
  type FetchResponse,
  setBackendSrv,
} from '@grafana/runtime';

/** A canned answer: a body with a status; statuses of 400 and above fail like Grafana's BackendSrv. */
export interface CannedResponse {
  status: number;
  body: unknown;
}

/**
 * Stands in for Grafana's BackendSrv (the boundary between a plugin and Grafana's server): records
 * each request and answers from `respond`, failing with Grafana's `FetchError` shape for HTTP errors.
 * Install with {@link installFakeBackendSrv}.
 */
export class FakeBackendSrv {
  readonly requests: BackendSrvRequest[] = [];

  constructor(private respond: (req: BackendSrvRequest) => CannedResponse) {}

  fetch<T>(req: BackendSrvRequest): Observable<FetchResponse<T>> {
    this.requests.push(req);
    const { status, body } = this.respond(req);
    if (status >= 400 || status === 0) {
      const err: FetchError = {
        status,
        statusText: status === 502 ? 'Bad Gateway' : `HTTP ${status}`,
        data: body,
        config: req,
      };
      return throwError(() => err);
    }
    return of({
      data: body as T,
      status,
      statusText: 'OK',
      ok: true,
      headers: {} as Headers, // jsdom has no Headers class; the client does not read them
      redirected: false,
      type: 'basic',
      url: req.url,
      config: req,
    });
  }
}

/** Installs a {@link FakeBackendSrv} as Grafana's BackendSrv and returns it. */
export function installFakeBackendSrv(respond: (req: BackendSrvRequest) => CannedResponse): FakeBackendSrv {
  const fake = new FakeBackendSrv(respond);
  setBackendSrv(fake as unknown as BackendSrv);
  return fake;
}

/** A health report as the sidecar sends it. */
export const healthyReport = {
  status: 'degraded',
  timestamp: '2026-01-01T00:00:00.000Z',
  datasources: [
    { name: 'prometheus', type: 'prometheus', url: 'http://127.0.0.1:9090', reachable: true, latencyMs: 3.2 },
    {
      name: 'influxdb',
      type: 'influxdb',
      url: 'http://127.0.0.1:8086',
      reachable: false,
      latencyMs: 1000,
      error: 'connect ECONNREFUSED',
    },
  ],
  store: { type: 'sqlite', ok: true, schemaVersion: 1 },
};
