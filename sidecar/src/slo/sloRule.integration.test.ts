// An SLO's burn-rate alerts through the rule engine, on a real Prometheus with 31 days of
// backfilled counters and a real store: the SLO service keeps one read-only rule per SLO; a 10%
// error burst fires page_1h (critical) into the notification inbox with the SLO's labels, resolves
// when the burst is over, and the SLO's status is stored from the same evaluations.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startPrometheus, toOpenMetrics, type PrometheusHandle } from '../../../test/harness';
import type { Config } from '../config/schema';
import type { Store } from '../store';
import { openSqliteStore } from '../store/sqlite';
import { alertEvents, ruleTestConfig, testEngine } from '../testing/ruleEngine';
import { startTestServer } from '../testing/fixtures';
import { counterSlo, sloCounters } from '../testing/sloData';
import type { RuleEngineService } from '../rules/service';
import type { SloStatus } from './evaluate';
import { SloService } from './service';
import { sloRuleId } from './sloRule';

jest.setTimeout(180_000);

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const END = Math.floor(Date.now() / MIN) * MIN - 2 * 60 * MIN;
const BURST = { from: END - 60 * MIN, to: END - 40 * MIN };
const errorsAt = (t: number) => (t > BURST.from && t <= BURST.to ? 100 : 0.5);

let prom: PrometheusHandle;
let config: Config;
let dir: string;
let store: Store;
let engine: RuleEngineService | undefined;

