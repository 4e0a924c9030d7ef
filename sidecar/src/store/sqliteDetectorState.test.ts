import type { StoredEvent, Store } from './store';
import { openSqliteStore } from './sqlite';

let store: Store;
beforeEach(() => {
  store = openSqliteStore({ path: ':memory:' });
});
afterEach(async () => {
  await store.close();
});

const event = (id: string, endedAt: number | null, message = 'm'): StoredEvent => ({
  id,
  kind: 'anomaly',
  seriesKey: 'd{s="1"}',
  startedAt: 1000,
  endedAt,
  severity: 'warning',
  message,
  metadata: { detector: 'd', status: endedAt === null ? 'open' : 'closed' },
});
const state = (b: number) => Uint8Array.of(b, b, b);

describe("detector states and a run's events in one transaction", () => {
  it('inserts and updates the events with the states; an update of an unknown id is skipped', async () => {
    await store.saveDetectorStates('d', {
      put: [{ seriesKey: 'd{s="1"}', state: state(1) }],
      at: 1,
      events: { insert: [event('a', null)], update: [] },
    });
    await store.saveDetectorStates('d', {
      put: [{ seriesKey: 'd{s="1"}', state: state(2) }],
      at: 2,
      events: { insert: [event('b', null)], update: [event('a', 5000, 'closed'), event('nope', 1)] },
    });
    const events = await store.listEvents({ from: 0, to: 10_000, kind: 'anomaly' });
    expect(events.map((e) => [e.id, e.endedAt, e.message, e.metadata.status]).sort()).toEqual([
      ['a', 5000, 'closed', 'closed'],
      ['b', null, 'm', 'open'],
    ]);
    expect(Array.from((await store.loadDetectorState('d', 'd{s="1"}'))!)).toEqual([2, 2, 2]);
  });

  it('writes neither when one fails: a state is never saved past events that were not', async () => {
    await store.saveDetectorStates('d', {
      put: [{ seriesKey: 'd{s="1"}', state: state(1) }],
      at: 1,
      events: { insert: [event('a', null)], update: [] },
    });
    // the same id again: the insert fails, and the state written before it in the transaction is rolled back
    await expect(
      store.saveDetectorStates('d', {
        put: [{ seriesKey: 'd{s="1"}', state: state(9) }],
        at: 2,
        events: { insert: [event('a', null)], update: [] },
      })
    ).rejects.toThrow(/saving the state of detector "d"/);
    expect(Array.from((await store.loadDetectorState('d', 'd{s="1"}'))!)).toEqual([1, 1, 1]);
    expect(await store.listEvents({ from: 0, to: 10_000, kind: 'anomaly' })).toHaveLength(1);
  });
});
