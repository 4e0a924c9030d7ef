// Incidents on a real PostgreSQL shared by two replicas (two stores, two pools, one database): a write
// through one is what the other's correlation version and candidates show — a user's acknowledge on
// replica B makes the dispatcher on replica A reload before its next batch —, two replicas acting or
// writing at once, writes inside a transaction the caller owns, and ids sorted as SQLite sorts them in
// a database whose collation is not "C".
import { CORRELATION_DEFAULTS } from '@vigil/core';
import { startPostgres, type PostgresHandle } from '../../../../test/harness';
import type { CorrelationSettings } from '../../config/correlationSchema';
import { correlateBatch } from '../../notify/dispatch/correlation';
import { inbound } from '../../testing/dispatch';
import { cascade, incidentRecord, T0, timelineRecord } from '../../testing/incidentFixtures';
import type { InboxEntry } from '../notifyStore';
import type { Store } from '../store';
import { openPgDb, type PgDb } from './pgDb';
import { applyPgIncidentWrites } from './pgIncidentWrites';
import { openPgStore } from './pgStore';

const none = { incidents: [], alerts: [], timeline: [] };
const settings: CorrelationSettings = {
  enabled: true,
  config: CORRELATION_DEFAULTS,
  keepFiringForMs: 0,
  topology: { dependsOn: { api: ['database'] } },
};

let pg: PostgresHandle;
let databases = 0;
const opened: Array<Store | PgDb> = [];
beforeAll(async () => {
  pg = await startPostgres();
}, 60000);
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await pg?.stop();
});

/** Two replicas' stores on one fresh database. */
async function replicas(): Promise<[Store, Store, string]> {
  const url = await pg.createDatabase(`incidents_${process.pid}_${++databases}`);
  const a = await openPgStore({ url, applicationName: 'replica-a' });
  const b = await openPgStore({ url, applicationName: 'replica-b' });
  opened.push(a, b);
  return [a, b, url];
}

