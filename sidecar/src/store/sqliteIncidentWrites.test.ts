// The incident writes as multi-row statements and correlation's version (sqliteIncidentWrites.ts), on a
// real SQLite file: more rows than one statement takes, narrow status updates, and a version that
// follows exactly the dispatcher's committed writes — a rolled-back batch, a user's write without a
// token and another connection's commit each change it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { incidentAlertRecord, incidentRecord, T0, timelineRecord } from '../testing/incidentFixtures';
import { openSqliteStore } from './sqlite';
import { applyIncidentWrites } from './sqliteIncidents';
import { WRITE_CHUNK } from './sqliteIncidentWrites';
import type { Store } from './store';

describe('incident writes and correlation version', () => {
  let dir: string;
  let path: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-incident-writes-'));
    path = join(dir, 'vigil.db');
    store = openSqliteStore({ path });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
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
      incidents: [],
      alerts: [],
      timeline: [],
      statuses: alerts.map((a) => ({ ...a, labels: { changed: 'no' }, status: 'resolved', endsAt: T0 + 1 })),
    });
    const after = await store.incidentAlerts(ids);
    expect(ids.map((id) => after.get(id))).toEqual(alerts.map((a) => [{ ...a, status: 'resolved', endsAt: T0 + 1 }]));
  });

  it("changes its version exactly when incident writes other than the dispatcher's last commit", async () => {
    const first = await store.correlationVersion();
    expect(first.token).toBeNull();
    await store.commitIncidents({ incidents: [incidentRecord('i1')], alerts: [], timeline: [], token: 'batch-1' });
    const v1 = await store.correlationVersion();
    expect(v1).toEqual({ others: first.others, token: 'batch-1' });
    expect(await store.correlationVersion()).toEqual(v1);

    // A transaction that writes incidents and rolls back (a failing commitIngest) leaves it as it was.
    const conn = new Database(path);
    try {
      expect(() =>
        conn.transaction(() => {
          applyIncidentWrites(conn, { incidents: [incidentRecord('i2')], alerts: [], timeline: [], token: 'x' });
          throw new Error('commit failed');
        })()
      ).toThrow('commit failed');
      expect(await store.correlationVersion()).toEqual(v1);
      // Another connection's commit does change it.
      conn.prepare("UPDATE incidents SET title = 'elsewhere' WHERE id = 'i1'").run();
      const v2 = await store.correlationVersion();
      expect(v2.others).not.toBe(v1.others);
      expect(v2.token).toBe('batch-1');
    } finally {
      conn.close();
    }

    // A user's write (no token).
    await store.commitIncidents({
      incidents: [incidentRecord('i1', { state: 'acknowledged' })],
      alerts: [],
      timeline: [],
    });
    expect((await store.correlationVersion()).token).toBeNull();
  });

  it('keeps the last committed token when a later batch on the same connection rolls back', async () => {
    await store.correlationVersion();
    await store.commitIncidents({ incidents: [incidentRecord('i1')], alerts: [], timeline: [], token: 'batch-1' });
    const v1 = await store.correlationVersion();
    // A failing write on the store's own connection (a NOT NULL violation) rolls its token back too.
    const bad = { ...timelineRecord('t1', 'i1'), message: null as unknown as string };
    await expect(
      store.commitIncidents({ incidents: [incidentRecord('i2')], alerts: [], timeline: [bad], token: 'batch-2' })
    ).rejects.toMatchObject({ code: 'store_error' });
    expect(await store.correlationVersion()).toEqual(v1);
    expect(await store.getIncident('i2')).toBeNull();
  });
});
