// The rule engine's hand-off to the dispatcher: a rule's firing and resolved transitions land in the
// store's notify inbox (same transaction as the transitions), with the alert's labels (alertname and
// the instance's severity), rendered annotations, times, value, threshold and the rule's actions; the
// engine wakes the dispatcher after such a commit. Driven end to end by an anomaly rule on a real
// store (its samples are the store's anomaly events, so no datasource is needed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertInstance, Transition } from '@vigil/core';
import pino from 'pino';
import type { Config } from '../config/schema';
import { createMetrics } from '../metrics';
import { createSource } from '../sources';
import type { Store } from '../store';
import { openSqliteStore } from '../store/sqlite';
import { closedPort } from '../testing/fixtures';
import { alertEvents, putTestRule, ruleTestConfig } from '../testing/ruleEngine';
import { ruleTimesBetween } from './grid';
import { inboundFor } from './inbound';
import { parseRuleBody, ruleContext, toRuleSpec } from './schema';
import { startRules, type RuleEngineService } from './service';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 4, 12, 0, 0);

describe('inboundFor', () => {
  const inst = (over: Partial<AlertInstance>): AlertInstance => ({
    ruleId: 'r',
    fingerprint: 'fp',
    labels: { alertname: 'R', service: 'api' },
    state: 'firing',
    since: T0,
    activeAt: T0 - MIN,
    firedAt: T0,
    recoveringSince: null,
    value: 5,
    threshold: 3,
    severity: 'critical',
    missingEvals: 0,
    lastEvalAt: T0,
    annotations: { summary: 'high: 5' },
    ...over,
  });
  const t = (over: Partial<Transition>): Transition => ({
    ruleId: 'r',
    fingerprint: 'fp',
    labels: { alertname: 'R', service: 'api' },
    from: 'pending',
    to: 'firing',
    at: T0,
    value: 5,
    threshold: 3,
    severity: 'critical',
    ...over,
  });

  it('keeps only firing and resolved transitions; a resolved alert keeps its firing start and annotations', () => {
    const firing = inst({});
    const pendingT = t({ from: 'normal', to: 'pending', at: T0 - MIN });
    expect(inboundFor({ actions: ['pd'] }, [pendingT], [], [inst({ state: 'pending' })])).toEqual([]);

    const [fired] = inboundFor({ actions: ['pd'] }, [t({ event: 'firing' })], [], [firing]);
    expect(fired).toEqual({
      fingerprint: 'fp',
      source: 'rule',
      status: 'firing',
      labels: { alertname: 'R', service: 'api', severity: 'critical' },
      annotations: { summary: 'high: 5' },
      startsAt: T0,
      endsAt: null,
      value: 5,
      threshold: 3,
      actions: ['pd'],
      at: T0,
    });

    // Resolved: the instance is gone (Normal is not kept); value is the recovered one.
    const resolvedT = t({ from: 'firing', to: 'normal', at: T0 + 5 * MIN, value: 1, event: 'resolved' });
    const [resolved] = inboundFor({ actions: [] }, [resolvedT], [firing], []);
    expect(resolved).toMatchObject({
      status: 'resolved',
      startsAt: T0,
      endsAt: T0 + 5 * MIN,
      value: 1,
      annotations: { summary: 'high: 5' },
      actions: [],
      at: T0 + 5 * MIN,
    });
    expect(resolved).not.toHaveProperty('generatorURL');
  });
});

describe('rule transitions into the notify inbox', () => {
  let config: Config;
  let dir: string;
  let store: Store;
  let engine: RuleEngineService | undefined;

  beforeAll(async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    config = ruleTestConfig({
      datasources: [{ name: 'prom', type: 'prometheus', url }],
      detectors: [{ name: 'latency', datasource: 'prom', query: 'up', interval: '1m' }],
    });
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-rule-inbound-'));
    store = openSqliteStore({ path: join(dir, 'vigil.db') });
  });
  afterEach(async () => {
    await engine?.stop(0);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const body = {
    id: 'latency-anomaly',
    name: 'Latency anomaly',
    severity: 'warning',
    condition: { kind: 'anomaly', detector: 'latency', minConfidence: 0.5 },
    interval: '1m',
    labels: { team: 'core' },
    annotations: {
      summary: 'anomaly on {{ $labels.service }} (confidence {{ $value }})',
      runbook_url: 'http://127.0.0.1/runbooks/latency',
    },
    actions: ['pagerduty-critical', 'slack-ops'],
  };

  it('pushes a firing and a resolved alert with their fields, and wakes the dispatcher after each', async () => {
    const spec = toRuleSpec(parseRuleBody(body, ruleContext(config)));
    const G = ruleTimesBetween(spec, T0, T0 + 10 * MIN);
    await store.insertEvent({
      kind: 'anomaly',
      seriesKey: 'latency{service="api"}',
      startedAt: G[2] - 10_000,
      endedAt: G[5] - 10_000, // open at G2…G4
      severity: 'warning',
      message: 'anomaly',
      metadata: { confidence: 0.95, labels: { service: 'api', detector: 'latency' } },
    });
    await putTestRule(store, config, body);
    const clock = { now: G[0] };
    const kicks: number[] = [];
    engine = startRules({
      config,
      store,
      sources: config.datasources.map(createSource),
      logger: pino({ level: 'silent' }),
      metrics: createMetrics(),
      now: () => clock.now,
      schedule: false,
      onInbound: () => kicks.push(clock.now),
    });
    for (let k = 0; k <= 6; k++) {
      clock.now = G[k];
      await engine.evaluateDue(G[k]);
    }

    const [fired] = await alertEvents(store, 'latency-anomaly');
    const fingerprint = fired.seriesKey;
    const labels = {
      service: 'api',
      detector: 'latency',
      team: 'core',
      alertname: 'Latency anomaly',
      severity: 'error',
    };
    const annotations = {
      summary: 'anomaly on api (confidence 0.95)',
      runbook_url: 'http://127.0.0.1/runbooks/latency',
    };
    const inbox = await store.readInbox(10);
    expect(inbox.map((e) => e.alert)).toEqual([
      {
        fingerprint,
        source: 'rule',
        status: 'firing',
        labels,
        annotations,
        startsAt: G[2],
        endsAt: null,
        value: 0.95,
        threshold: 0.5,
        actions: ['pagerduty-critical', 'slack-ops'],
        at: G[2],
      },
      {
        fingerprint,
        source: 'rule',
        status: 'resolved',
        labels,
        annotations,
        startsAt: G[2],
        endsAt: G[5],
        value: 0.95, // the series went away: its last value stays
        threshold: 0.5,
        actions: ['pagerduty-critical', 'slack-ops'],
        at: G[5],
      },
    ]);
    // Only the two commits that carried alert updates woke the dispatcher.
    expect(kicks).toEqual([G[2], G[5]]);
  });
});
