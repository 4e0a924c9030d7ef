/**
 * The rule engine's hand-off to the notification dispatcher: every firing and resolved transition of
 * an evaluation becomes an {@link InboundAlert}, committed to the dispatcher's inbox in the same
 * transaction as the transition itself (so an alert is never notified without being stored, nor
 * stored without being notified).
 */
import type { AlertInstance, RuleSpec, Transition } from '@vigil/core';
import type { InboundAlert } from '../store/notifyStore';

/**
 * The dispatcher's alert updates for one evaluation's transitions. `previous` are the rule's instances
 * before the evaluation, `instances` after it (a resolved instance is usually gone from those: its
 * firing start and annotations come from the previous one).
 */
export function inboundFor(
  rule: Pick<RuleSpec, 'actions'>,
  transitions: readonly Transition[],
  previous: readonly AlertInstance[],
  instances: readonly AlertInstance[]
): InboundAlert[] {
  const events = transitions.filter((t) => t.event);
  if (events.length === 0) {
    return [];
  }
  // Maps, not find(): a rule with 10k series that all fire at once must not cost 10k × 10k.
  const byFp = (list: readonly AlertInstance[]) => new Map(list.map((i) => [i.fingerprint, i]));
  const prev = byFp(previous);
  const next = byFp(instances);
  const out: InboundAlert[] = [];
  for (const t of events) {
    if (!t.event) {
      continue;
    }
    const before = prev.get(t.fingerprint);
    const after = next.get(t.fingerprint);
    const resolved = t.event === 'resolved';
    // Resolved: the alert as it was while firing (Prometheus sends the last firing annotations too).
    const shown = resolved ? (before ?? after) : (after ?? before);
    out.push({
      fingerprint: t.fingerprint,
      source: 'rule',
      status: t.event,
      // `severity` is the instance's (a level or an anomaly's may differ from the rule's), as the
      // alerts API shows it; channels and routes read it from the labels, like Alertmanager's.
      labels: { ...t.labels, severity: t.severity },
      annotations: { ...(shown?.annotations ?? {}) },
      startsAt: (resolved ? before?.firedAt : after?.firedAt) ?? t.at,
      endsAt: resolved ? t.at : null,
      value: t.value,
      threshold: t.threshold,
      actions: [...rule.actions],
      at: t.at,
    });
  }
  return out;
}
