// What correlation reads (correlationCandidates) and the alerts of each incident, on SQLite and on a
// real PostgreSQL (describeEachStore): after any sequence of commits — alerts joining and resolving,
// incidents opening, resolving by themselves or by a user and reopening, commits that fail and roll
// back, the window moving on — they read exactly as the committed writes say (a model kept here).
import { incidentAlertRecord, incidentRecord, T0, timelineRecord } from '../testing/incidentFixtures';
import { describeEachStore } from '../testing/storeBackends';
import type { IncidentAlertRecord, IncidentRecord, IncidentWrites } from './incidentStore';
import type { Store } from './store';

const MIN = 60_000;

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let x = Math.imul(t ^ (t >>> 15), 1 | t);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const byStart = (x: IncidentAlertRecord, y: IncidentAlertRecord) =>
  x.startsAt - y.startsAt || cmp(x.fingerprint, y.fingerprint) || cmp(x.incidentId, y.incidentId);
const unresolved = (i: IncidentRecord) => i.state !== 'resolved';

describeEachStore('correlation candidates', ({ open }) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });

  it.each([1, 2, 3])('read as the committed writes say (seed %i)', async (seed) => {
    const r = rng(seed);
    const incidents = new Map<string, IncidentRecord>();
    const alerts = new Map<string, IncidentAlertRecord>();
    let now = T0;
    for (let step = 0; step < 60; step++) {
      now += Math.floor(r() * 2 * MIN);
      const writes: IncidentWrites = { incidents: [], alerts: [], timeline: [], statuses: [] };
      const roll = r();
      const ids = [...incidents.keys()];
      const all = [...alerts.values()];
      if (roll < 0.3 || ids.length === 0) {
        const id = `i${step}`;
        writes.incidents.push(incidentRecord(id, { openedAt: now, updatedAt: now }));
        writes.alerts.push(incidentAlertRecord(id, `f${Math.floor(r() * 30)}`, { startsAt: now - MIN, joinedAt: now }));
      } else if (roll < 0.55) {
        const id = ids[Math.floor(r() * ids.length)];
        writes.alerts.push(incidentAlertRecord(id, `f${Math.floor(r() * 30)}`, { startsAt: now, joinedAt: now }));
      } else if (roll < 0.7) {
        const a = all[Math.floor(r() * all.length)];
        writes.statuses!.push({ ...a, status: a.status === 'firing' ? 'resolved' : 'firing', endsAt: now });
      } else if (roll < 0.8) {
        const id = ids[Math.floor(r() * ids.length)];
        await store.actOnIncident({
          incidentId: id,
          action: r() < 0.5 ? 'acknowledge' : 'resolve',
          user: 'al',
          at: now,
          comment: null,
        });
      } else {
        // Resolved by itself, or reopened.
        const i = incidents.get(ids[Math.floor(r() * ids.length)])!;
        writes.incidents.push(
          i.state === 'resolved'
            ? { ...i, state: 'open', resolvedAt: null, resolvedBy: null, updatedAt: now }
            : { ...i, state: 'resolved', resolvedAt: now, updatedAt: now }
        );
      }
      const fails = r() < 0.15;
      if (fails) {
        // A NOT NULL violation: the whole commit rolls back.
        writes.timeline.push({ ...timelineRecord(`bad${step}`, 'x'), message: null as unknown as string });
      }
      await store.commitIncidents(writes).then(
        () => {
          expect({ step, fails }).toEqual({ step, fails: false });
          for (const a of writes.alerts) {
            alerts.set(`${a.incidentId}/${a.fingerprint}`, a);
          }
          for (const s of writes.statuses!) {
            const key = `${s.incidentId}/${s.fingerprint}`;
            alerts.set(key, { ...alerts.get(key)!, status: s.status, endsAt: s.endsAt });
          }
        },
        (err: { code?: string }) =>
          expect({ step, code: err.code, fails }).toEqual({ step, code: 'store_error', fails: true })
      );
      for (const id of new Set([...incidents.keys(), ...writes.incidents.map((i) => i.id)])) {
        const stored = await store.getIncident(id);
        if (stored) {
          incidents.set(id, stored);
        }
      }

      const byIncident = await store.incidentAlerts([...incidents.keys()]);
      for (const id of incidents.keys()) {
        const expected = [...alerts.values()].filter((a) => a.incidentId === id).sort(byStart);
        expect({ step, id, alerts: byIncident.get(id) }).toEqual({ step, id, alerts: expected });
      }
      const since = now - 5 * MIN;
      const active = [...incidents.values()]
        .filter(unresolved)
        .sort((x, y) => x.openedAt - y.openedAt || cmp(x.id, y.id));
      const activeIds = new Set(active.map((i) => i.id));
      const expected = {
        incidents: active,
        alerts: [...alerts.values()].filter((a) => activeIds.has(a.incidentId) || a.startsAt >= since).sort(byStart),
      };
      expect({ step, ...(await store.correlationCandidates(since)) }).toEqual({ step, ...expected });
    }
  });

  it('reads everything again for an earlier window than the last', async () => {
    const old = incidentAlertRecord('gone', 'g1', { startsAt: T0 - 30 * MIN });
    await store.commitIncidents({
      incidents: [incidentRecord('gone', { state: 'resolved', resolvedAt: T0 })],
      alerts: [old],
      timeline: [],
    });
    expect((await store.correlationCandidates(T0)).alerts).toEqual([]);
    expect((await store.correlationCandidates(T0 - 40 * MIN)).alerts).toEqual([old]);
  });
});
