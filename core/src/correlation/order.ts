/** The orders correlation decides by: severity rank and the deterministic tie-break of every choice. */
import { SEVERITIES, type Severity } from '../rules/types';
import type { CorrelationAlert } from './types';

/** 0 for critical … 3 for info; an unknown severity ranks below info. */
export function severityRank(s: Severity): number {
  const i = SEVERITIES.indexOf(s);
  return i < 0 ? SEVERITIES.length : i;
}

/** Earliest start first, then fingerprint: the deterministic order of every tie. */
export function byStartThenFingerprint(
  a: Pick<CorrelationAlert, 'startsAt' | 'fingerprint'>,
  b: Pick<CorrelationAlert, 'startsAt' | 'fingerprint'>
): number {
  if (a.startsAt !== b.startsAt) {
    return a.startsAt - b.startsAt;
  }
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}
