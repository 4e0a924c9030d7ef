/**
 * Ingest: inbox → aggregation groups (Alertmanager's dispatcher `processAlert`). Each inbox entry is
 * merged with the stored alert (an older update never overwrites a newer one), routed, and added to
 * the group of each route it matches; the new alerts, groups and memberships are applied together
 * with the deletion of the inbox rows in one transaction, so an entry is either routed or still
 * waiting — never lost, never applied twice.
 */
import { INCIDENT_LABEL, type CorrelatedBatch } from './correlation';
import { addAlert, flushEarly, groupKey, groupLabels, nextFlushAt, type Route } from '@vigil/core';
import type {
  InboxEntry,
  IngestCommit,
  NotifyAlertRecord,
  NotifyGroupRecord,
  NotifyStore,
} from '../../store/notifyStore';
import type { IncidentWrites } from '../../store/incidentStore';

/** One inbox entry with its routes, group keys and group labels. */
export interface RoutedEntry {
  entry: InboxEntry;
  routes: Array<{ route: Route; key: string; groupLabels: Record<string, string> }>;
}

/**
 * The group key of a correlated alert (one with an incident): its grouping labels (its incident
 * opener's, see correlation.ts) on a receiver, whichever route brought it there. A rule's `actions`
 * route and the tree's severity route are different routes, and Alertmanager would make two groups —
 * two pages, two PagerDuty incidents — of one incident's alerts reaching PagerDuty by both.
 */
export const receiverGroupKey = (route: Route, labels: Record<string, string>): string =>
  `${JSON.stringify(route.receiver)}${groupKey(route, labels).slice(route.id.length)}`;

/**
 * Routes each entry (routing only needs the labels, which the fingerprint fixes). Groups are formed
 * on `groupingLabels(entry)` — the alert's own labels, or with correlation those of the alert that
 * opened its incident, so an incident's alerts share its first alert's groups; a correlated alert's
 * group is keyed by receiver rather than route (receiverGroupKey; the first route to form a group
 * gives it its timers).
 */
export function routeEntries(
  entries: readonly InboxEntry[],
  routesFor: (alert: InboxEntry['alert']) => Route[],
  groupingLabels: (entry: InboxEntry) => Record<string, string> = (e) => e.alert.labels
): RoutedEntry[] {
  return entries.map((entry) => {
    const labels = groupingLabels(entry);
    const correlated = entry.alert.labels[INCIDENT_LABEL] !== undefined;
    const routes: RoutedEntry['routes'] = [];
    const seen = new Set<string>();
    for (const route of routesFor(entry.alert)) {
      const key = correlated ? receiverGroupKey(route, labels) : groupKey(route, labels);
      if (!seen.has(key)) {
        seen.add(key);
        routes.push({ route, key, groupLabels: groupLabels(route, labels) });
      }
    }
    return { entry, routes };
  });
}

function toRecord(a: InboxEntry['alert']): NotifyAlertRecord {
  const { at, ...rest } = a;
  return { ...rest, updatedAt: at };
}

/**
 * What a batch of routed entries changes, given the stored alerts and groups they touch (by
 * fingerprint and key). Pure. Rules, in order of the entries:
 * - an update older than the alert's last one is ignored (its inbox row is still consumed);
 * - a firing update is stored and added to the group of each route (created or reopened by
 *   `addAlert` as of the entry's receive time, which also schedules an old alert's group for an
 *   immediate flush);
 * - a resolved update of a known alert is stored and keeps its memberships, so the next flush of each
 *   group reports it; of an alert the dispatcher never saw firing, it is dropped: nothing to tell;
 * - a firing alert with no route (no configured channel) is not stored;
 * - a firing alert in `rootCauses` (it became its incident's root cause) makes each of its groups that
 *   has notified flush at once: the page names the cause now rather than a group_interval later.
 */
