/**
 * The engine's in-memory view of the rules: each rule's spec, its non-Normal instances and last
 * status (loaded from the store at start, then kept in step with every commit), and the counts of
 * instances per state for `vigil_alerts`.
 */
import { ALERT_STATES, type AlertInstance, type AlertState, type RuleSpec, type RuleStatus } from '@vigil/core';
import type { RuleRecord, RuleStatusRecord } from '../store/store';

/** One rule as the engine holds it. */
export interface RuleEntry {
  spec: RuleSpec;
  /** JSON of the spec, to tell a changed rule from an unchanged one on reload. */
  specJson: string;
  instances: AlertInstance[];
  status: RuleStatusRecord | null;
  /** True while an evaluation of the rule is in flight (the next one is skipped meanwhile). */
  running: boolean;
}

/** What a reload changed. */
export interface RuleChanges {
  added: RuleEntry[];
  /** Rules whose spec changed (timing or query included). */
  changed: RuleEntry[];
  removed: string[];
  /** Records that could not be turned into a spec, with the reason. */
  invalid: Array<{ id: string; error: string }>;
}

/** The rules the engine evaluates. */
export class RuleSet {
  private readonly entries = new Map<string, RuleEntry>();
  private readonly counts = new Map<AlertState, number>();

  get(id: string): RuleEntry | undefined {
    return this.entries.get(id);
  }

  values(): IterableIterator<RuleEntry> {
    return this.entries.values();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Makes the set hold exactly these records (specs built by `toSpec`; one that throws is skipped). */
  replace(records: readonly RuleRecord[], toSpec: (r: RuleRecord) => RuleSpec): RuleChanges {
    const changes: RuleChanges = { added: [], changed: [], removed: [], invalid: [] };
    const seen = new Set<string>();
    for (const record of records) {
      let spec: RuleSpec;
      try {
        spec = toSpec(record);
      } catch (err) {
        changes.invalid.push({ id: record.id, error: (err as Error).message });
        continue;
      }
      seen.add(spec.id);
      const specJson = JSON.stringify(spec);
      const existing = this.entries.get(spec.id);
      if (!existing) {
        const entry: RuleEntry = { spec, specJson, instances: [], status: null, running: false };
        this.entries.set(spec.id, entry);
        changes.added.push(entry);
      } else if (existing.specJson !== specJson) {
        existing.spec = spec;
        existing.specJson = specJson;
        changes.changed.push(existing);
      }
    }
    for (const [id, entry] of this.entries) {
      if (!seen.has(id)) {
        this.setInstances(entry, []);
        this.entries.delete(id);
        changes.removed.push(id);
      }
    }
    return changes;
  }

  /** Replaces a rule's instances, keeping the per-state counts right. */
  setInstances(entry: RuleEntry, instances: AlertInstance[]): void {
    for (const i of entry.instances) {
      this.counts.set(i.state, (this.counts.get(i.state) ?? 0) - 1);
    }
    for (const i of instances) {
      this.counts.set(i.state, (this.counts.get(i.state) ?? 0) + 1);
    }
    entry.instances = instances;
  }

  /** Instances per state over all rules (every state, zeros included). */
  stateCounts(): Record<AlertState, number> {
    const out = {} as Record<AlertState, number>;
    for (const s of ALERT_STATES) {
      out[s] = this.counts.get(s) ?? 0;
    }
    return out;
  }

  /** The API's view of a rule's status (`unknown` before its first evaluation or for an unknown id). */
  status(id: string): RuleStatus {
    const entry = this.entries.get(id);
    const st = entry?.status;
    const states: RuleStatus['states'] = {};
    for (const i of entry?.instances ?? []) {
      states[i.state] = (states[i.state] ?? 0) + 1;
    }
    return {
      health: st?.health ?? 'unknown',
      lastEvaluation: st?.lastEvaluation ?? null,
      lastDurationMs: st?.lastDurationMs ?? null,
      lastError: st?.lastError ?? null,
      seriesCount: st?.seriesCount ?? 0,
      states,
    };
  }
}