beforeAll(async () => {
  prom = await startPrometheus({
    backfill: toOpenMetrics(sloCounters('slo_rule_it', 'checkout', END - 31 * DAY, END, 1000, errorsAt)),
    retention: '60d',
  });
  config = ruleTestConfig({ datasources: [{ name: 'prom', type: 'prometheus', url: prom.url }] });
});
afterAll(async () => {
  await prom?.stop();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-slo-rule-'));
  store = openSqliteStore({ path: join(dir, 'vigil.db') });
});
afterEach(async () => {
  await engine?.stop(0);
  engine = undefined;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function sloService(reloadRules: () => Promise<void> = async () => undefined): SloService {
  return new SloService({ slos: store, rules: store, reloadRules, logger: pino({ level: 'silent' }) });
}

it('keeps one read-only rule per SLO: created with it, repaired at start, deleted with it', async () => {
  const slos = sloService();
  await slos.put(counterSlo('slo_rule_it', 'checkout'), 'alice', 0);
  const rule = await store.getRule(sloRuleId('checkout-availability'));
  expect(rule?.body).toMatchObject({
    condition: { kind: 'slo', slo: 'checkout-availability' },
    labels: { slo_id: 'checkout-availability', service: 'checkout' },
    noDataState: 'OK',
  });
  expect(rule?.createdBy).toBe('alice');
  // A crash between the SLO's write and its rule's: the next start writes the rule.
  await store.deleteRule(rule!.id, {
    at: 1,
    user: 't',
    action: 'delete',
    objectType: 'rule',
    objectId: rule!.id,
    detail: null,
  });
  await sloService().start();
  expect(await store.getRule(rule!.id)).not.toBeNull();
  await slos.delete('checkout-availability', 'bob');
  expect(await store.getRule(rule!.id)).toBeNull();
});

it('pages on a 10% burst through the rule engine (page_1h, then page_6h), into the inbox, and resolves after it', async () => {
  const slos = sloService();
  await slos.put(counterSlo('slo_rule_it', 'checkout', { alerting: { page: true, ticket: false } }), 'alice');
  const clock = { now: BURST.from };
  const statuses: Array<{ at: number; status: SloStatus | null }> = [];
  engine = testEngine(store, config, clock, undefined, {
    slos: {
      slo: slos.slo,
      onSloStatus: (id, at, status, error) => {
        statuses.push({ at, status });
        slos.onSloStatus(id, at, status, error);
      },
    },
  });
  await engine.ready;
  const id = sloRuleId('checkout-availability');
  let firedAt: number | null = null;
  for (let t = BURST.from; t <= BURST.to + 60 * MIN; t += MIN) {
    clock.now = t;
    await engine.evaluateDue(t);
    const firing = (await store.listInstances()).filter((i) => i.ruleId === id && i.state === 'firing');
    if (firing.length > 0 && firedAt === null) {
      firedAt = t;
      expect(firing).toHaveLength(1);
      expect(firing[0]).toMatchObject({
        severity: 'critical',
        threshold: 14.4,
        labels: expect.objectContaining({
          alertname: 'checkout availability error budget burn',
          slo_id: 'checkout-availability',
          slo_alert: 'page_1h',
          slo_window: '1h',
          slo_short_window: '5m',
          service: 'checkout',
        }),
      });
      expect(firing[0].annotations.summary).toMatch(
        /^checkout availability: error budget burning at \d+\.\d× \(page_1h, threshold 14\.4×\)$/
      );
    }
  }
  // 8 to 10 minutes into a 100× burst (14.4 / 100 of an hour, less the background).
  expect(firedAt).not.toBeNull();
  expect((firedAt! - BURST.from) / MIN).toBeGreaterThanOrEqual(8);
  expect((firedAt! - BURST.from) / MIN).toBeLessThanOrEqual(10);
  // page_1h fires ~8.4 min into the 100× burst and resolves once its 5-minute window clears; the
  // 6-hour page (5% of the budget: 6×) follows at ~20 min and resolves when its 30-minute window clears.
  const events = (await alertEvents(store, id)).map((e) => ({
    event: e.metadata.event,
    alert: (e.metadata.labels as Record<string, string> | undefined)?.slo_alert,
    min: (e.startedAt - BURST.from) / MIN,
    severity: e.severity,
  }));
  const of = (alert: string) => events.filter((e) => e.alert === alert);
  expect(of('page_1h').map((e) => [e.event, e.severity])).toEqual([
    ['firing', 'critical'],
    ['resolved', 'critical'],
  ]);
  expect(of('page_1h')[1].min - 20).toBeGreaterThanOrEqual(4);
  expect(of('page_1h')[1].min - 20).toBeLessThanOrEqual(6);
  expect(of('page_6h').map((e) => e.event)).toEqual(['firing', 'resolved']);
  expect(of('page_6h')[0].min).toBeGreaterThan(of('page_1h')[0].min);
  expect(of('page_6h')[1].min - 20).toBeGreaterThanOrEqual(28);
  expect(of('page_6h')[1].min - 20).toBeLessThanOrEqual(31);
  // The alerts went to the dispatcher's inbox, with the SLO's labels.
  const inbox = (await store.readInbox(100)).map((e) => `${e.alert.status}:${e.alert.labels.slo_alert}`);
  expect(inbox).toEqual(['firing:page_1h', 'firing:page_6h', 'resolved:page_1h', 'resolved:page_6h']);
  // The same evaluations left the SLO's status in the store.
  await slos.flushStatuses();
  const stored = (await store.sloStatuses()).get('checkout-availability');
  expect(stored?.evaluatedAt).toBe(statuses[statuses.length - 1].at);
  expect((stored?.status as SloStatus).budget.remaining).toBeLessThan(0.5);
});

it('with alerting off, still evaluates the SLO (its status is stored) and raises nothing', async () => {
  const slos = sloService();
  await slos.put(counterSlo('slo_rule_it', 'checkout', { alerting: { page: false, ticket: false } }), 'alice');
  const clock = { now: BURST.to };
  engine = testEngine(store, config, clock, undefined, { slos });
  await engine.ready;
  for (let t = BURST.to; t <= BURST.to + 3 * MIN; t += MIN) {
    clock.now = t;
    await engine.evaluateDue(t);
  }
  await slos.flushStatuses();
  const stored = (await store.sloStatuses()).get('checkout-availability');
  expect((stored?.status as SloStatus).burnRates.find((b) => b.name === 'page_1h')?.firing).toBe(true);
  expect(await store.listInstances()).toEqual([]);
  expect(await store.readInbox(100)).toEqual([]);
});

it('previews an unsaved spec through the API: its status and burn-down, nothing stored', async () => {
  const srv = await startTestServer({ datasources: [{ name: 'prom', type: 'prometheus', url: prom.url }] });
  try {
    const spec = {
      id: 'checkout-preview',
      name: 'Checkout preview',
      service: 'checkout',
      target: 99.9,
      window: '1d',
      sli: {
        ratio: {
          bad: 'sum(increase(slo_rule_it_errors_total{svc="checkout"}[$__range]))',
          total: 'sum(increase(slo_rule_it_requests_total{svc="checkout"}[$__range]))',
        },
      },
      datasource: 'prom',
    };
    const res = await srv.call('/api/v1/slos/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: { sli: number; budgetRemaining: number }; burnDown: unknown[] };
    // The day holds the 20-minute 10% burst (the counters end 2 h ago): far more than the day's budget.
    expect(body.status.budgetRemaining).toBe(0);
    expect(body.status.sli).toBeLessThan(0.999);
    expect(body.burnDown.length).toBeGreaterThan(100);
    expect(await srv.store.getSlo('checkout-preview')).toBeNull();
    expect(await srv.store.getRule(sloRuleId('checkout-preview'))).toBeNull();
    const bad = await srv.call('/api/v1/slos/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...spec, target: 101 }),
    });
    expect(bad.status).toBe(400);
  } finally {
    await srv.stop();
  }
});
