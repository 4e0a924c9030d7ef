// Incident writes and correlation's version, on SQLite and on a real PostgreSQL (describeEachStore):
// more rows than one SQLite statement holds, narrow status updates, and a version that follows exactly
// the dispatcher's committed writes — a failing batch leaves it, a user's write without a token and a
// user's acknowledge change it, an acknowledge that changes nothing does not.
import { incidentAlertRecord, incidentRecord, T0, timelineRecord } from '../testing/incidentFixtures';
import { describeEachStore } from '../testing/storeBackends';
import { WRITE_CHUNK } from './sqliteIncidentWrites';
import type { Store } from './store';

const none = { incidents: [], alerts: [], timeline: [] };

describeEachStore('incident writes and correlation version', ({ open }) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });

  it('writes more rows than one statement holds, and updates only status and end when asked', async () => {
    const n = 2 * WRITE_CHUNK + 7;
    const incidents = Array.from({ length: n }, (_, i) => incidentRecord(`i${i}`));
    const alerts = incidents.map((i) => incidentAlertRecord(i.id, `${i.id}-db`));
    const timeline = incidents.map((i) => timelineRecord(`t-${i.id}`, i.id));
    await store.commitIncidents({ incidents, alerts, timeline });
    const ids = incidents.map((i) => i.id);
    const stored = await store.incidentAlerts(ids);
    expect(ids.map((id) => stored.get(id))).toEqual(alerts.map((a) => [a]));
    expect(await store.incidentTimeline('i150')).toEqual([timeline[150]]);

    await store.commitIncidents({
      ...none,
      statuses: alerts.map((a) => ({ ...a, labels: { changed: 'no' }, status: 'resolved', endsAt: T0 + 1 })),
    });
    const after = await store.incidentAlerts(ids);
    expect(ids.map((id) => after.get(id))).toEqual(alerts.map((a) => [{ ...a, status: 'resolved', endsAt: T0 + 1 }]));
  });

  it('applies a status given for an alert written in the same commit after its record', async () => {
    const a = incidentAlertRecord('i1', 'fp');
    await store.commitIncidents({
      incidents: [incidentRecord('i1')],
      alerts: [a],
      timeline: [],
      statuses: [{ incidentId: 'i1', fingerprint: 'fp', status: 'resolved', endsAt: T0 + 5 }],
    });
    expect((await store.incidentAlerts(['i1'])).get('i1')).toEqual([{ ...a, status: 'resolved', endsAt: T0 + 5 }]);
  });

  it("changes its version exactly when incident writes other than the dispatcher's last commit", async () => {
    const first = await store.correlationVersion();
    expect(first.token).toBeNull();
    await store.commitIncidents({ ...none, incidents: [incidentRecord('i1')], token: 'batch-1' });
    const v1 = await store.correlationVersion();
    expect(v1).toEqual({ others: first.others, token: 'batch-1' });
    expect(await store.correlationVersion()).toEqual(v1);
    await store.commitIncidents({ ...none, incidents: [incidentRecord('i2')], token: 'batch-2' });
    expect(await store.correlationVersion()).toEqual({ others: first.others, token: 'batch-2' });

    // A user's write (no token).
    await store.commitIncidents({ ...none, incidents: [incidentRecord('i1', { state: 'acknowledged' })] });
    const v3 = await store.correlationVersion();
    expect(v3.token).toBeNull();
    await store.commitIncidents({ ...none, incidents: [incidentRecord('i3')], token: 'batch-3' });
    const v4 = await store.correlationVersion();
    expect(v4).toEqual({ others: v3.others, token: 'batch-3' });

    // A user's acknowledge changes it; one that changes nothing does not.
    const ack = { incidentId: 'i3', action: 'acknowledge', user: 'al', at: T0 + 1, comment: null } as const;
    expect(await store.actOnIncident(ack)).not.toBeNull();
    const v5 = await store.correlationVersion();
    expect(v5).not.toEqual(v4);
    expect(v5.token).toBeNull();
    expect(await store.actOnIncident(ack)).toBeNull();
    expect(await store.correlationVersion()).toEqual(v5);
  });

  it('keeps the last committed token when a later batch rolls back', async () => {
    await store.correlationVersion();
    await store.commitIncidents({ ...none, incidents: [incidentRecord('i1')], token: 'batch-1' });
    const v1 = await store.correlationVersion();
    // A failing write (a NOT NULL violation) rolls its token back too.
    const bad = { ...timelineRecord('t1', 'i1'), message: null as unknown as string };
    await expect(
      store.commitIncidents({ incidents: [incidentRecord('i2')], alerts: [], timeline: [bad], token: 'batch-2' })
    ).rejects.toMatchObject({ code: 'store_error' });
    expect(await store.correlationVersion()).toEqual(v1);
    expect(await store.getIncident('i2')).toBeNull();
  });
});
