// Receivers first: a started dispatcher on each store (real SQLite, real PostgreSQL) waits to route
// while alert updates keep being received (`intakeQuietMs`), for at most `intakeDeferMs` per pass. Real timers; the quiet
// period and the budget are long, so the test does not depend on the machine's speed.
import { buildRouteTree } from '@vigil/core';
import type { Store } from '../../store/store';
import { describeEachStore } from '../../testing/storeBackends';
import { inbound, testNotifyConfig } from '../../testing/dispatch';
import { Dispatcher } from './dispatcher';
import { RouteIndex } from './routes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachStore('Dispatcher intake', (suite) => {
  // Nested: its afterEach (stopping the loop) runs before the suite's closes the store.
  describe('Dispatcher', () => {
    let store: Store;
    let dispatcher: Dispatcher | undefined;
    beforeEach(async () => {
      store = await suite.open();
    });
    afterEach(async () => {
      await dispatcher?.stop();
      dispatcher = undefined;
    });

    const start = (intakeQuietMs: number, intakeDeferMs: number) => {
      const config = testNotifyConfig();
      const routes = new RouteIndex(buildRouteTree(config.route), new Set(config.channels.map((c) => c.name)));
      dispatcher = new Dispatcher({ store, config, routes, intakeQuietMs, intakeDeferMs });
      dispatcher.start();
      return dispatcher;
    };
    const receive = async (d: Dispatcher, fp: string) => {
      await store.pushInbound([inbound(fp, { at: Date.now() })], Date.now());
      d.received();
    };
    const waitForEmptyInbox = async () => {
      while ((await store.oldestInbox()) !== null) {
        await sleep(10);
      }
    };

    it('routes nothing while updates keep coming, then everything once the receivers are quiet', async () => {
      const d = start(1500, 60_000);
      await sleep(50); // the start's own pass found an empty inbox
      await receive(d, 'a');
      await sleep(100);
      await receive(d, 'b');
      await sleep(100);
      expect((await store.readInbox(10)).map((e) => e.alert.fingerprint)).toEqual(['a', 'b']);
      expect(await store.getNotifyAlerts(['a', 'b'])).toEqual([]);
      await waitForEmptyInbox();
      expect((await store.getNotifyAlerts(['a', 'b'])).map((a) => a.fingerprint)).toEqual(['a', 'b']);
    });

    it('waits no longer than intakeDeferMs, even if the receivers never go quiet', async () => {
      const d = start(3_600_000, 200);
      await sleep(50);
      await receive(d, 'a');
      await waitForEmptyInbox(); // an hour's quiet period would time the test out
      expect((await store.getNotifyAlerts(['a'])).map((a) => a.fingerprint)).toEqual(['a']);
    });
  });
});
