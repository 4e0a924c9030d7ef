// Rule files through a started sidecar: the demo's rule file loads as it ships, file rules are
// read-only through the API, a change to a file is picked up, and an id clash names both rules.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuleResource } from '@vigil/core';
import { startPrometheus, waitFor, type ServerHandle } from '../../../test/harness';
import { startTestServer, TEST_TOKEN, type TestServer } from '../testing/fixtures';

jest.setTimeout(60_000);

const DEMO_RULES = join(__dirname, '..', '..', '..', 'demo', 'rules', 'vigil-rules.yml');

let prom: ServerHandle;
let srv: TestServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-rules-dir-'));
  copyFileSync(DEMO_RULES, join(dir, 'vigil-rules.yml'));
  prom = await startPrometheus();
  srv = await startTestServer({
    datasources: [{ name: 'prometheus', type: 'prometheus', url: prom.url }],
    rules: { dir },
  });
});
afterAll(async () => {
  await srv?.stop();
  await prom?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const rules = async () => ((await (await srv.call('/api/v1/rules')).json()) as { rules: RuleResource[] }).rules;

describe('rule files in a running sidecar', () => {
  it("loads the demo's rule file (the guide's rule sets) as read-only rules", async () => {
    const list = await rules();
    expect(list.map((r) => r.id).sort()).toEqual(
      ['high_cpu_usage', 'high_error_rate', 'high_response_time', 'revenue_drop', 'service_down'].sort()
    );
    for (const r of list) {
      expect(r).toMatchObject({
        origin: 'file',
        file: 'vigil-rules.yml',
        readOnly: true,
        createdBy: 'file:vigil-rules.yml',
      });
    }
    const put = await srv.call('/api/v1/rules/service_down', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'x',
        severity: 'info',
        query: 'up',
        condition: { kind: 'threshold', op: '>', threshold: 1 },
      }),
    });
    expect(put.status).toBe(403);
  });

  it('picks up a changed file, and refuses an id an API rule holds (naming both) while keeping the file as it was', async () => {
    writeFileSync(
      join(dir, 'extra.yml'),
      'rules:\n  - { id: extra_one, name: Extra, severity: info, query: up, condition: { kind: threshold, op: "<", threshold: 1 } }\n'
    );
    await waitFor('extra.yml to load', async () => (await rules()).some((r) => r.id === 'extra_one'));

    const created = await srv.call('/api/v1/rules', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify({
        id: 'api_owned',
        name: 'API owned',
        severity: 'info',
        query: 'up',
        condition: { kind: 'threshold', op: '<', threshold: 1 },
      }),
    });
    expect(created.status).toBe(201);
    writeFileSync(
      join(dir, 'extra.yml'),
      `${readFileSync(join(dir, 'extra.yml'), 'utf8')}  - { id: api_owned, name: Clash, severity: info, query: up, condition: { kind: threshold, op: "<", threshold: 1 } }\n`
    );
    const logged = await waitFor('the clash to be logged', async () =>
      srv.log.records().find((r) => typeof r.msg === 'string' && r.msg.startsWith('rules: extra.yml not loaded'))
    );
    expect(JSON.stringify(logged.problems)).toContain(
      '\\"api_owned\\" is already the id of a rule created through the API'
    );
    const list = await rules();
    expect(list.find((r) => r.id === 'api_owned')).toMatchObject({ origin: 'api', name: 'API owned' });
    expect(list.find((r) => r.id === 'extra_one')).toMatchObject({ origin: 'file', file: 'extra.yml' });
  });
});
