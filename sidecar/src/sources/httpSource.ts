import type { DatasourceAuth } from '../config/schema';
import { displayUrl, httpCall, httpError, prepareEndpoint } from './http';
import type { CallOptions, PingResult } from './source';
import { pingWith } from './common';

/** How a datasource answers "are you up?": a path under its base URL and the statuses that mean yes. */
export interface ReadinessProbe {
  /** Product name for messages, e.g. `Prometheus`. */
  product: string;
  path: string;
  okStatuses: readonly number[];
}

/**
 * What every datasource spoken to over HTTP shares: the base URL with credentials moved into the
 * Authorization header, the display URL, the default timeout and the readiness probe.
 */
export abstract class HttpSource {
  readonly name: string;
  readonly url: string;
  protected readonly base: URL;
  protected readonly headers: Record<string, string>;
  protected readonly timeoutMs: number;

  protected constructor(
    config: { name: string; url: string; auth: DatasourceAuth; timeoutSeconds: number },
    tokenScheme: 'Bearer' | 'Token',
    private readonly probe: ReadinessProbe
  ) {
    this.name = config.name;
    const { base, headers } = prepareEndpoint(config.url, config.auth, tokenScheme);
    this.base = base;
    this.headers = headers;
    this.url = displayUrl(base);
    this.timeoutMs = config.timeoutSeconds * 1000;
  }

  /** Probes readiness; never throws (the health endpoint reports the error instead). */
  ping(opts: CallOptions = {}): Promise<PingResult> {
    const what = `ping ${this.probe.product} "${this.name}"`;
    return pingWith(what, async () => {
      const res = await httpCall({
        what,
        url: new URL(this.probe.path, this.base),
        headers: this.headers,
        timeoutMs: opts.timeoutMs ?? this.timeoutMs,
        signal: opts.signal,
      });
      if (!this.probe.okStatuses.includes(res.status)) {
        throw httpError(what, res);
      }
    });
  }
}