export function planIngest(
  routed: readonly RoutedEntry[],
  storedAlerts: ReadonlyMap<string, NotifyAlertRecord>,
  storedGroups: ReadonlyMap<string, NotifyGroupRecord>,
  now: number,
  rootCauses: ReadonlySet<string> = new Set()
): IngestCommit {
  const alerts = new Map<string, NotifyAlertRecord>();
  const groups = new Map<string, NotifyGroupRecord>();
  const memberships = new Map<string, { groupKey: string; fingerprint: string }>();
  const inboxIds: string[] = [];
  for (const { entry, routes } of routed) {
    inboxIds.push(entry.id);
    const a = entry.alert;
    const known = alerts.get(a.fingerprint) ?? storedAlerts.get(a.fingerprint);
    if (known && a.at < known.updatedAt) {
      continue;
    }
    if (a.status === 'resolved') {
      if (known) {
        alerts.set(a.fingerprint, toRecord(a));
      }
      continue;
    }
    if (routes.length === 0 && !known) {
      continue;
    }
    alerts.set(a.fingerprint, toRecord(a));
    // A group is timed from when its first alert was received, as Alertmanager's is (it processes an
    // alert as it arrives), not from when this step reached the entry: the groups of a storm's later
    // rows are not pushed back by the routing of the earlier ones. Never later than now (clock skew).
    const receivedAt = Math.min(entry.receivedAt, now);
    for (const { route, key, groupLabels: labelsOfGroup } of routes) {
      const before = groups.get(key) ?? storedGroups.get(key);
      // A group keeps the route it was formed by (an incident's group may be reached by another route).
      const routeId = before?.routeId ?? route.id;
      const added = addAlert(before?.state, key, a.startsAt, receivedAt, route);
      const state = rootCauses.has(a.fingerprint) ? flushEarly(added, receivedAt) : added;
      const next = nextFlushAt(state, route);
      memberships.set(`${key}\u0000${a.fingerprint}`, { groupKey: key, fingerprint: a.fingerprint });
      // An alert joining an open group usually leaves the group's row as it is (addAlert returns the
      // same state): the row is then not rewritten, which spares most of an ingest's writes.
      if (
        before !== undefined &&
        state === before.state &&
        next === before.nextFlushAt &&
        before.receiver === route.receiver
      ) {
        continue;
      }
      groups.set(key, {
        key,
        routeId,
        receiver: route.receiver as string,
        groupLabels: labelsOfGroup,
        state,
        nextFlushAt: next,
      });
    }
  }
  const reopened = [...groups.values()]
    .filter((g) => storedGroups.get(g.key)?.state.closed === true && g.state.closed !== true)
    .map((g) => g.key);
  return {
    inboxIds,
    alerts: [...alerts.values()],
    groups: [...groups.values()],
    memberships: [...memberships.values()],
    ...(reopened.length > 0 ? { reopened } : {}),
  };
}

/** The alerts that became their incident's root cause in these writes (a `root_cause` timeline entry). */
export function newRootCauses(writes: IncidentWrites): Set<string> {
  const changed = new Set(writes.timeline.filter((t) => t.kind === 'root_cause').map((t) => t.incidentId));
  const out = new Set<string>();
  for (const i of writes.incidents) {
    if (changed.has(i.id)) {
      out.add(i.rootCause.fingerprint);
    }
  }
  return out;
}

/** What one ingest step did. */
export interface IngestResult {
  /** Inbox entries consumed. */
  entries: number;
  /** Entries by source (for `vigil_notify_alerts_received_total`). */
  bySource: Record<string, number>;
  /** Groups created or changed. */
  groups: number;
  /** Incidents the batch opened or changed (ids), for the live stream. */
  incidents: string[];
  /** The alert updates the batch applied, for the live stream. */
  alerts: Array<{ fingerprint: string; status: 'firing' | 'resolved'; labels: Record<string, string>; at: number }>;
}

/**
 * Reads up to `limit` inbox entries, routes them, and commits the result. Returns what it did;
 * `entries` is 0 when the inbox was empty.
 */
export async function ingestOnce(
  store: NotifyStore,
  routesFor: (alert: InboxEntry['alert']) => Route[],
  now: number,
  limit: number,
  correlate?: (entries: readonly InboxEntry[], now: number) => Promise<CorrelatedBatch>
): Promise<IngestResult> {
  const read = await store.readInbox(limit);
  if (read.length === 0) {
    return { entries: 0, bySource: {}, groups: 0, incidents: [], alerts: [] };
  }
  // Correlation first: a suppressed alert is not routed, and an incident's alerts form its groups.
  const correlated = correlate ? await correlate(read, now) : undefined;
  const entries = correlated?.entries ?? read;
  const routed = routeEntries(
    entries,
    (a) => (correlated?.suppressed.has(a.fingerprint) ? [] : routesFor(a)),
    (e) => correlated?.groupingLabels.get(e.alert.fingerprint) ?? e.alert.labels
  );
  const fingerprints = [...new Set(entries.map((e) => e.alert.fingerprint))];
  // Only firing updates join groups (planIngest): a resolved one needs no group read.
  const keys = [
    ...new Set(routed.flatMap((r) => (r.entry.alert.status === 'resolved' ? [] : r.routes.map((x) => x.key)))),
  ];
  const [alerts, groups] = await Promise.all([
    store.getNotifyAlerts(fingerprints),
    keys.length > 0 ? store.getGroups(keys) : Promise.resolve([]),
  ]);
  const commit = planIngest(
    routed,
    new Map(alerts.map((a) => [a.fingerprint, a])),
    new Map(groups.map((g) => [g.key, g])),
    now,
    correlated ? newRootCauses(correlated.writes) : undefined
  );
  if (correlated) {
    commit.incidents = correlated.writes;
  }
  await store.commitIngest(commit);
  const bySource: Record<string, number> = {};
  for (const e of entries) {
    bySource[e.alert.source] = (bySource[e.alert.source] ?? 0) + 1;
  }
  return {
    entries: entries.length,
    bySource,
    groups: commit.groups.length,
    incidents: correlated ? correlated.writes.incidents.map((i) => i.id) : [],
    alerts: entries.map(({ alert: a }) => ({
      fingerprint: a.fingerprint,
      status: a.status,
      labels: a.labels,
      at: a.at,
    })),
  };
}
