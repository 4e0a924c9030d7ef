// The incident store's contract, on SQLite and on a real PostgreSQL (describeEachStore): round trips,
// lists by state, what correlation reads (unresolved incidents' alerts plus the alerts of the window),
// the unresolved incident of an alert, replayed timeline entries, a user's acknowledgement surviving a
// stale write, a user's acknowledge / resolve (actOnIncident), atomicity, and a closed store.
import { isVigilError } from '../errors';
import { cascade, incidentAlertRecord, incidentRecord, T0, timelineRecord } from '../testing/incidentFixtures';
import { describeEachStore } from '../testing/storeBackends';
import { newTimelineId } from './incidentStore';
import type { Store } from './store';

const MIN = 60_000;
const none = { incidents: [], alerts: [], timeline: [] };

describeEachStore('incident store', ({ open }) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });

  it('stores an incident, its alerts and timeline, and reads them back as written', async () => {
    const w = cascade('i1');
    await store.commitIncidents(w);
    expect(await store.getIncident('i1')).toEqual(w.incidents[0]);
    expect(await store.getIncident('nope')).toBeNull();
    const alerts = await store.incidentAlerts(['i1', 'empty']);
    expect([...alerts.keys()]).toEqual(['i1', 'empty']);
    expect(alerts.get('i1')).toEqual(w.alerts);
    expect(alerts.get('empty')).toEqual([]);
    expect(await store.incidentTimeline('i1')).toEqual(w.timeline);
  });

  it('replaces incidents and alerts by key, and records the changes given with them', async () => {
    await store.commitIncidents(cascade('i1'));
    const joined = incidentAlertRecord('i1', 'i1-gw', { role: 'member', status: 'resolved', endsAt: T0 + MIN });
    await store.commitIncidents({
      incidents: [incidentRecord('i1', { severity: 'warning', title: 'renamed', updatedAt: T0 + MIN })],
      alerts: [joined],
      timeline: [],
      changes: [
        { at: T0 + MIN, user: 'alice', action: 'update', objectType: 'incident', objectId: 'i1', detail: { x: 1 } },
      ],
    });
    expect(await store.getIncident('i1')).toMatchObject({ severity: 'warning', title: 'renamed', updatedAt: T0 + MIN });
    const alerts = (await store.incidentAlerts(['i1'])).get('i1')!;
    expect(alerts).toHaveLength(3);
    expect(alerts.find((a) => a.fingerprint === 'i1-gw')).toEqual(joined);
    expect(await store.listChanges('incident', 'i1')).toEqual([
      { at: T0 + MIN, user: 'alice', action: 'update', objectType: 'incident', objectId: 'i1', detail: { x: 1 } },
    ]);
  });

  it('lists by state, most recently updated first, with a limit', async () => {
    await store.commitIncidents({
      incidents: [
        incidentRecord('a', { updatedAt: T0 + 1 }),
        incidentRecord('b', { state: 'acknowledged', updatedAt: T0 + 3, acknowledgedAt: T0 + 3, acknowledgedBy: 'al' }),
        incidentRecord('c', { state: 'resolved', updatedAt: T0 + 2, resolvedAt: T0 + 2 }),
        incidentRecord('d', { updatedAt: T0 + 4 }),
      ],
      alerts: [],
      timeline: [],
    });
    const ids = async (q?: Parameters<Store['listIncidents']>[0]) => (await store.listIncidents(q)).map((i) => i.id);
    expect(await ids()).toEqual(['d', 'b', 'c', 'a']);
    expect(await ids({ states: ['open'] })).toEqual(['d', 'a']);
    expect(await ids({ states: ['resolved', 'acknowledged', 'resolved'] })).toEqual(['b', 'c']);
    expect(await ids({ states: [] })).toEqual([]);
    expect(await ids({ limit: 2 })).toEqual(['d', 'b']);
    expect(await ids({ states: ['open'], limit: 1 })).toEqual(['d']);
  });

  it('gives correlation the unresolved incidents with all their alerts, and the alerts started since', async () => {
    // open: its alert started long before the window still counts (the incident is active)
    const open = cascade('open', T0 - 60 * MIN);
    const old = incidentAlertRecord('old', 'old-1', { startsAt: T0 - 30 * MIN });
    const recent = incidentAlertRecord('recent', 'recent-1', { startsAt: T0 - MIN, status: 'resolved' });
    await store.commitIncidents(open);
    await store.commitIncidents({
      incidents: [
        incidentRecord('old', { state: 'resolved', resolvedAt: T0 - 20 * MIN }),
        incidentRecord('recent', { state: 'resolved', resolvedAt: T0 }),
        incidentRecord('acked', {
          state: 'acknowledged',
          openedAt: T0 - 10 * MIN,
          acknowledgedAt: T0,
          acknowledgedBy: 'al',
        }),
      ],
      alerts: [old, recent, incidentAlertRecord('acked', 'acked-1', { startsAt: T0 - 10 * MIN })],
      timeline: [],
    });
    const c = await store.correlationCandidates(T0 - 5 * MIN);
    expect(c.incidents.map((i) => i.id)).toEqual(['open', 'acked']);
    expect(c.alerts.map((a) => `${a.incidentId}/${a.fingerprint}`)).toEqual([
      'open/open-db',
      'open/open-api',
      'open/open-gw',
      'acked/acked-1',
      'recent/recent-1',
    ]);
    expect(c.alerts[4]).toEqual(recent);
    expect((await store.correlationCandidates(T0 - 40 * MIN)).alerts.map((a) => a.fingerprint)).toContain('old-1');
  });

  it('finds the unresolved incident of an alert, never a resolved one', async () => {
    await store.commitIncidents({
      incidents: [
        incidentRecord('before', { state: 'resolved', openedAt: T0 - MIN, resolvedAt: T0 }),
        incidentRecord('now', {
          state: 'acknowledged',
          openedAt: T0 + MIN,
          acknowledgedAt: T0 + MIN,
          acknowledgedBy: 'al',
        }),
        incidentRecord('gone', { state: 'resolved', resolvedAt: T0 }),
      ],
      alerts: [
        incidentAlertRecord('before', 'fp'),
        incidentAlertRecord('now', 'fp'),
        incidentAlertRecord('gone', 'only-resolved'),
      ],
      timeline: [],
    });
    expect(await store.activeIncidentOf('fp')).toBe('now');
    expect(await store.activeIncidentOf('only-resolved')).toBeNull();
    expect(await store.activeIncidentOf('unknown')).toBeNull();
  });

  it('ignores a replayed timeline entry and keeps the timeline oldest first', async () => {
    const first = timelineRecord(newTimelineId(T0), 'i1', { at: T0, message: 'first' });
    const second = timelineRecord(newTimelineId(T0), 'i1', { at: T0, kind: 'alert_joined', message: 'second' });
    const earlier = timelineRecord(newTimelineId(T0 - 1), 'i1', { at: T0 - 1, kind: 'root_cause', message: 'earlier' });
    await store.commitIncidents({ ...none, incidents: [incidentRecord('i1')], timeline: [first, second] });
    await store.commitIncidents({ ...none, timeline: [{ ...first, message: 'replayed' }, earlier] });
    expect((await store.incidentTimeline('i1')).map((t) => t.message)).toEqual(['earlier', 'first', 'second']);
  });

  it("keeps a user's acknowledgement and resolution against a write made before it", async () => {
    const acked = incidentRecord('i1', {
      state: 'acknowledged',
      acknowledgedAt: T0 + 5,
      acknowledgedBy: 'alice',
      updatedAt: T0 + 5,
    });
    await store.commitIncidents({ ...none, incidents: [acked] });
    // the dispatcher read the incident open, then wrote it with a new alert
    await store.commitIncidents({
      ...none,
      incidents: [incidentRecord('i1', { severity: 'warning', updatedAt: T0 + 3 })],
    });
    expect(await store.getIncident('i1')).toEqual({ ...acked, severity: 'warning' });
    // every alert resolved: the system resolves it, the acknowledgement stays on record
    await store.commitIncidents({
      ...none,
      incidents: [incidentRecord('i1', { state: 'resolved', resolvedAt: T0 + 9, updatedAt: T0 + 9 })],
    });
    expect(await store.getIncident('i1')).toMatchObject({
      state: 'resolved',
      acknowledgedBy: 'alice',
      resolvedBy: null,
    });

    const byUser = incidentRecord('i2', {
      state: 'resolved',
      resolvedAt: T0 + 5,
      resolvedBy: 'bob',
      updatedAt: T0 + 5,
    });
    await store.commitIncidents({ ...none, incidents: [byUser] });
    await store.commitIncidents({ ...none, incidents: [incidentRecord('i2', { updatedAt: T0 + 7 })] });
    expect(await store.getIncident('i2')).toEqual({ ...byUser, updatedAt: T0 + 7 });
  });

  it('writes all or nothing: a failing row rolls back the whole commit (store_error)', async () => {
    const w = cascade('i1');
    const bad = timelineRecord('bad', 'i1', { message: null as unknown as string });
    let err: unknown;
    try {
      await store.commitIncidents({ ...w, timeline: [...w.timeline, bad] });
    } catch (e) {
      err = e;
    }
    expect(isVigilError(err) && { code: err.code, retryable: err.retryable }).toEqual({
      code: 'store_error',
      retryable: false,
    });
    expect((err as Error).message).toMatch(
      /^store: saving 1 incident\(s\), 3 incident alert\(s\), 4 timeline .*not.null/i
    );
    expect(await store.getIncident('i1')).toBeNull();
    expect((await store.incidentAlerts(['i1'])).get('i1')).toEqual([]);
    expect(await store.incidentTimeline('i1')).toEqual([]);
  });

  it('fails with store_closed once closed', async () => {
    await store.close();
    await expect(store.listIncidents()).rejects.toMatchObject({ code: 'store_closed' });
    await expect(store.commitIncidents(cascade('x'))).rejects.toMatchObject({ code: 'store_closed' });
  });

  it('acknowledges an open incident once, recording the user, then resolves it', async () => {
    await store.commitIncidents(cascade('i1'));
    const ack = { incidentId: 'i1', action: 'acknowledge', user: 'alice', at: T0 + MIN, comment: 'on it' } as const;
    const done = await store.actOnIncident(ack);
    const acked = {
      ...incidentRecord('i1', { updatedAt: T0 + MIN }),
      state: 'acknowledged' as const,
      acknowledgedAt: T0 + MIN,
      acknowledgedBy: 'alice',
    };
    expect(done).toEqual({ from: 'open', incident: acked });
    expect(await store.getIncident('i1')).toEqual(acked);
    // A second click changes and records nothing.
    expect(await store.actOnIncident({ ...ack, user: 'bob', at: T0 + 2 * MIN })).toBeNull();
    expect(await store.getIncident('i1')).toEqual(acked);

    const resolved = await store.actOnIncident({
      ...ack,
      action: 'resolve',
      user: 'bob',
      at: T0 + 3 * MIN,
      comment: null,
    });
    expect(resolved).toEqual({
      from: 'acknowledged',
      incident: { ...acked, state: 'resolved', updatedAt: T0 + 3 * MIN, resolvedAt: T0 + 3 * MIN, resolvedBy: 'bob' },
    });
    // Neither acknowledges a resolved incident nor resolves it twice; an unknown one is null too.
    expect(await store.actOnIncident({ ...ack, at: T0 + 4 * MIN })).toBeNull();
    expect(await store.actOnIncident({ ...ack, action: 'resolve', at: T0 + 4 * MIN })).toBeNull();
    expect(await store.actOnIncident({ ...ack, incidentId: 'nope' })).toBeNull();

    const timeline = (await store.incidentTimeline('i1')).filter((t) => t.user !== null);
    expect(timeline.map((t) => [t.kind, t.message, t.user, t.at])).toEqual([
      ['acknowledged', 'acknowledged: on it', 'alice', T0 + MIN],
      ['resolved', 'resolved', 'bob', T0 + 3 * MIN],
    ]);
    expect(await store.listChanges('incident', 'i1')).toEqual([
      {
        at: T0 + 3 * MIN,
        user: 'bob',
        action: 'resolve',
        objectType: 'incident',
        objectId: 'i1',
        detail: { from: 'acknowledged', to: 'resolved', comment: null },
      },
      {
        at: T0 + MIN,
        user: 'alice',
        action: 'acknowledge',
        objectType: 'incident',
        objectId: 'i1',
        detail: { from: 'open', to: 'acknowledged', comment: 'on it' },
      },
    ]);
  });

  it('never moves updatedAt back, and a resolve from open leaves the acknowledgement empty', async () => {
    await store.commitIncidents({ ...none, incidents: [incidentRecord('i1', { updatedAt: T0 + 10 * MIN })] });
    const done = await store.actOnIncident({ incidentId: 'i1', action: 'resolve', user: 'al', at: T0, comment: null });
    expect(done?.incident).toMatchObject({
      state: 'resolved',
      updatedAt: T0 + 10 * MIN,
      resolvedAt: T0,
      acknowledgedBy: null,
    });
    // The dispatcher's later write (it had not seen the resolution) keeps the user's resolution.
    await store.commitIncidents({ ...none, incidents: [incidentRecord('i1', { updatedAt: T0 + 11 * MIN })] });
    expect(await store.getIncident('i1')).toMatchObject({ state: 'resolved', resolvedBy: 'al' });
  });

  it('acts once when many users act at once', async () => {
    await store.commitIncidents(cascade('i1'));
    const users = Array.from({ length: 8 }, (_, i) => `user${i}`);
    const results = await Promise.all(
      users.map((user, i) =>
        store.actOnIncident({
          incidentId: 'i1',
          action: i % 2 ? 'resolve' : 'acknowledge',
          user,
          at: T0 + MIN,
          comment: null,
        })
      )
    );
    const states = results.filter((r) => r !== null).map((r) => r!.incident.state);
    // The first resolve always finds it open or acknowledged; an acknowledge only before it.
    expect(states.filter((s) => s === 'resolved')).toHaveLength(1);
    expect(states.filter((s) => s === 'acknowledged').length).toBeLessThanOrEqual(1);
    expect((await store.getIncident('i1'))!.state).toBe('resolved');
    expect(await store.listChanges('incident', 'i1')).toHaveLength(states.length);
    expect((await store.incidentTimeline('i1')).filter((t) => t.user !== null)).toHaveLength(states.length);
  });
});
