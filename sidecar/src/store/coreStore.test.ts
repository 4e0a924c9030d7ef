// The store's own part (health, events, settings, close) on both backends (issue 14): the contract
// half of what sqlite.test.ts tested on SQLite alone (its migration and WAL tests stay there).
import { describeEachStore } from '../testing/storeBackends';
import { sharedStoreDb, type SharedStoreDb } from '../testing/sharedStoreDb';
import { LATEST_SCHEMA_VERSION } from './migrations';

describeEachStore('store core', (suite) => {
  const { backend, open } = suite;
  let shared: SharedStoreDb | undefined;
  afterEach(async () => {
    await shared?.close();
    shared = undefined;
  });

  it('reports its type and the latest schema version', async () => {
    const store = await open();
    expect(store.type).toBe(backend);
    expect(await store.health()).toEqual({ type: backend, ok: true, schemaVersion: LATEST_SCHEMA_VERSION });
  });

  it('inserts, updates and lists events overlapping a window', async () => {
    const store = await open();
    const a = await store.insertEvent({
      kind: 'anomaly',
      seriesKey: 'cpu{service="api"}',
      startedAt: 1000,
      endedAt: 2000,
      severity: 'warning',
      message: 'a',
      metadata: { z_score: 4.2 },
    });
    const b = await store.insertEvent({
      kind: 'anomaly',
      seriesKey: 'cpu{service="db"}',
      startedAt: 5000,
      severity: 'error',
      message: 'b',
    });
    await store.insertEvent({
      kind: 'other',
      seriesKey: 'x',
      startedAt: 5500,
      endedAt: 5600,
      severity: 'info',
      message: 'c',
    });
    expect(b.endedAt).toBeNull();

    expect((await store.listEvents({ from: 0, to: 10000 })).map((e) => e.message)).toEqual(['c', 'b', 'a']);
    expect((await store.listEvents({ from: 2500, to: 4000 })).map((e) => e.message)).toEqual([]);
    // An open event overlaps every window after its start.
    expect((await store.listEvents({ from: 9000, to: 10000 })).map((e) => e.message)).toEqual(['b']);
    expect((await store.listEvents({ from: 0, to: 10000, kind: 'anomaly', limit: 1 })).map((e) => e.message)).toEqual([
      'b',
    ]);
    expect(await store.listEvents({ from: 0, to: 10000, seriesKey: 'cpu{service="api"}' })).toEqual([a]);
    // A prefix with LIKE's wildcards in it matches literally.
    expect((await store.listEvents({ from: 0, to: 10000, seriesKeyPrefix: 'cpu{' })).map((e) => e.message)).toEqual([
      'b',
      'a',
    ]);
    expect(await store.listEvents({ from: 0, to: 10000, seriesKeyPrefix: 'cpu%' })).toEqual([]);
    expect(
      (await store.listEvents({ from: 0, to: 10000, severities: ['info', 'error'] })).map((e) => e.message)
    ).toEqual(['c', 'b']);
    expect(await store.listEvents({ from: 0, to: 10000, severities: [] })).toEqual([]);

    const ended = await store.updateEvent(b.id, { endedAt: 6000, severity: 'critical' });
    expect(ended).toMatchObject({ id: b.id, endedAt: 6000, severity: 'critical', message: 'b' });
    expect((await store.listEvents({ from: 9000, to: 10000 })).map((e) => e.message)).toEqual([]);
    expect(await store.updateEvent('missing', { endedAt: 1 })).toBeNull();
    // Reopened (end set back to null) and its metadata replaced; an empty patch reads it back.
    const reopened = await store.updateEvent(b.id, { endedAt: null, metadata: { n: 2 } });
    expect(reopened).toEqual({ ...b, severity: 'critical', metadata: { n: 2 } });
    expect(await store.updateEvent(b.id, {})).toEqual(reopened);
  });

  it('stores settings as JSON and replaces them', async () => {
    const store = await open();
    expect(await store.getSetting('detector')).toBeUndefined();
    await store.setSetting('detector', { mean: 1.5, n: 3 });
    await store.setSetting('detector', { mean: 2, n: 4 });
    expect(await store.getSetting('detector')).toEqual({ mean: 2, n: 4 });
    await store.setSetting('list', [1, 'two', null]);
    expect(await store.getSetting('list')).toEqual([1, 'two', null]);
  });

  it('keeps the data across a reopen, and another connection sees it', async () => {
    shared = await sharedStoreDb(suite);
    const first = await shared.open();
    await first.setSetting('k', { a: 1 });
    const other = await shared.open();
    expect(await other.getSetting('k')).toEqual({ a: 1 });
    await first.close();
    const second = await shared.open();
    expect(await second.getSetting('k')).toEqual({ a: 1 });
    expect((await second.health()).schemaVersion).toBe(LATEST_SCHEMA_VERSION);
  });

  if (backend === 'postgres') {
    it('answers a cut connection with a retryable 503 at worst, and recovers on the next call', async () => {
      shared = await sharedStoreDb(suite);
      const store = await shared.open({ applicationName: 'cut-me' });
      await store.setSetting('k', 1);
      await suite
        .postgres()
        .sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cut-me'");
      const first = await store.getSetting('k').then(
        (v) => ({ ok: v }),
        (err: unknown) => ({ err })
      );
      if ('err' in first) {
        expect(first.err).toMatchObject({ code: 'store_error', status: 503, retryable: true });
        expect(String((first.err as Error).message)).not.toContain(suite.postgres().password);
      }
      expect(await store.getSetting('k')).toBe(1);
      expect(await store.health()).toMatchObject({ ok: true });
    });
  }

  it('reports not ok once closed, fails its calls with store_closed, and close is idempotent', async () => {
    const store = await open();
    await store.close();
    await store.close();
    expect(await store.health()).toMatchObject({ type: backend, ok: false, error: 'store: closed' });
    await expect(store.listEvents({ from: 0, to: 1 })).rejects.toMatchObject({
      code: 'store_closed',
      status: 503,
      message: 'store: closed',
    });
    await expect(store.getSetting('k')).rejects.toMatchObject({ code: 'store_closed' });
  });
});
