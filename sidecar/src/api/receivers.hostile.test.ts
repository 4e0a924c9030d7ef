// Hostile input over HTTP: a few thousand malformed receiver requests (seeded, so a failure replays)
// against a started sidecar with the dispatcher running and loopback channels behind it. Webhook-body
// faults come from the parser-level generators (testing/hostileWebhooks.ts: wrong types, huge strings,
// deep nesting, bad names and times, numbers as labels, 10k alerts); request faults are added here
// (invalid JSON, wrong content type or encoding, empty body, arrays, nulls, prototype keys). Every
// answer must be a 4xx, the sidecar must keep answering, and nothing may be stored or sent.
import {
  loadGolden,
  mutate,
  prng,
  rawFault,
  REQUIRED_TOP,
  toJsonText,
  type RawRequest,
} from '../testing/hostileWebhooks';
import { postJson, startNotifyTestServer, type NotifyTestServer } from '../testing/notifyFixtures';

jest.setTimeout(120_000);

let t: NotifyTestServer;
beforeAll(async () => {
  // A smaller body limit than the default 1 MB keeps the run short and still reaches 413 often.
  t = await startNotifyTestServer({ server: { port: 0, bodyLimit: '256kb' } });
});
afterAll(() => t?.stop());

const SENDERS = [
  {
    path: '/api/v1/receivers/alertmanager',
    golden: loadGolden('alertmanager-v4.json'),
    required: REQUIRED_TOP.alertmanager,
  },
  { path: '/api/v1/receivers/grafana', golden: loadGolden('grafana.json'), required: REQUIRED_TOP.grafana },
];

/** Request `i` of the run: two in three plant a fault in a webhook body, one in three in the request. */
function makeCase(rnd: () => number): RawRequest & { path: string } {
  const s = rnd() < 0.5 ? 0 : 1;
  const { path, golden, required } = SENDERS[s];
  if (rnd() < 2 / 3) {
    return { path, raw: toJsonText(mutate(golden, rnd, required)), headers: { 'content-type': 'application/json' } };
  }
  return { path, ...rawFault({ own: golden, other: SENDERS[1 - s].golden }, rnd) };
}

describe('hostile receiver requests', () => {
  it('answers every malformed request with a 4xx, stores and sends nothing, and keeps running', async () => {
    const rnd = prng(20261207);
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    const N = 2400;
    const BATCH = 8;
    for (let i = 0; i < N; i += BATCH) {
      // Built per batch: a 10k-alert body is large, and holding thousands at once is not the point.
      const cases = Array.from({ length: Math.min(BATCH, N - i) }, () => makeCase(rnd));
      await Promise.all(
        cases.map(async (c, k) => {
          const res = await t.srv.call(c.path, { method: 'POST', headers: c.headers, body: c.raw });
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status < 400 || res.status >= 500 || !text.startsWith('{"error":')) {
            bad.push(
              `#${i + k} ${c.path} ${JSON.stringify(c.headers)} → ${res.status} ${text.slice(0, 200)}: ${c.raw.slice(0, 200)}`
            );
          }
        })
      );
    }
    expect(bad).toEqual([]);
    expect([...statuses.keys()].sort()).toEqual([400, 413, 415]);

    // Alive and nothing stored, routed or sent; no unhandled error logged; nothing polluted.
    expect((await t.srv.call('/api/v1/monitoring/health')).status).toBe(200);
    expect(await t.srv.store.readInbox(10)).toEqual([]);
    expect(await t.srv.store.listGroups()).toEqual([]);
    expect(await t.srv.store.firingAlertLabels()).toEqual([]);
    expect(await t.srv.store.listNotifications()).toEqual([]);
    expect(t.pd.received()).toEqual([]);
    expect(t.slack.received()).toEqual([]);
    expect(t.srv.log.text()).not.toMatch(/unhandled error/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // And still working: the golden bodies are accepted after all that.
    for (const s of SENDERS) {
      const res = await postJson(t.srv, s.path, s.golden);
      expect(await res.json()).toEqual({ accepted: 2 });
    }
  });
});
