// A pass over a full inbox while groups are due (a storm of alerts that started long ago, whose new
// groups are due at once), on both stores (real SQLite, real PostgreSQL) with a fake clock: the pass
// goes on routing for `ingestBeforeFlushMs` before it flushes, so the groups of the storm's next rows
// join its flush.
import { buildRouteTree } from '@vigil/core';
import type { Store } from '../../store/store';
import { describeEachStore } from '../../testing/storeBackends';
import { FakeClock, inbound, MINUTE, SECOND, T0, testNotifyConfig } from '../../testing/dispatch';
import { Dispatcher } from './dispatcher';
import { RouteIndex } from './routes';

describeEachStore('Dispatcher in a storm', (suite) => {
  let store: Store;
  beforeEach(async () => {
    store = await suite.open();
  });

  const rig = (opts: { ingestBeforeFlushMs: number; ingestBatch?: number }) => {
    const config = testNotifyConfig({
      route: {
        receiver: 'hook',
        groupBy: ['alertname'],
        groupWaitMs: SECOND,
        groupIntervalMs: SECOND,
        repeatIntervalMs: MINUTE,
      },
    });
    const routes = new RouteIndex(buildRouteTree(config.route), new Set(config.channels.map((c) => c.name)));
    const clock = new FakeClock();
    const dispatcher = new Dispatcher({ store, config, routes, now: clock.now, ingestBatch: 2, ...opts });
    return { clock, dispatcher };
  };

  /**
   * Six alerts of six groups, started a minute ago (each group is due as soon as it exists), the first
   * two received 1 ms before the others, and a pass over them.
   */
  const pass = async (ingestBeforeFlushMs: number) => {
    const { clock, dispatcher } = rig({ ingestBeforeFlushMs });
    const alerts = Array.from({ length: 6 }, (_, i) =>
      inbound(`f${i}`, { labels: { alertname: `Storm${i}` }, startsAt: T0 - MINUTE })
    );
    await store.pushInbound(alerts.slice(0, 2), clock.now());
    clock.t += 1;
    await store.pushInbound(alerts.slice(2), clock.now());
    return dispatcher.runPass();
  };

  it('flushes the due groups after one full step when given no time to route more', async () => {
    const r = await pass(0);
    expect(r).toMatchObject({ ingested: 2, flushed: 2, enqueued: 2, more: true });
  });

  it('routes the rest of the inbox first when given the time, and flushes every new group in the pass', async () => {
    const r = await pass(60_000);
    expect(r).toMatchObject({ ingested: 6, flushed: 6, enqueued: 6 });
    expect(r.more).toBeUndefined();
    expect(await store.readInbox(10)).toEqual([]);
  });

  it('routes every row received before a group fell due before flushing it, even when given no time', async () => {
    // One group (BenchGroup) flushed at 0; 7 more of its alerts received at 0.5 s; the pass at 1 s
    // (its group_interval) routes 2 rows a step: the flush must wait for all of them, not go out with
    // the first 2 and leave 5 for the next tick.
    const { clock, dispatcher } = rig({ ingestBeforeFlushMs: 0 });
    const alert = (i: number) => inbound(`g${i}`, { labels: { alertname: 'BenchGroup' }, startsAt: T0 - MINUTE });
    await store.pushInbound([alert(0)], clock.now());
    expect(await dispatcher.runPass()).toMatchObject({ ingested: 1, enqueued: 1 });
    clock.t += 500;
    await store.pushInbound(
      Array.from({ length: 7 }, (_, i) => alert(i + 1)),
      clock.now()
    );
    clock.t += 500;
    const r = await dispatcher.runPass();
    expect(r).toMatchObject({ flushed: 1, enqueued: 1 });
    const [, second] = (await store.listNotifications({ limit: 10 })).sort((a, b) => a.createdAt - b.createdAt);
    const fingerprints = (second.payload as { alerts: Array<{ fingerprint: string }> }).alerts.map(
      (a) => a.fingerprint
    );
    expect(fingerprints.sort()).toEqual(['g0', 'g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7']);
  });
});
