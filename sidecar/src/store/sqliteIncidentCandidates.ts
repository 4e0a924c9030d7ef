/**
 * Correlation's candidates (the alerts of unresolved incidents and of the window) without reading the
 * whole window again for every inbox batch: with it on, bench:notify's 10k-alert stream re-read and
 * re-parsed up to 10k rows per batch — most of correlation's cost. The rows read are kept per
 * connection and brought up to date at each read from what changed since:
 * - the alerts this module wrote (`applyIncidentWrites` notes their keys) are read again by primary
 *   key — from the database, not from the write, since the caller's transaction may have rolled back;
 * - the alerts of incidents that became unresolved since (new or reopened) are read by incident;
 * - the unresolved incidents themselves are read every time (the API acknowledges and resolves them).
 * Rows that can no longer be candidates (started before the window, incident not unresolved) are
 * dropped; an earlier `since` than the last one reads everything again. Only the dispatcher writes
 * incident alerts, through this module (as it alone writes groups and the outbox), which is what
 * keeps the rows current. Portable SQL.
 */
import type Database from 'better-sqlite3';
import type { IncidentAlertRecord, IncidentRecord } from './incidentStore';
import { type IncidentAlertRow, type IncidentRow, toIncident, toIncidentAlert } from './sqliteIncidentRows';
import { ChunkedLookup } from './sqliteLookup';

const SQL = {
  activeIncidents: `SELECT * FROM incidents WHERE state IN ('open', 'acknowledged') ORDER BY opened_at, id`,
  // The alerts of unresolved incidents (through the incidents' state index and the alerts' primary key)
  // and the other alerts that started in the window (through the starts_at index): UNION ALL of two
  // disjoint sets; sorted in JS (UNION and ORDER BY sorted whole rows in a temporary B-tree).
  candidateAlerts: `SELECT a.* FROM incident_alerts a JOIN incidents i ON i.id = a.incident_id
      WHERE i.state IN ('open', 'acknowledged')
    UNION ALL SELECT * FROM incident_alerts WHERE starts_at >= ?
      AND incident_id NOT IN (SELECT id FROM incidents WHERE state IN ('open', 'acknowledged'))`,
  alertByKey: 'SELECT * FROM incident_alerts WHERE incident_id = ? AND fingerprint = ?',
} as const;

/** Pending writes always worth re-reading by key rather than reading everything again. */
const MAX_PENDING = 1000;

const keyOf = (incidentId: string, fingerprint: string) => `${incidentId}\u0000${fingerprint}`;

/** The candidate rows of one connection, kept current (see the module comment). */
export class CandidateRows {
  private readonly s: { [K in keyof typeof SQL]: Database.Statement };
  private readonly alertsOf: ChunkedLookup<IncidentAlertRow>;
  /** Null until the first read. */
  private rows: Map<string, IncidentAlertRecord> | null = null;
  /** The same rows by incident. */
  private readonly byIncident = new Map<string, Map<string, IncidentAlertRecord>>();
  private since = 0;
  private active = new Set<string>();
  /** Keys written since the last read: [incident id, fingerprint]. */
  private readonly pending = new Map<string, [string, string]>();

  constructor(private readonly conn: Database.Database) {
    this.s = Object.fromEntries(Object.entries(SQL).map(([k, sql]) => [k, conn.prepare(sql)])) as typeof this.s;
    this.alertsOf = new ChunkedLookup(conn, (ph) => `SELECT * FROM incident_alerts WHERE incident_id IN (${ph})`);
  }

  /**
   * Notes incident alerts written (inside a transaction that may yet roll back). The dispatcher now
   * keeps its own state between batches and reads here only to reload it: when more writes are pending
   * than a fresh read would cost, the rows are dropped instead, and the next read is a fresh one.
   */
  written(alerts: ReadonlyArray<Pick<IncidentAlertRecord, 'incidentId' | 'fingerprint'>>): void {
    if (this.rows === null) {
      return;
    }
    for (const a of alerts) {
      this.pending.set(keyOf(a.incidentId, a.fingerprint), [a.incidentId, a.fingerprint]);
    }
    if (this.pending.size > Math.max(MAX_PENDING, this.rows.size)) {
      this.rows = null;
      this.byIncident.clear();
      this.pending.clear();
    }
  }

