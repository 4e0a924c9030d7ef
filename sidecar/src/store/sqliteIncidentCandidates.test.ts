// SQLite keeps correlation's candidates across reads (sqliteIncidentCandidates.ts): after any sequence of
// writes — alerts joining and resolving, incidents opening, resolving by themselves or by a user and
// reopening, writes rolled back with the caller's transaction, the window moving on — the kept rows
// must read exactly as a fresh read of the database does, and so must the alerts of each incident. (The
// contract on both stores is incidentCandidates.test.ts.)
import Database from 'better-sqlite3';
import { incidentAlertRecord, incidentRecord, T0 } from '../testing/incidentFixtures';
import type { IncidentAlertRecord, IncidentRecord } from './incidentStore';
import { MIGRATIONS } from './migrations';
import { migrate } from './sqlite';
import { CandidateRows } from './sqliteIncidentCandidates';
import { applyIncidentWrites, sqliteIncidentStore } from './sqliteIncidents';

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

describe('correlation candidates kept across reads', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    migrate(db, MIGRATIONS);
  });
  afterEach(() => db.close());

  it.each([1, 2, 3, 4, 5, 6])('read as a fresh read after random writes (seed %i)', async (seed) => {
    const r = rng(seed);
    const store = sqliteIncidentStore(() => db);
    const incidents = new Map<string, IncidentRecord>();
    const alerts = new Map<string, IncidentAlertRecord>();
    let now = T0;
    for (let step = 0; step < 120; step++) {
      now += Math.floor(r() * 2 * MIN);
      const writes = { incidents: [] as IncidentRecord[], alerts: [] as IncidentAlertRecord[], timeline: [] };
      const roll = r();
      const ids = [...incidents.keys()];
      if (roll < 0.3 || ids.length === 0) {
        const id = `i${step}`;
        const i = incidentRecord(id, { openedAt: now, updatedAt: now });
        incidents.set(id, i);
        writes.incidents.push(i);
        writes.alerts.push(incidentAlertRecord(id, `f${Math.floor(r() * 30)}`, { startsAt: now - MIN, joinedAt: now }));
      } else if (roll < 0.6) {
        const id = ids[Math.floor(r() * ids.length)];
        writes.alerts.push(incidentAlertRecord(id, `f${Math.floor(r() * 30)}`, { startsAt: now, joinedAt: now }));
      } else if (roll < 0.75) {
        const all = [...alerts.values()];
        const a = all[Math.floor(r() * all.length)];
        writes.alerts.push({ ...a, status: a.status === 'firing' ? 'resolved' : 'firing', endsAt: now });
      } else {
        // Resolved by itself, by a user, or reopened.
        const i = incidents.get(ids[Math.floor(r() * ids.length)])!;
        const next: IncidentRecord =
          i.state === 'resolved'
            ? { ...i, state: 'open', resolvedAt: null, resolvedBy: null, updatedAt: now }
            : { ...i, state: 'resolved', resolvedAt: now, resolvedBy: r() < 0.3 ? 'al' : null, updatedAt: now };
        writes.incidents.push(next);
      }
      const rollBack = r() < 0.15;
      try {
        db.transaction(() => {
          applyIncidentWrites(db, writes);
          if (rollBack) {
            throw new Error('routing failed');
          }
        }).immediate();
        for (const i of writes.incidents) {
          incidents.set(i.id, (await store.getIncident(i.id))!);
        }
        for (const a of writes.alerts) {
          alerts.set(`${a.incidentId}/${a.fingerprint}`, a);
        }
      } catch (err) {
        expect((err as Error).message).toBe('routing failed');
      }
      // The alerts of every incident (the live stream's read, served from the kept rows when it can),
      // at times before correlation's next read, as the dispatcher does after each commit.
      const all = [...incidents.keys()];
      const byIncident = await store.incidentAlerts(all);
      for (const id of all) {
        const rows = db
          .prepare(
            'SELECT incident_id, fingerprint FROM incident_alerts WHERE incident_id = ? ORDER BY starts_at, fingerprint'
          )
          .all(id) as Array<{ incident_id: string; fingerprint: string }>;
        expect({ step, id, alerts: byIncident.get(id)!.map((a) => a.fingerprint) }).toEqual({
          step,
          id,
          alerts: rows.map((x) => x.fingerprint),
        });
      }
      const since = now - 5 * MIN;
      const kept = await store.correlationCandidates(since);
      const fresh = db.transaction(() => new CandidateRows(db).read(since))();
      expect({ step, ...kept }).toEqual({ step, ...fresh });
    }
  });
});