describe('two replicas on one PostgreSQL', () => {
  it("sees the other replica's writes in its correlation version and candidates", async () => {
    const [a, b] = await replicas();
    const before = await a.correlationVersion();
    await a.commitIncidents({ ...cascade('i1'), token: 'a-1' });
    const mine = await a.correlationVersion();
    expect(mine).toEqual({ others: before.others, token: 'a-1' });
    // B did not write it: a version that is none of its own batches'.
    expect((await b.correlationVersion()).token).toBeNull();
    expect((await b.correlationCandidates(T0)).incidents.map((i) => i.id)).toEqual(['i1']);

    await b.actOnIncident({ incidentId: 'i1', action: 'acknowledge', user: 'bob', at: T0 + 1, comment: null });
    const after = await a.correlationVersion();
    expect(after).not.toEqual(mine);
    expect(after.token).toBeNull();
    expect((await a.correlationCandidates(T0)).incidents).toMatchObject([
      { id: 'i1', state: 'acknowledged', acknowledgedBy: 'bob' },
    ]);
  });

  it("breaks a replica's chain of batches when another replica's batch commits in between", async () => {
    const [a, b] = await replicas();
    await a.commitIncidents({ ...none, incidents: [incidentRecord('i1')], token: 'a-1' });
    const read = await a.correlationVersion(); // A's dispatcher reads, then correlates its next batch …
    await b.commitIncidents({ ...none, incidents: [incidentRecord('i2')], token: 'b-1' }); // … B commits …
    expect(await b.correlationVersion()).toMatchObject({ token: 'b-1' });
    await a.commitIncidents({ ...none, incidents: [incidentRecord('i1')], token: 'a-2' }); // … A commits.
    // What A's dispatcher would expect if nothing else had written: it must not see it.
    expect(await a.correlationVersion()).not.toEqual({ others: read.others, token: 'a-2' });
    // From here A's batches chain again.
    const next = await a.correlationVersion();
    await a.commitIncidents({ ...none, incidents: [incidentRecord('i1')], token: 'a-3' });
    expect(await a.correlationVersion()).toEqual({ others: next.others, token: 'a-3' });
  });

  it("reloads the dispatcher's incidents on replica A after an acknowledge on replica B", async () => {
    const [a, b] = await replicas();
    let loads = 0;
    const counting = Object.create(a) as Store;
    counting.correlationCandidates = (since) => {
      loads++;
      return a.correlationCandidates(since);
    };
    const entry = (id: string, fp: string, service: string, now: number): InboxEntry => ({
      id,
      receivedAt: now,
      alert: inbound(fp, {
        labels: { alertname: `Down-${fp}`, service, severity: 'critical' },
        startsAt: now,
        at: now,
      }),
    });
    const batch = async (entries: InboxEntry[], now: number) => {
      const c = await correlateBatch(entries, counting, settings, settings.topology, now, () => 'inc-1');
      await a.commitIncidents(c.writes);
      return c;
    };
    await batch([entry('e1', 'db', 'database', T0)], T0);
    await batch([entry('e2', 'db2', 'database', T0 + 1000)], T0 + 1000);
    expect(loads).toBe(1); // kept between batches while only A writes
    await b.actOnIncident({ incidentId: 'inc-1', action: 'acknowledge', user: 'bob', at: T0 + 1500, comment: null });
    const third = await batch([entry('e3', 'api', 'api', T0 + 2000)], T0 + 2000);
    expect(loads).toBe(2);
    expect(third.incidents().map((p) => [p.incident.id, p.incident.state, p.incident.acknowledgedBy])).toEqual([
      ['inc-1', 'acknowledged', 'bob'],
    ]);
    expect(await a.getIncident('inc-1')).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'bob' });
  });

  it('acts once when users on both replicas act at once, round after round', async () => {
    const [a, b] = await replicas();
    for (let round = 0; round < 10; round++) {
      const id = `i${round}`;
      await a.commitIncidents(cascade(id));
      const results = await Promise.all(
        [a, b, a, b].map((s, i) =>
          s.actOnIncident({ incidentId: id, action: 'acknowledge', user: `u${i}`, at: T0 + 1, comment: null })
        )
      );
      expect({ round, done: results.filter((r) => r !== null).length }).toEqual({ round, done: 1 });
      expect(await b.listChanges('incident', id)).toHaveLength(1);
    }
  });

  it('writes the same incidents from both replicas at once without an error', async () => {
    const [a, b] = await replicas();
    const ids = Array.from({ length: 20 }, (_, i) => `i${i}`);
    for (let round = 0; round < 10; round++) {
      // Opposite orders: the version row, taken first, queues the writers (and a deadlock is retried).
      const writes = (order: string[], who: string) => ({
        incidents: order.map((id) => incidentRecord(id, { title: `${who}-${round}`, updatedAt: T0 + round })),
        alerts: [],
        timeline: order.map((id) => timelineRecord(`${who}-${round}-${id}`, id)),
        token: `${who}-${round}`,
      });
      await Promise.all([a.commitIncidents(writes(ids, 'a')), b.commitIncidents(writes([...ids].reverse(), 'b'))]);
      const titles = new Set((await a.listIncidents({ limit: 100 })).map((i) => i.title));
      expect({ round, one: titles.size }).toEqual({ round, one: 1 });
    }
    expect(await a.incidentTimeline('i0')).toHaveLength(20);
  });

  it('applies incident writes with the transaction of its caller (commitIngest), or not at all', async () => {
    const [a, , url] = await replicas();
    const db = openPgDb({ url });
    opened.push(db);
    const version = await a.correlationVersion();
    await expect(
      db.tx(async (q) => {
        await applyPgIncidentWrites(db, q, { ...cascade('lost'), token: 't' });
        throw new Error('routing failed');
      })
    ).rejects.toThrow('routing failed');
    expect(await a.getIncident('lost')).toBeNull();
    expect(await a.incidentTimeline('lost')).toEqual([]);
    expect(await a.correlationVersion()).toEqual(version);
    await db.tx((q) => applyPgIncidentWrites(db, q, cascade('kept')));
    expect(await a.getIncident('kept')).not.toBeNull();
    expect(await a.correlationVersion()).not.toEqual(version);
  });
});

it('sorts ids as SQLite does (bytes) in a database with a linguistic collation', async () => {
  const name = `incidents_icu_${process.pid}`;
  await pg.sql(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
  const url = pg.url.replace(/\/vigil$/, `/${name}`);
  const store = await openPgStore({ url });
  opened.push(store);
  // In en-US, case and punctuation come after letters ("a-2" between "a1" and "a3"); in bytes they do not.
  const ids = ['b', 'a3', 'A2', 'a-2', 'a1', 'a_2'];
  await store.commitIncidents({
    incidents: ids.map((id) => incidentRecord(id)),
    alerts: [],
    timeline: ids.map((id) => timelineRecord(id, 'x')),
  });
  const bytes = [...ids].sort();
  // The database's own order differs (or this test would prove nothing).
  const db = openPgDb({ url });
  opened.push(db);
  const own = (await db.query<{ id: string }>('SELECT id FROM incidents ORDER BY id')).map((r) => r.id);
  expect(own).not.toEqual(bytes);
  expect((await store.listIncidents()).map((i) => i.id)).toEqual([...bytes].reverse());
  expect((await store.incidentTimeline('x')).map((t) => t.id)).toEqual(bytes);
});