  /**
   * The unresolved incidents (by opening) and the incident alerts in one of them or started at or
   * after `since` (by start, fingerprint, incident: a deterministic order). Call inside a read
   * transaction: one snapshot.
   */
  read(since: number): { incidents: IncidentRecord[]; alerts: IncidentAlertRecord[] } {
    const incidents = (this.s.activeIncidents.all() as IncidentRow[]).map(toIncident);
    const active = new Set(incidents.map((i) => i.id));
    if (this.rows === null || since < this.since) {
      this.rows = new Map();
      this.byIncident.clear();
      for (const row of this.s.candidateAlerts.all(since) as IncidentAlertRow[]) {
        this.set(toIncidentAlert(row));
      }
      this.pending.clear();
    } else {
      this.sync();
      const fresh = [...active].filter((id) => !this.active.has(id));
      for (const row of fresh.length > 0 ? this.alertsOf.all(fresh) : []) {
        this.set(toIncidentAlert(row));
      }
    }
    const rows = this.rows;
    this.since = since;
    this.active = active;
    const alerts: IncidentAlertRecord[] = [];
    for (const [key, a] of rows) {
      if (active.has(a.incidentId) || a.startsAt >= since) {
        alerts.push(a);
      } else {
        this.remove(key, a); // no longer a candidate: only a reopening brings it back (read by incident)
      }
    }
    alerts.sort(
      (x, y) =>
        x.startsAt - y.startsAt ||
        (x.fingerprint < y.fingerprint ? -1 : x.fingerprint > y.fingerprint ? 1 : 0) ||
        (x.incidentId < y.incidentId ? -1 : x.incidentId > y.incidentId ? 1 : 0)
    );
    return { incidents, alerts };
  }

  /**
   * The alerts of those of `ids` whose rows are all kept — the incidents unresolved at the last read
   * (every row of theirs is kept until the next read, and only this module writes them) — with what
   * was written since applied; the others are absent (the caller reads them).
   */
  incidentAlerts(ids: readonly string[]): Map<string, IncidentAlertRecord[]> {
    const out = new Map<string, IncidentAlertRecord[]>();
    // Inside a transaction, what was written may yet roll back: let the caller read.
    if (this.rows === null || this.conn.inTransaction) {
      return out;
    }
    this.sync();
    for (const id of ids) {
      if (this.active.has(id)) {
        out.set(id, [...(this.byIncident.get(id)?.values() ?? [])]);
      }
    }
    return out;
  }

  /** Reads the rows written since (by primary key: the write may have rolled back). */
  private sync(): void {
    for (const [key, [incidentId, fingerprint]] of this.pending) {
      const row = this.s.alertByKey.get(incidentId, fingerprint) as IncidentAlertRow | undefined;
      const kept = this.rows!.get(key);
      if (row) {
        this.set(toIncidentAlert(row));
      } else if (kept) {
        this.remove(key, kept);
      }
    }
    this.pending.clear();
  }

  private set(a: IncidentAlertRecord): void {
    const key = keyOf(a.incidentId, a.fingerprint);
    this.rows!.set(key, a);
    let of = this.byIncident.get(a.incidentId);
    if (!of) {
      of = new Map();
      this.byIncident.set(a.incidentId, of);
    }
    of.set(key, a);
  }

  private remove(key: string, a: IncidentAlertRecord): void {
    this.rows!.delete(key);
    const of = this.byIncident.get(a.incidentId);
    of?.delete(key);
    if (of?.size === 0) {
      this.byIncident.delete(a.incidentId);
    }
  }
}
