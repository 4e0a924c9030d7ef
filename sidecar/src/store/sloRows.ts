/** The `slos` table's rows and what both stores (sqliteSlos.ts, pg/pgSlos.ts) make of them. */
import type { Slo } from '@vigil/core';
import type { SloRecord } from './sloStore';

/** A `slos` row. */
export interface SloRow {
  id: string;
  body: string;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
  version: number;
}

/** A `slos` row as the store returns it. */
export const toSloRecord = (r: SloRow): SloRecord => ({
  id: r.id,
  slo: JSON.parse(r.body) as Slo,
  createdAt: Number(r.created_at),
  createdBy: r.created_by,
  updatedAt: Number(r.updated_at),
  updatedBy: r.updated_by,
  version: Number(r.version),
});
