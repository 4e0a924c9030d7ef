// The alert store on both backends (issue 14): instances, history, alert events, rule statuses and the
// inbox push of a tick, committed as one unit on SQLite and on PostgreSQL.
import type { AlertInstance, NormalizedRuleBody, Transition } from '@vigil/core';
import { describeEachStore } from '../testing/storeBackends';
import { sharedStoreDb, type SharedStoreDb } from '../testing/sharedStoreDb';
import { alertEventId, historyId } from './alertRows';
import type { InboundAlert } from './notifyStore';
import type { EvaluationCommit, RuleStatusRecord, Store } from './store';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

function instance(ruleId: string, fingerprint: string, over: Partial<AlertInstance> = {}): AlertInstance {
  return {
    ruleId,
    fingerprint,
    labels: { service: fingerprint, team: 'core' },
    state: 'normal',
    since: T0,
    activeAt: null,
    firedAt: null,
    recoveringSince: null,
    value: 1,
    threshold: 10,
    severity: 'warning',
    missingEvals: 0,
    lastEvalAt: T0,
    annotations: {},
    ...over,
  };
}

function transition(ruleId: string, fingerprint: string, over: Partial<Transition>): Transition {
  return {
    ruleId,
    fingerprint,
    labels: { service: fingerprint, team: 'core' },
    from: 'normal',
    to: 'pending',
    at: T0,
    value: 12,
    threshold: 10,
    severity: 'warning',
    ...over,
  };
}

function status(ruleId: string, over: Partial<RuleStatusRecord> = {}): RuleStatusRecord {
  return { ruleId, health: 'ok', lastEvaluation: T0, lastDurationMs: 3.5, lastError: null, seriesCount: 1, ...over };
}

function commit(ruleId: string, instances: AlertInstance[], transitions: Transition[] = [], ruleName?: string) {
  const c: EvaluationCommit = { ruleId, instances, transitions, status: status(ruleId) };
  if (ruleName !== undefined) {
    c.ruleName = ruleName;
  }
  return c;
}

function inbound(fingerprint: string, over: Partial<InboundAlert> = {}): InboundAlert {
  return {
    fingerprint,
    source: 'rule',
    status: 'firing',
    labels: { service: fingerprint, alertname: 'r1', severity: 'warning' },
    annotations: { summary: `high on ${fingerprint}` },
    startsAt: T0,
    endsAt: null,
    value: 12,
    threshold: 10,
    actions: ['pd'],
    at: T0,
    ...over,
  };
}

/** Evaluations are only kept for stored rules. */
async function storeRule(store: Store, id: string): Promise<void> {
  const body: NormalizedRuleBody = {
    id,
    name: id,
    description: '',
    severity: 'warning',
    datasource: 'prom',
    query: 'up',
    condition: { kind: 'threshold', op: '<', threshold: 1 },
    for: '0s',
    keepFiringFor: '0s',
    interval: '1m',
    labels: {},
    annotations: {},
    actions: [],
    noDataState: 'NoData',
    execErrState: 'Error',
    missingSeriesEvalsToResolve: 2,
    enabled: true,
  };
  const meta = { createdAt: T0, createdBy: 't', updatedAt: T0, updatedBy: 't', version: 1 };
  await store.putRule(
    { id, origin: 'api', file: null, body, ...meta },
    {
      at: T0,
      user: 't',
      action: 'create',
      objectType: 'rule',
      objectId: id,
      detail: body,
    }
  );
}

