/**
 * The rule that raises an SLO's burn-rate alerts: one per SLO, kept by the SLO service (created,
 * changed and deleted with its SLO; read-only through the rules API). Its instances are the SLO's
 * alerts (`slo_alert` page_1h … ticket_3d), labelled with the SLO and its service, evaluated every
 * minute; no data (alerting off) is normal, and a failing query keeps the last state rather than
 * paging about the datasource on the SLO's behalf.
 */
import { windowName, type NormalizedRuleBody, type Slo } from '@vigil/core';
import type { RuleRecord } from '../store/store';

/** The id of an SLO's rule. */
export const sloRuleId = (sloId: string): string => `slo-${sloId}`.slice(0, 128);

/** The rule body of an SLO's burn-rate alerts. */
export function sloRuleBody(slo: Slo): NormalizedRuleBody {
  return {
    id: sloRuleId(slo.id),
    name: `${slo.name} error budget burn`,
    description: `Burn-rate alerts of SLO ${slo.id}: ${slo.target}% over ${windowName(slo.window)}.`,
    severity: 'critical',
    datasource: slo.datasource,
    query: '',
    condition: { kind: 'slo', slo: slo.id },
    for: '0s',
    keepFiringFor: '0s',
    interval: '1m',
    labels: { ...slo.labels, service: slo.service, slo_id: slo.id },
    annotations: {
      summary: `${slo.name}: error budget burning at {{ printf "%.1f" $value }}× ({{ $labels.slo_alert }}, threshold {{ printf "%.3g" $threshold }}×)`,
      description:
        `SLO ${slo.id} (${slo.target}% over ${windowName(slo.window)}) burns its error budget at {{ printf "%.2f" $value }}× ` +
        'over both {{ $labels.slo_window }} and {{ $labels.slo_short_window }}.',
    },
    actions: [],
    noDataState: 'OK',
    execErrState: 'KeepLast',
    missingSeriesEvalsToResolve: 2,
    // Always evaluated: the SLO's status comes from this rule, alerting or not (with both kinds off it
    // has no instances, and no data is normal).
    enabled: true,
  };
}

/** The stored rule record of an SLO's rule, by `user` at `at` (keeps the creation of `existing`). */
export function sloRuleRecord(slo: Slo, user: string, at: number, existing: RuleRecord | null): RuleRecord {
  return {
    id: sloRuleId(slo.id),
    origin: 'api',
    file: null,
    body: sloRuleBody(slo),
    createdAt: existing?.createdAt ?? at,
    createdBy: existing?.createdBy ?? user,
    updatedAt: at,
    updatedBy: user,
    version: (existing?.version ?? 0) + 1,
  };
}
