// Loads demo/slos.yaml into a running sidecar through its API, idempotently: PUT each SLO (an update
// when it exists), POST it when the sidecar answers 404. A demo restart on the same database thus
// keeps one copy of each SLO, updated to the file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Where the demo's SLO spec file lives. */
export const DEMO_SLOS_FILE = join(__dirname, 'slos.yaml');

/** The SLO specs of the demo file (`slos: [...]`), as the sidecar's API takes them. */
export function demoSloSpecs(file = DEMO_SLOS_FILE): Array<Record<string, unknown>> {
  const doc = parse(readFileSync(file, 'utf8')) as { slos?: unknown };
  if (!Array.isArray(doc?.slos)) {
    throw new Error(`${file}: expected "slos: [...]"`);
  }
  return doc.slos as Array<Record<string, unknown>>;
}

/** What {@link loadDemoSlos} did. */
export interface DemoSlosLoaded {
  created: string[];
  updated: string[];
}

/** PUTs (or, when absent, POSTs) each demo SLO; throws naming the SLO and the sidecar's answer on failure. */
export async function loadDemoSlos(opts: { url: string; token: string; file?: string }): Promise<DemoSlosLoaded> {
  const done: DemoSlosLoaded = { created: [], updated: [] };
  const send = (method: string, path: string, body: unknown) =>
    fetch(`${opts.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${opts.token}`,
        'content-type': 'application/json',
        'x-grafana-user': 'vigil-demo',
      },
      body: JSON.stringify(body),
    });
  for (const spec of demoSloSpecs(opts.file)) {
    const id = String(spec.id);
    let res = await send('PUT', `/slos/${encodeURIComponent(id)}`, spec);
    let list = done.updated;
    if (res.status === 404) {
      res = await send('POST', '/slos', spec);
      list = done.created;
    }
    if (!res.ok) {
      throw new Error(`loading the demo SLO ${id}: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
    }
    list.push(id);
  }
  return done;
}
