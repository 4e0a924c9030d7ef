// A pass over a full inbox while groups are due (a storm of alerts that started long ago, whose new
// groups are due at once), on a real SQLite store with a fake clock: the pass goes on routing for
// `ingestBeforeFlushMs` before it flushes, so the groups of the storm's next rows join its flush.
import { buildRouteTree } from '@vigil/core';
import { openSqliteStore } from '../../store/sqlite';
import type { Store } from '../../store/store';
import { FakeClock, inbound, MINUTE, SECOND, T0, testNotifyConfig } from '../../testing/dispatch';
import { Dispatcher } from './dispatcher';
import { RouteIndex } from './routes';

describe('Dispatcher in a storm', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore({ path: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  /** Six alerts of six groups, started a minute ago (each group is due as soon as it exists), and a pass over them. */
  const pass = async (ingestBeforeFlushMs: number) => {
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
    const dispatcher = new Dispatcher({ store, config, routes, now: clock.now, ingestBatch: 2, ingestBeforeFlushMs });
    const alerts = Array.from({ length: 6 }, (_, i) =>
      inbound(`f${i}`, { labels: { alertname: `Storm${i}` }, startsAt: T0 - MINUTE })
    );
    await store.pushInbound(alerts, clock.now());
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
});
