/**
 * The SLO service: the stored SLOs, the rule that raises each one's burn-rate alerts, and the
 * statuses the rule engine's evaluations hand over (stored, so the API and a restarted sidecar read
 * what was computed). A write stores the SLO, then its rule; `start` re-derives every SLO rule from
 * the stored SLOs, so a crash between the two writes is repaired at the next start.
 */
import type { Slo } from '@vigil/core';
import type { Logger } from 'pino';
import type { SloConditionDeps } from '../rules/sloCondition';
import type { SloStatus } from './evaluate';
import type { RuleStore } from '../store/store';
import type { SloRecord, SloStatusRecord, SloStore } from '../store/sloStore';
import { SloBucketCache } from './bucketCounts';
import { sloRuleBody, sloRuleId, sloRuleRecord } from './sloRule';

/** What the SLO service needs. */
export interface SloServiceDeps {
  slos: SloStore;
  rules: RuleStore;
  /** Re-reads the rules (the rule engine's reload). */
  reloadRules: () => Promise<void>;
  logger: Logger;
  now?: () => number;
}

/** The user recorded for the rules the service writes on an SLO's behalf when no user asked. */
const SYSTEM_USER = 'vigil-slo';

/** The SLOs and their rules; the source of `slo` conditions for the rule engine. */
export class SloService implements Pick<SloConditionDeps, 'slo' | 'onSloStatus' | 'sloBuckets'> {
  /** Hour buckets of the SLOs' long windows, read once and extended (a cache: rebuilt after a restart). */
  readonly sloBuckets = new SloBucketCache();
  private readonly bySlo = new Map<string, Slo>();
  private readonly pending = new Map<string, SloStatusRecord>();
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private readonly now: () => number;

  constructor(private readonly deps: SloServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Loads the SLOs and brings every SLO rule in line with them (creates, updates, removes). */
  async start(): Promise<void> {
    const records = await this.deps.slos.listSlos();
    this.bySlo.clear();
    for (const r of records) {
      this.bySlo.set(r.id, r.slo);
    }
    let changed = false;
    for (const r of records) {
      changed = (await this.syncRule(r.slo, r.updatedBy)) || changed;
    }
    for (const rule of await this.deps.rules.listRules()) {
      const c = rule.body.condition;
      if (c.kind === 'slo' && (!this.bySlo.has(c.slo) || rule.id !== sloRuleId(c.slo))) {
        await this.deps.rules.deleteRule(rule.id, this.change('delete', rule.id, rule.body, SYSTEM_USER));
        changed = true;
      }
    }
    if (changed) {
      await this.deps.reloadRules();
    }
  }

  /** The SLO by id (the rule engine's `slo` conditions). */
  readonly slo = (id: string): Slo | undefined => this.bySlo.get(id);

  /** Takes an evaluation's status; stored on the next turn of the event loop, with the others of the tick. */
  readonly onSloStatus = (sloId: string, at: number, status: SloStatus | null, error: string | null): void => {
    const before = this.pending.get(sloId);
    if (before && before.evaluatedAt > at) {
      return;
    }
    this.pending.set(sloId, { sloId, evaluatedAt: at, status, error });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.flushStatuses();
      });
    }
  };

  /** Writes the statuses taken so far (one transaction); resolves when they are stored. */
  async flushStatuses(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending.clear();
    if (batch.length === 0) {
      return this.flushing;
    }
    this.flushing = this.flushing
      .then(() => this.deps.slos.putSloStatuses(batch))
      .catch((err: unknown) => this.deps.logger.error({ err, slos: batch.length }, 'slo: storing statuses failed'));
    return this.flushing;
  }

  /** Creates or updates an SLO (409 on a version mismatch) and its rule. */
  async put(slo: Slo, user: string, expectedVersion?: number): Promise<SloRecord> {
    const record = await this.deps.slos.putSlo(slo, user, this.now(), expectedVersion);
    this.bySlo.set(slo.id, slo);
    if (await this.syncRule(slo, user)) {
      await this.deps.reloadRules();
    }
    return record;
  }

  /** Deletes an SLO and its rule; false when it did not exist. */
  async delete(id: string, user: string): Promise<boolean> {
    const deleted = await this.deps.slos.deleteSlo(id, user, this.now());
    this.bySlo.delete(id);
    const rule = await this.deps.rules.getRule(sloRuleId(id));
    if (rule) {
      await this.deps.rules.deleteRule(rule.id, this.change('delete', rule.id, rule.body, user));
      await this.deps.reloadRules();
    }
    return deleted;
  }

  /** Writes the SLO's rule when it differs from what the SLO asks; true when it wrote. */
  private async syncRule(slo: Slo, user: string): Promise<boolean> {
    const existing = await this.deps.rules.getRule(sloRuleId(slo.id));
    const body = sloRuleBody(slo);
    if (existing && JSON.stringify(existing.body) === JSON.stringify(body)) {
      return false;
    }
    const record = sloRuleRecord(slo, user, this.now(), existing);
    await this.deps.rules.putRule(record, this.change(existing ? 'update' : 'create', record.id, body, user));
    return true;
  }

  private change(action: 'create' | 'update' | 'delete', id: string, detail: unknown, user: string) {
    return { at: this.now(), user, action, objectType: 'rule' as const, objectId: id, detail };
  }
}
