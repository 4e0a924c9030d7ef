/**
 * The parsed `notify_alerts` rows of one connection, by fingerprint. A flush burst reads every alert of
 * hundreds of groups (20 each in bench:notify); copying their JSON columns out of SQLite and parsing
 * them was most of a flush's time. Rows are now read narrow (fingerprint and `updated_at`) and the
 * records taken from here when the `updated_at` matches; the others are read in full and kept.
 *
 * Sound because every write of `notify_alerts` goes through this store (sqliteNotify.ts): an upsert
 * that changed a row puts the record it wrote (after its transaction committed), and an update keeps
 * the row's `updated_at` growing (the upsert only applies a newer or equal one), so a stale entry
 * never matches a newer row. Records are frozen: they are shared by every reader.
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

  /** The record of the row with this fingerprint and `updated_at`, if known. */
  get(fingerprint: string, updatedAt: number): NotifyAlertRecord | undefined {
    const r = this.byFingerprint.get(fingerprint);
    return r !== undefined && r.updatedAt === updatedAt ? r : undefined;
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
