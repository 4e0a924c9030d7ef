/**
 * The figures of the correlation benchmark: per-scenario outcomes, totals, the table and the JSON
 * line's figures. In the JSON, Vigil is `ours`, the best-equivalent Alertmanager `baseline`, the
 * other Alertmanager variants `baseline_cluster` and `baseline_typical`.
 */
import type { Scenario } from './scenarios';
import type { SideScore, VigilIncidents } from './score';
import { SIDE_NAMES, type SideName } from './sides';

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** A side's key in the JSON line. */
export const JSON_KEY: Record<SideName, string> = {
  vigil: 'ours',
  alertmanager: 'baseline',
  alertmanager_cluster: 'baseline_cluster',
  alertmanager_typical: 'baseline_typical',
};

/** One scenario's outcome. */
export interface Outcome {
  scenario: Scenario;
  raw: number;
  sides: Record<SideName, SideScore>;
  /** Vigil's open incidents just before the first alert resolved (what a responder sees in the storm). */
  peak: VigilIncidents;
  /** Vigil's incidents once everything settled. */
  incidents: VigilIncidents;
}

const COLUMN: Record<SideName, string> = {
  alertmanager: 'AM',
  alertmanager_cluster: 'AM[cluster]',
  alertmanager_typical: 'AM[typical]',
  vigil: 'Vigil',
};

/**
 * The outcome table, one row per scenario and a total row: per side pages, notifications (pages and
 * resolves), noise reduction on pages, root cause paged.
 */
export function table(outcomes: Outcome[]): string {
  const head = [
    'scenario',
    'raw',
    ...SIDE_NAMES.flatMap((n) => [`${COLUMN[n]} pages`, 'notif', 'NR', 'root']),
    'Vigil incidents at peak',
  ];
  const yes = (b: boolean) => (b ? 'yes' : 'NO');
  const row = (name: string, raw: number, sc: Record<SideName, SideScore>, inc: string) => [
    name,
    String(raw),
    ...SIDE_NAMES.flatMap((n) => [
      String(sc[n].pages),
      String(sc[n].notifications),
      sc[n].pageNoiseReduction.toFixed(2),
      yes(sc[n].rootCausePaged),
    ]),
    inc,
  ];
  const lines = outcomes.map((o) =>
    row(
      o.scenario.name,
      o.raw,
      o.sides,
      o.peak.incidents === null
        ? 'n/a'
        : `${o.peak.incidents.length} (root ${o.peak.incidents.map((i) => i.rootCause?.service ?? '?').join(',')})`
    )
  );
  const t = totals(outcomes);
  lines.push(row('TOTAL', t.raw, t.sides, ''));
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(head), ...lines.map(fmt)].join('\n');
}

/** Totals over the scenarios (noise reduction over the summed counts). */
export function totals(outcomes: Outcome[]): { raw: number; sides: Record<SideName, SideScore> } {
  const raw = outcomes.reduce((n, o) => n + o.raw, 0);
  const sum = (name: SideName): SideScore => {
    const notifications = outcomes.reduce((n, o) => n + o.sides[name].notifications, 0);
    const pages = outcomes.reduce((n, o) => n + o.sides[name].pages, 0);
    return {
      notifications,
      pages,
      noiseReduction: 1 - notifications / raw,
      pageNoiseReduction: 1 - pages / raw,
      rootCausePaged: outcomes.every((o) => o.sides[name].rootCausePaged),
      pageDelayMin: {},
    };
  };
  return { raw, sides: Object.fromEntries(SIDE_NAMES.map((n) => [n, sum(n)])) as Record<SideName, SideScore> };
}

/** `{ ours: f(vigil), baseline: f(alertmanager), … }`. */
export function perSide<T>(sides: Record<SideName, SideScore>, f: (s: SideScore) => T): Record<string, T> {
  return Object.fromEntries(SIDE_NAMES.map((n) => [JSON_KEY[n], f(sides[n])]));
}

/** The JSON line's per-scenario details. */
export function scenarioDetails(outcomes: Outcome[]): Record<string, unknown> {
  return Object.fromEntries(
    outcomes.map((o) => {
      const v = o.sides.vigil;
      const a = o.sides.alertmanager;
      return [
        o.scenario.name,
        {
          raw_alerts: o.raw,
          root_causes: o.scenario.rootCauses,
          notifications: perSide(o.sides, (s) => s.notifications),
          pages: perSide(o.sides, (s) => s.pages),
          // The fewest pages a side that pages every root cause can send.
          floor_pages: o.scenario.rootCauses.length,
          noise_reduction: r3(v.pageNoiseReduction),
          alertmanager_noise_reduction: r3(a.pageNoiseReduction),
          noise_reductions: perSide(o.sides, (s) => r3(s.pageNoiseReduction)),
          notification_noise_reductions: perSide(o.sides, (s) => r3(s.noiseReduction)),
          root_cause_paged: v.rootCausePaged,
          alertmanager_root_cause_paged: a.rootCausePaged,
          root_cause_paged_by: perSide(o.sides, (s) => s.rootCausePaged),
          page_delay_min: perSide(o.sides, (s) => s.pageDelayMin),
          fewer_than_alertmanager: v.pages < a.pages,
          not_more_than_alertmanager: v.pages <= a.pages && v.notifications <= a.notifications,
          incidents_at_peak: o.peak.incidents,
          root_cause_named_at_peak: o.peak.rootCauseNamed,
          incidents: o.incidents.incidents,
          root_cause_named: o.incidents.rootCauseNamed,
        },
      ];
    })
  );
}
