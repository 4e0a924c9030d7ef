// Detector states per series (binary: BLOB / BYTEA) and a run's events, on both backends (issue 14).
import { describeEachStore } from '../testing/storeBackends';
import type { StoredEvent, Store } from './store';

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

describeEachStore("detector states and a run's events in one transaction", (suite) => {
  let store: Store;
  beforeEach(async () => {
    store = await suite.open();
  });

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
  it('round-trips binary states, replaces, removes and wipes them', async () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256); // zeros, 0xff, all bytes
    await store.saveDetectorStates('d', {
      put: [
        { seriesKey: 'd{s="1"}', state: bytes },
        { seriesKey: 'd{s="2"}', state: state(2) },
        { seriesKey: 'd{s="3"}', state: state(3) },
      ],
      at: 10,
    });
    await store.saveDetectorStates('other', { put: [{ seriesKey: 'o', state: state(7) }], at: 10 });
    expect(Array.from((await store.loadDetectorState('d', 'd{s="1"}'))!)).toEqual(Array.from(bytes));
    expect(await store.loadDetectorState('d', 'nope')).toBeNull();

    // A key both removed and put ends up put (remove first, then put); a key put twice keeps the last.
    await store.saveDetectorStates('d', {
      put: [
        { seriesKey: 'd{s="2"}', state: state(20) },
        { seriesKey: 'd{s="2"}', state: state(21) },
      ],
      remove: ['d{s="2"}', 'd{s="3"}'],
      at: 20,
    });
    const rows = (await store.loadDetectorStates('d')).sort((a, b) => a.seriesKey.localeCompare(b.seriesKey));
    expect(rows.map((r) => [r.seriesKey, Array.from(r.state).slice(0, 3), r.updatedAt])).toEqual([
      ['d{s="1"}', Array.from(bytes).slice(0, 3), 10],
      ['d{s="2"}', [21, 21, 21], 20],
    ]);

    // replaceAll: only what this write puts remains (other detectors untouched); the setting goes too.
    await store.setSetting('detector:d', { old: true });
    await store.saveDetectorStates('d', {
      put: [
        { seriesKey: 'd{s="2"}', state: state(22) },
        { seriesKey: 'd{s="4"}', state: state(4) },
      ],
      replaceAll: true,
      dropSetting: 'detector:d',
      at: 30,
    });
    expect((await store.loadDetectorStates('d')).map((r) => [r.seriesKey, r.state[0]]).sort()).toEqual([
      ['d{s="2"}', 22],
      ['d{s="4"}', 4],
    ]);
    expect(await store.loadDetectorStates('other')).toHaveLength(1);
    expect(await store.getSetting('detector:d')).toBeUndefined();
    await store.saveDetectorStates('d', { put: [], replaceAll: true, at: 40 });
    expect(await store.loadDetectorStates('d')).toEqual([]);
  });

  it('inserts an event updated in the same write as updated', async () => {
    await store.saveDetectorStates('d', {
      put: [],
      at: 1,
      events: { insert: [event('a', null)], update: [event('a', 3000, 'closed at once')] },
    });
    const [e] = await store.listEvents({ from: 0, to: 10_000, kind: 'anomaly' });
    expect(e).toMatchObject({ id: 'a', endedAt: 3000, message: 'closed at once' });
  });

  it('prunes closed anomaly events and stale states of one detector only', async () => {
    const ev = (id: string, seriesKey: string, endedAt: number | null, kind = 'anomaly'): StoredEvent => ({
      ...event(id, endedAt),
      seriesKey,
      kind,
    });
    await store.saveDetectorStates('d', {
      put: [{ seriesKey: 'd{s="old"}', state: state(1) }],
      at: 100,
      events: {
        insert: [
          ev('closed-old', 'd{s="1"}', 500),
          ev('closed-new', 'd{s="1"}', 5000),
          ev('open', 'd{s="1"}', null),
          ev('other-detector', 'dd{s="1"}', 500),
          ev('not-anomaly', 'd{s="1"}', 500, 'alert'),
        ],
        update: [],
      },
    });
    await store.saveDetectorStates('d', { put: [{ seriesKey: 'd{s="new"}', state: state(2) }], at: 3000 });
    expect(await store.pruneDetection('d', 'd{', 2000)).toEqual({ events: 1, states: 1 });
    expect((await store.listEvents({ from: 0, to: 10_000 })).map((e) => e.id).sort()).toEqual([
      'closed-new',
      'not-anomaly',
      'open',
      'other-detector',
    ]);
    expect((await store.loadDetectorStates('d')).map((r) => r.seriesKey)).toEqual(['d{s="new"}']);
    expect(await store.pruneDetection('d', 'd{', 2000)).toEqual({ events: 0, states: 0 });
  });
});
