/**
 * The parsed `notify_alerts` rows of one connection, by fingerprint. A flush burst reads every alert of
 * hundreds of groups (20 each in bench:notify); copying their JSON columns out of SQLite and parsing
 * them was most of a flush's time. The records are taken from here; the others are read in full and kept.
 *
 * Sound because every write of `notify_alerts` on this connection goes through this store
 * (sqliteNotify.ts): an upsert that changed a row puts the record it wrote and a delete forgets it
 * (after its transaction committed). Another connection's writes are seen through `PRAGMA
 * data_version`, which changes when another connection commits: the store passes it to {@link sync}
 * before each read, and a change empties the cache. (Checking each row's `updated_at` instead cost a
 * join per member: a fifth of a flush burst's reads.) Records are frozen: they are shared by every reader.
 */
import type { NotifyAlertRecord } from './notifyStore';
import { finite } from './sqliteNotifyRows';

/** Most records kept; past it the cache starts over (it is only a shortcut). */
const MAX_CACHED = 100_000;

/** Frozen, as `toAlert` would read it back from the row `upsertAlert` writes for `a`. */
function asStored(a: NotifyAlertRecord): NotifyAlertRecord {
  const r: NotifyAlertRecord = {
    fingerprint: a.fingerprint,
    source: a.source,
    status: a.status,
    labels: Object.freeze({ ...a.labels }),
    annotations: Object.freeze({ ...a.annotations }),
    startsAt: Number(a.startsAt),
    endsAt: a.endsAt === null || a.endsAt === undefined ? null : Number(a.endsAt),
    value: finite(a.value ?? null),
    threshold: finite(a.threshold ?? null),
    actions: Object.freeze([...a.actions]) as string[],
    updatedAt: Number(a.updatedAt),
  };
  if (a.generatorURL !== undefined && a.generatorURL !== null) {
    r.generatorURL = a.generatorURL;
  }
  return Object.freeze(r);
}

/** See the file comment. */
export class AlertCache {
  private readonly byFingerprint = new Map<string, NotifyAlertRecord>();
  private version: number | null = null;

  /** Empties the cache when `dataVersion` (the connection's `PRAGMA data_version`) changed. */
  sync(dataVersion: number): void {
    if (dataVersion !== this.version) {
      this.byFingerprint.clear();
      this.version = dataVersion;
    }
  }

  /** The record of the row with this fingerprint, if known. */
  get(fingerprint: string): NotifyAlertRecord | undefined {
    return this.byFingerprint.get(fingerprint);
  }

  /** Keeps a record read from its row (already as `toAlert` made it); returns the shared, frozen copy. */
  keepRead(r: NotifyAlertRecord): NotifyAlertRecord {
    Object.freeze(r.labels);
    Object.freeze(r.annotations);
    Object.freeze(r.actions);
    this.put(Object.freeze(r));
    return r;
  }

  /** Keeps what a committed upsert wrote. */
  keepWritten(alerts: readonly NotifyAlertRecord[]): void {
    for (const a of alerts) {
      this.put(asStored(a));
    }
  }

  /** Forgets fingerprints (rows deleted, or maybe deleted). */
  forget(fingerprints: readonly string[]): void {
    for (const f of fingerprints) {
      this.byFingerprint.delete(f);
    }
  }

  /** Forgets everything. */
  clear(): void {
    this.byFingerprint.clear();
  }

  private put(r: NotifyAlertRecord): void {
    if (this.byFingerprint.size >= MAX_CACHED && !this.byFingerprint.has(r.fingerprint)) {
      this.byFingerprint.clear();
    }
    this.byFingerprint.set(r.fingerprint, r);
  }
}
