/** How the SLO page shows an SLO's figures (pure, so the page and its tests agree). */
import type { BudgetStatus } from '@vigil/core';
import type { SloStatusView, SloView } from '../../api/slos';
import { alertingOff } from '../../panels/slo/SidecarSlo';

/** The colour of each budget status: healthy green, warning orange, critical red, exhausted dark red. */
export const BUDGET_COLOURS: Record<BudgetStatus, string> = {
  healthy: 'green',
  warning: 'orange',
  critical: 'red',
  exhausted: 'dark-red',
};

/** A ratio (0.9994) as a percentage with enough digits to tell it from the target ("99.94%"). */
export function formatRatio(r: number | null | undefined, digits = 2): string {
  if (r === null || r === undefined || !Number.isFinite(r)) {
    return '—';
  }
  return `${(r * 100).toFixed(digits)}%`;
}

/** A burn rate ("2.5×"): 1× spends the budget exactly over the window. */
export function formatBurnRate(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) {
    return '—';
  }
  return `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** A span in its two largest units ("1d 12h", "45m", "30s"). */
export function formatSpan(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) {
    return '—';
  }
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  const parts: string[] = [];
  let rest = ms;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 || (parts.length === 0 && name === 's')) {
      parts.push(`${n}${name}`);
      rest -= n * size;
    }
    if (parts.length === 2) {
      break;
    }
    if (parts.length === 1 && n === 0) {
      break;
    }
  }
  return parts.join(' ');
}

/** Time to exhaustion: "—" when nothing burns, "exhausted" when the budget is gone. */
export function formatTimeToExhaustion(s: SloStatusView | null): string {
  if (!s || s.error) {
    return '—';
  }
  if (s.budgetStatus === 'exhausted' || s.budgetRemaining === 0) {
    return 'exhausted';
  }
  return formatSpan(s.timeToExhaustionMs);
}

/** The names of the burn-rate alerts firing now. */
export function firingAlerts(slo: Pick<SloView, 'status' | 'spec'>): string[] {
  // An alert kind turned off raises nothing: its verdict is not "firing" (the detail says "would fire").
  return (slo.status?.burnRates ?? []).filter((b) => b.firing && !alertingOff(slo, b.kind)).map((b) => b.name);
}

/** What the list shows in the status cell: the budget status, `error`, or `pending` before the first evaluation. */
export function statusOf(v: Pick<SloView, 'status'>): BudgetStatus | 'error' | 'pending' {
  if (!v.status) {
    return 'pending';
  }
  if (v.status.error) {
    return 'error';
  }
  return v.status.budgetStatus ?? 'pending';
}

/** The list's order: least budget remaining first, never evaluated (or failing) last, then by id. */
export function sortSlos(slos: readonly SloView[]): SloView[] {
  const key = (v: SloView) => (v.status?.error ? Infinity : (v.status?.budgetRemaining ?? Infinity));
  return [...slos].sort((a, b) => key(a) - key(b) || a.id.localeCompare(b.id));
}

/**
 * Why an SLO has no generated Prometheus rules (the sidecar answers 400 for these), or null when it
 * has them: a timeslice SLI (a query per slice, no event counters) or an InfluxQL one.
 */
export function noPrometheusRulesReason(spec: Record<string, unknown>): string | null {
  const sli = spec.sli as Record<string, unknown> | undefined;
  if (sli && typeof sli === 'object' && 'timeslice' in sli) {
    return 'a timeslice SLI counts good slices, which burn-rate recording rules cannot express';
  }
  if (spec.language === 'influxql') {
    return 'its SLI is InfluxQL; Prometheus rules need PromQL';
  }
  return null;
}
