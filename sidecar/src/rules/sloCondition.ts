/**
 * The `slo` condition: an SLO's burn-rate alerts evaluated as a rule, so they go through the rule
 * engine's states, history and notification pipeline like any alert. One evaluation of the SLO
 * (sidecar/src/slo/evaluate.ts) gives one sample per alert the SLO enables, valued by the burn rate
 * both its windows reach; the verdict (both windows at the factor, enough traffic) and the severity
 * (critical for a page, warning for a ticket) come through the condition context. The status it
 * computed is handed on, so the SLO's budget is stored from the same queries.
 */
import { formatDuration, type ConditionContext, type Slo } from '@vigil/core';
import type { SloBucketCache } from '../slo/bucketCounts';
import { evaluateSlo, type BurnRateStatus, type SloQueries, type SloStatus } from '../slo/evaluate';
import type { Source } from '../sources';
import type { QueryOutcome } from './evaluation';

/** What an SLO rule's evaluation needs. */
export interface SloConditionDeps {
  /** The SLO by id (undefined: deleted or unknown). */
  slo?: (id: string) => Slo | undefined;
  sourceFor(name: string): Source | undefined;
  /** Receives each evaluation of an SLO (the status, or the error that stopped it). */
  onSloStatus?: (sloId: string, at: number, status: SloStatus | null, error: string | null) => void;
  /** Hour buckets of the SLOs' long windows (the SLO service's cache). */
  sloBuckets?: SloBucketCache;
}

/** The labels of one burn-rate alert's instance (the rule adds its own: `slo_id`, `service`, …). */
export function sloAlertLabels(
  b: Pick<BurnRateStatus, 'name' | 'longWindowMs' | 'shortWindowMs'>
): Record<string, string> {
  return {
    slo_alert: b.name,
    slo_window: formatDuration(b.longWindowMs),
    slo_short_window: formatDuration(b.shortWindowMs),
  };
}

/** The samples and verdicts of an SLO rule at `at`. */
export async function sloOutcome(
  sloId: string,
  at: number,
  deps: SloConditionDeps,
  queriesFor: (source: Source) => SloQueries = () => ({})
): Promise<{ outcome: QueryOutcome; ctx: ConditionContext }> {
  const slo = deps.slo?.(sloId);
  if (!slo) {
    return { outcome: { ok: false, message: `unknown SLO "${sloId}"` }, ctx: {} };
  }
  const source = deps.sourceFor(slo.datasource);
  if (!source) {
    const message = `SLO "${sloId}": unknown datasource "${slo.datasource}"`;
    deps.onSloStatus?.(sloId, at, null, message);
    return { outcome: { ok: false, message }, ctx: {} };
  }
  let status: SloStatus;
  try {
    status = await evaluateSlo(slo, source, at, { ...queriesFor(source), buckets: deps.sloBuckets });
  } catch (err) {
    const message = `SLO "${sloId}": ${(err as Error).message}`;
    deps.onSloStatus?.(sloId, at, null, message);
    return { outcome: { ok: false, message }, ctx: {} };
  }
  deps.onSloStatus?.(sloId, at, status, null);
  const enabled = status.burnRates.filter((b) => (b.kind === 'page' ? slo.alerting.page : slo.alerting.ticket));
  const verdicts = new Map(
    enabled.map((b) => [b.name, { active: b.firing, threshold: b.factor, severity: b.severity }])
  );
  return {
    outcome: {
      ok: true,
      samples: enabled.map((b) => ({
        labels: sloAlertLabels(b),
        value: Math.min(b.longRate ?? 0, b.shortRate ?? 0),
      })),
    },
    ctx: { sloAlert: (labels) => verdicts.get(labels.slo_alert) },
  };
}