describeEachStore('alert store', (suite) => {
  let shared: SharedStoreDb;
  let store: Store;
  beforeEach(async () => {
    shared = await sharedStoreDb(suite);
    store = await shared.open();
    for (const id of ['r1', 'r2', 'r8', 'r9']) {
      await storeRule(store, id);
    }
  });
  afterEach(async () => {
    await shared.close();
  });

  it('upserts instances, deletes the unlisted ones of the committed rule only, and filters', async () => {
    await store.commitEvaluations([
      commit('r1', [instance('r1', 'a'), instance('r1', 'b', { state: 'pending', activeAt: T0 })]),
      commit('r2', [instance('r2', 'a', { state: 'firing', firedAt: T0, error: undefined })]),
    ]);
    expect((await store.listInstances()).map((i) => `${i.ruleId}/${i.fingerprint}/${i.state}`)).toEqual([
      'r1/a/normal',
      'r1/b/pending',
      'r2/a/firing',
    ]);
    const later = T0 + 60_000;
    const b = instance('r1', 'b', {
      state: 'error',
      since: later,
      activeAt: T0,
      value: null,
      threshold: NaN,
      lastEvalAt: later,
      annotations: { summary: 'x' },
      error: 'query Prometheus "p": timeout after 30s',
    });
    await store.commitEvaluations([commit('r1', [b])]);
    expect(await store.listInstances({ ruleId: 'r1' })).toEqual([{ ...b, threshold: null }]);
    expect((await store.listInstances({ states: ['firing', 'error'] })).map((i) => i.ruleId)).toEqual(['r1', 'r2']);
    expect(await store.listInstances({ states: [] })).toEqual([]);
    expect(await store.listInstances({ ruleId: 'r2', states: ['normal'] })).toEqual([]);
  });

  it('stores transitions as history (newest first) and firing/resolved ones as alert events, once', async () => {
    const firing = instance('r1', 'fp1', {
      state: 'firing',
      activeAt: T0,
      firedAt: T0 + 60_000,
      annotations: { summary: 'api latency 12s above 10s', runbook_url: 'http://runbook' },
    });
    const ts = [
      transition('r1', 'fp1', { at: T0 }),
      transition('r1', 'fp1', {
        from: 'pending',
        to: 'firing',
        at: T0 + 60_000,
        event: 'firing',
        reason: 'for elapsed',
      }),
    ];
    const c = commit('r1', [firing], ts, 'High latency');
    await store.commitEvaluations([c]);
    await store.commitEvaluations([c]); // a retried commit stores nothing twice
    const history = await store.listHistory('fp1');
    expect(history).toEqual([ts[1], ts[0]]);
    expect(await store.listHistory('fp1', 1)).toEqual([ts[1]]);
    expect(await store.listHistory('other')).toEqual([]);

    const events = await store.listEvents({ from: 0, to: T0 + 3600_000, kind: 'alert' });
    expect(events).toEqual([
      {
        id: `alert:r1:fp1:firing:${T0 + 60_000}`,
        kind: 'alert',
        seriesKey: 'fp1',
        startedAt: T0 + 60_000,
        endedAt: T0 + 60_000,
        severity: 'warning',
        message: 'api latency 12s above 10s',
        metadata: {
          ruleId: 'r1',
          ruleName: 'High latency',
          event: 'firing',
          labels: { service: 'fp1', team: 'core' },
          value: 12,
          threshold: 10,
          annotations: { summary: 'api latency 12s above 10s', runbook_url: 'http://runbook' },
        },
      },
    ]);
    expect(events[0].id).toBe(alertEventId({ ...ts[1], event: 'firing' }));
    expect(historyId(ts[0])).toBe(`r1|fp1|${T0}|pending`);

    // Resolved, instance gone, no rule name: the message falls back to `<id> resolved`.
    const resolved = transition('r1', 'fp1', {
      from: 'firing',
      to: 'normal',
      at: T0 + 120_000,
      event: 'resolved',
      severity: 'critical',
      value: null,
    });
    await store.commitEvaluations([commit('r1', [], [resolved])]);
    const after = await store.listEvents({ from: 0, to: T0 + 3600_000, kind: 'alert' });
    expect(after.map((e) => [e.message, e.severity, e.metadata.event, e.metadata.value])).toEqual([
      ['r1 resolved', 'critical', 'resolved', null],
      ['api latency 12s above 10s', 'warning', 'firing', 12],
    ]);
    expect(after[0].metadata).not.toHaveProperty('ruleName');
    expect(await store.listInstances()).toEqual([]);
    expect((await store.listHistory('fp1')).map((t) => t.to)).toEqual(['normal', 'firing', 'pending']);
  });

  it('keeps the rendered summary in a resolved event and upserts rule status', async () => {
    const inst = instance('r9', 'x', { annotations: { summary: 'disk 91% on x' } });
    const t = transition('r9', 'x', { from: 'recovering', to: 'normal', event: 'resolved', at: T0 + 5 });
    await store.commitEvaluations([commit('r9', [inst], [t], 'Disk')]);
    const [e] = await store.listEvents({ from: 0, to: T0 + 10, kind: 'alert' });
    expect(e.message).toBe('disk 91% on x (resolved)');

    await store.commitEvaluations([
      { ...commit('r9', [inst]), status: status('r9', { health: 'error', lastError: 'boom', seriesCount: 0 }) },
      commit('r8', []),
    ]);
    expect(await store.listRuleStatuses()).toEqual([
      status('r8', { seriesCount: 1 }),
      status('r9', { health: 'error', lastError: 'boom', seriesCount: 0 }),
    ]);
  });

  it('pushes the firing and resolved alerts of a commit to the notify inbox, in order', async () => {
    const fired = inbound('a');
    const resolved = inbound('b', { status: 'resolved', endsAt: T0 + 60_000, at: T0 + 60_000, value: 3 });
    await store.commitEvaluations([
      {
        ...commit(
          'r1',
          [instance('r1', 'a', { state: 'firing', firedAt: T0 })],
          [
            transition('r1', 'a', { to: 'firing', event: 'firing' }),
            transition('r1', 'b', { from: 'firing', to: 'normal', event: 'resolved', at: T0 + 60_000 }),
          ]
        ),
        inbound: [fired, resolved],
      },
      { ...commit('r2', []), inbound: [inbound('c')] },
    ]);
    const inbox = await store.readInbox(10);
    expect(inbox.map((e) => e.alert)).toEqual([fired, resolved, inbound('c')]);
    // Skipped with the evaluation of a rule deleted while it ran.
    await store.commitEvaluations([{ ...commit('gone', []), inbound: [inbound('d')] }]);
    expect(await store.readInbox(10)).toHaveLength(3);
  });

  it('commits a batch atomically: one bad commit stores nothing of the batch', async () => {
    const bad = commit('r2', [instance('r2', 'b', { severity: null as unknown as 'info' })]);
    const good = commit('r1', [instance('r1', 'a')], [transition('r1', 'a', { event: 'firing' })]);
    await expect(store.commitEvaluations([{ ...good, inbound: [inbound('a')] }, bad])).rejects.toMatchObject({
      code: 'store_error',
      retryable: false,
      message: expect.stringMatching(/^store: committing 2 rule evaluation\(s\).*(NOT NULL constraint|null value)/),
    });
    expect(await store.listInstances()).toEqual([]);
    expect(await store.listHistory('a')).toEqual([]);
    expect(await store.listEvents({ from: 0, to: T0 + 1, kind: 'alert' })).toEqual([]);
    expect(await store.listRuleStatuses()).toEqual([]);
    expect(await store.readInbox(10)).toEqual([]);
  });

  it('skips the evaluations of a rule that is no longer stored (deleted while it ran)', async () => {
    const t = transition('gone', 'x', { event: 'firing' });
    await store.commitEvaluations([commit('gone', [instance('gone', 'x')], [t]), commit('r1', [instance('r1', 'a')])]);
    expect((await store.listInstances()).map((i) => i.ruleId)).toEqual(['r1']);
    expect(await store.listHistory('x')).toEqual([]);
    expect(await store.listEvents({ from: 0, to: T0 + 1, kind: 'alert' })).toEqual([]);
    expect((await store.listRuleStatuses()).map((r) => r.ruleId)).toEqual(['r1']);
  });

  it('keeps everything across a reopen (a restart, or the next leader)', async () => {
    const inst = instance('r1', 'a', { state: 'pending', activeAt: T0 - 30_000 });
    await store.commitEvaluations([commit('r1', [inst], [transition('r1', 'a', { at: T0 - 30_000 })])]);
    await store.close();
    store = await shared.open();
    expect(await store.listInstances()).toEqual([inst]);
    expect(await store.listHistory('a')).toHaveLength(1);
    expect(await store.listRuleStatuses()).toHaveLength(1);
    // The statements are prepared again on the new connection.
    await store.commitEvaluations([commit('r1', [])]);
    expect(await store.listInstances()).toEqual([]);
  });

  it('fails with store_closed once closed', async () => {
    await store.close();
    await expect(store.commitEvaluations([commit('r1', [])])).rejects.toMatchObject({ code: 'store_closed' });
    await expect(store.listInstances()).rejects.toMatchObject({ code: 'store_closed' });
  });

  it('commits a rule evaluated twice in one batch as its last evaluation', async () => {
    await store.commitEvaluations([commit('r1', [instance('r1', 'old')])]);
    await store.commitEvaluations([
      commit('r1', [instance('r1', 'a'), instance('r1', 'b')]),
      { ...commit('r2', [instance('r2', 'x')]), status: status('r2', { seriesCount: 7 }) },
      commit('r1', [instance('r1', 'b', { state: 'pending' }), instance('r1', 'c')]),
      { ...commit('r2', [instance('r2', 'x')]), status: status('r2', { seriesCount: 9 }) },
    ]);
    expect((await store.listInstances()).map((i) => `${i.ruleId}/${i.fingerprint}/${i.state}`)).toEqual([
      'r1/b/pending',
      'r1/c/normal',
      'r2/x/normal',
    ]);
    expect((await store.listRuleStatuses()).find((s) => s.ruleId === 'r2')?.seriesCount).toBe(9);
  });

  it('keeps large ticks whole (thousands of instances and transitions in one commit)', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => instance('r1', `fp${String(i).padStart(5, '0')}`));
    const ts = many.slice(0, 1500).map((i) => transition('r1', i.fingerprint, { to: 'firing', event: 'firing' }));
    await store.commitEvaluations([{ ...commit('r1', many, ts), inbound: ts.map((t) => inbound(t.fingerprint)) }]);
    expect(await store.listInstances({ ruleId: 'r1' })).toEqual(many);
    expect(await store.listEvents({ from: 0, to: T0 + 1, kind: 'alert', limit: 5000 })).toHaveLength(1500);
    expect(await shared.count('SELECT COUNT(*) AS n FROM notify_inbox')).toBe(1500);
    await store.commitEvaluations([commit('r1', many.slice(0, 10))]);
    expect(await store.listInstances({ ruleId: 'r1' })).toHaveLength(10);
  });
});
