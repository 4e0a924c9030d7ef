/**
 * The guide's AlertSummaryWidget options applied to a summary: the severity filter, then grouping by
 * severity or service, then `max_items` over the whole list (most urgent first). Pure.
 */
import { type AlertItem, type AlertSummary, SEVERITIES, summarizeItems } from './summarize';
import type { AlertsGroupBy } from './types';

/** One group of the list: its title and its alerts. */
export interface AlertGroup {
  key: string;
  /** Null when the list is not grouped. */
  title: string | null;
  items: AlertItem[];
}

/** The summary after the severity filter, and the shown items in groups. */
export interface GroupedAlerts {
  summary: AlertSummary;
  groups: AlertGroup[];
  /** How many items are shown (≤ maxItems). */
  shown: number;
}

/**
 * Filters by severity (empty: all), keeps the `maxItems` most urgent, and groups them: by severity in
 * the guide's order, by the `service` label (alerts without one last, as "no service"), or not at all.
 */
export function groupAlerts(
  items: readonly AlertItem[],
  opts: { severities: readonly string[]; maxItems: number; groupBy: AlertsGroupBy }
): GroupedAlerts {
  const filtered = opts.severities.length > 0 ? items.filter((a) => opts.severities.includes(a.severity)) : items;
  const summary = summarizeItems(filtered);
  const top = summary.alerts.slice(0, opts.maxItems);
  let groups: AlertGroup[];
  if (opts.groupBy === 'none') {
    groups = top.length ? [{ key: 'all', title: null, items: top }] : [];
  } else {
    const keyOf = (a: AlertItem) => (opts.groupBy === 'severity' ? a.severity : (a.labels.service ?? ''));
    const byKey = new Map<string, AlertItem[]>();
    for (const a of top) {
      byKey.set(keyOf(a), [...(byKey.get(keyOf(a)) ?? []), a]);
    }
    const keys = [...byKey.keys()].sort((x, y) =>
      opts.groupBy === 'severity'
        ? SEVERITIES.indexOf(x as never) - SEVERITIES.indexOf(y as never)
        : (x === '' ? 1 : 0) - (y === '' ? 1 : 0) || x.localeCompare(y)
    );
    groups = keys.map((k) => ({
      key: k || '(none)',
      title: opts.groupBy === 'service' && k === '' ? 'no service' : k,
      items: byKey.get(k) ?? [],
    }));
  }
  return { summary, groups, shown: top.length };
}
