/**
 * SLO persistence (issue 10): the definitions, created and changed through the API with the Grafana
 * user recorded (each write and its audit-log change in one transaction), and the latest status of
 * each SLO as the evaluator left it, so the API and a restarted sidecar read what was computed.
 */
import type { Slo } from '@vigil/core';
import type { Actor } from './store';

/** A stored SLO. */
export interface SloRecord {
  id: string;
  slo: Slo;
  createdAt: number;
  createdBy: Actor;
  updatedAt: number;
  updatedBy: Actor;
  /** 1 on create, +1 on every update (optimistic concurrency: `expectedVersion`). */
  version: number;
}

/** An SLO's latest evaluation (the evaluator's status object, stored whole). */
export interface SloStatusRecord {
  sloId: string;
  evaluatedAt: number;
  /** The JSON-safe status (`SloStatus` of sidecar/src/slo/evaluate.ts), or the error that stopped it. */
  status: unknown;
  /** Set when the evaluation failed (the status is then the last good one, or null). */
  error: string | null;
}

/** SLO persistence. */
export interface SloStore {
  listSlos(): Promise<SloRecord[]>;
  getSlo(id: string): Promise<SloRecord | null>;
  /**
   * Creates (`expectedVersion` 0: must not exist) or updates (`expectedVersion` n: must be at n) an
   * SLO and records the change; without `expectedVersion` it upserts. A version mismatch is a 409.
   */
  putSlo(slo: Slo, user: Actor, at: number, expectedVersion?: number): Promise<SloRecord>;
  /** Deletes an SLO with its status and records the change; false when it did not exist. */
  deleteSlo(id: string, user: Actor, at: number): Promise<boolean>;
  /** Stores the latest status of each SLO given (one transaction). */
  putSloStatuses(statuses: readonly SloStatusRecord[]): Promise<void>;
  /** The latest status of every SLO (by id). */
  sloStatuses(): Promise<Map<string, SloStatusRecord>>;
}
