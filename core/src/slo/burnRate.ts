/**
 * Multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs", method 6), stated as
 * budget consumed so any window length works: page when 2% of the budget burns in 1 h (checked over
 * 5 m too, so the page stops soon after the burn does) or 5% in 6 h (30 m); ticket when 10% burns in
 * 1 d (2 h) or in 3 d (6 h). The factor is budget fraction × window / long window: 14.4 / 6 / 3 / 1
 * for 30 days, 13.44 / 5.6 / 2.8 / 0.93 for 28.
 */
import type { Severity } from '../rules/types';
import type { EventCounts } from './types';
import { burnRate, tidy } from './budget';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One burn-rate alert of an SLO. */
export interface BurnRateAlert {
  /** `page_1h`, `page_6h`, `ticket_1d`, `ticket_3d`. */
  name: string;
  kind: 'page' | 'ticket';
  /** The alert's severity in Vigil's routing: critical pages, warning opens a ticket. */
  severity: Severity;
  /** Share of the window's budget that burns in `longWindowMs` at `factor`. */
  budgetFraction: number;
  longWindowMs: number;
  shortWindowMs: number;
  /** The burn rate both windows must reach. */
  factor: number;
}

/** The workbook's four alerts, scaled to a compliance window of `windowMs`. */
export function burnRateAlerts(windowMs: number): BurnRateAlert[] {
  if (!(windowMs > 0)) {
    throw new RangeError(`compliance window must be positive, got ${windowMs} ms`);
  }
  const alert = (
    name: string,
    kind: 'page' | 'ticket',
    budgetFraction: number,
    longWindowMs: number,
    shortWindowMs: number
  ): BurnRateAlert => ({
    name,
    kind,
    severity: kind === 'page' ? 'critical' : 'warning',
    budgetFraction,
    longWindowMs,
    shortWindowMs,
    factor: tidy((budgetFraction * windowMs) / longWindowMs),
  });
  return [
    alert('page_1h', 'page', 0.02, HOUR, 5 * MINUTE),
    alert('page_6h', 'page', 0.05, 6 * HOUR, 30 * MINUTE),
    alert('ticket_1d', 'ticket', 0.1, DAY, 2 * HOUR),
    alert('ticket_3d', 'ticket', 0.1, 3 * DAY, 6 * HOUR),
  ];
}

/** Every distinct window the alerts read, ascending. */
export function alertWindows(alerts: readonly BurnRateAlert[]): number[] {
  return [...new Set(alerts.flatMap((a) => [a.shortWindowMs, a.longWindowMs]))].sort((a, b) => a - b);
}

/** One alert's verdict. */
export interface BurnRateVerdict {
  alert: BurnRateAlert;
  firing: boolean;
  longRate: number | null;
  shortRate: number | null;
  /** Set when the long window had fewer events than the SLO's `minEvents`: it may not fire. */
  lowTraffic: boolean;
}

/**
 * Judges each alert from the event counts of every window it reads (`counts(windowMs)`): firing when
 * both its long and short window burn at least its factor and the long window saw at least
 * `minEvents` events. A window without events burns nothing.
 */
export function evaluateBurnRates(
  alerts: readonly BurnRateAlert[],
  counts: (windowMs: number) => EventCounts,
  target: number,
  minEvents = 0
): BurnRateVerdict[] {
  return alerts.map((alert) => {
    const long = counts(alert.longWindowMs);
    const longRate = burnRate(long, target);
    const shortRate = burnRate(counts(alert.shortWindowMs), target);
    const lowTraffic = long.total < minEvents;
    const firing =
      !lowTraffic && longRate !== null && shortRate !== null && longRate >= alert.factor && shortRate >= alert.factor;
    return { alert, firing, longRate, shortRate, lowTraffic };
  });
}
