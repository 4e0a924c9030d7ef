/**
 * Correlation in the dispatcher (issue 11): before an inbox batch is routed, each new firing alert is
 * correlated (core `correlate`) with the alerts of unresolved incidents and of the last window; it
 * joins or opens an incident, and a suppressed alert is recorded but not routed. A routed alert carries
 * its incident in the `vigil_incident` label, and the groups of a route are formed per incident, so an
 * incident — not each alert — pages (one PagerDuty dedup_key per incident and channel). The incident
 * writes go into the same `commitIngest` transaction as the routing they decide.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { CorrelationAlert, Topology } from '@vigil/core';
import type { CorrelationSettings } from '../../config/correlationSchema';
import type {
  IncidentAlertRecord,
  IncidentRecord,
  IncidentStore,
  IncidentTimelineRecord,
  IncidentWrites,
} from '../../store/incidentStore';
import type { InboxEntry } from '../../store/notifyStore';
import { Model } from './correlationModel';
import { keptFor, sameAlert, sameIncident, sameVersion, severityOf, snapshot, withStatus } from './correlationRecords';
import { refresh } from './incidentSummary';

/** The label naming a routed alert's incident (its groups are formed by it). */
export const INCIDENT_LABEL = 'vigil_incident';

/** What correlating a batch decided. */
export interface CorrelatedBatch {
  /** The entries, alerts of incidents labelled with {@link INCIDENT_LABEL}. */
  entries: InboxEntry[];
  /** Fingerprints of suppressed firing alerts: recorded in their incident, not routed. */
  suppressed: Set<string>;
  /**
   * Labels each alert of an incident is grouped on: those of the alert that opened the incident, so
   * alerts that join it land in its groups (it pages once per channel) while alerts that open
   * incidents group as Alertmanager would group them (by the route's group_by).
   */
  groupingLabels: Map<string, Record<string, string>>;
  writes: IncidentWrites;
  /**
   * The incidents the batch opened or changed, each with all its alerts (by start, then fingerprint),
   * as its writes leave them: what the live stream publishes once they committed, without reading
   * them back. Call it before the next batch (which changes the alerts it lists).
   */
  incidents(): Array<{ incident: IncidentRecord; alerts: IncidentAlertRecord[] }>;
  /**
   * The same, each incident's alerts in no particular order: the live stream's incident event needs
   * only their counts and services, and sorting a storm's 10k-alert incident per batch is waste.
   */
  touched(): Array<{ incident: IncidentRecord; alerts: IncidentAlertRecord[] }>;
}

/**
 * A new incident id: the creation time (ms, base 36, sortable) and 48 random bits, 17 characters. Short
 * and time-ordered rather than a UUID: it leads the keys of the incident alert and timeline indexes,
 * which a storm writes all over in every batch — half the bytes written per commit.
 */
export function newIncidentId(now = Date.now()): string {
  return `${Math.max(0, Math.floor(now)).toString(36).padStart(9, '0')}${randomBytes(6).toString('base64url')}`;
}

/**
 * The labels with {@link INCIDENT_LABEL} set. Copied by `Object.assign`, then set: a spread with a
 * computed key took the slow path per alert (the costliest line of a batch's loop; ~10× slower).
 */
function withIncident(labels: Record<string, string>, incidentId: string): Record<string, string> {
  const out: Record<string, string> = Object.assign({}, labels);
  out[INCIDENT_LABEL] = incidentId;
  return out;
}

/**
 * Correlates a batch: decides entry by entry (each seeing the ones before it), and returns the
 * labelled entries, the suppressed ones and the incident writes. Timeline ids derive from the inbox
 * entry, so a batch replayed after a crash writes nothing twice. The incidents and the index over the
 * candidates are kept between batches (correlationModel.ts), reloaded only when the store's
 * `correlationVersion` is not the one the last batch's writes leave (they did not commit, or anything
 * else wrote incidents since); each decision looks at the alerts that can correlate, not the window;
 * only the incident alerts the batch set are written.
 */
export async function correlateBatch(
  entries: readonly InboxEntry[],
  store: Pick<IncidentStore, 'correlationCandidates' | 'getIncident' | 'correlationVersion'>,
  settings: CorrelationSettings,
  topology: Topology,
  now: number,
  newId: () => string = () => newIncidentId(now)
): Promise<CorrelatedBatch> {
  const cfg = settings.config;
  const since = now - cfg.windowMs;
  const kept = keptFor(store, topology, settings);
  const version = await store.correlationVersion();
  const current = sameVersion(kept.version, version) ? kept.model : null;
  // Until this batch is done the kept state is nobody's: one that throws leaves it half-changed.
  kept.model = null;
  kept.version = null;
  const model = current ?? new Model(await store.correlationCandidates(since), topology, cfg);
  model.begin(since);
  const timeline: IncidentTimelineRecord[] = [];
  const touched = new Set<string>();
  const opened = new Set<string>();
  const reopened = new Set<string>();
  const suppressed = new Set<string>();
  const note = (incidentId: string, e: InboxEntry, kind: IncidentTimelineRecord['kind'], message: string) =>
    // From the inbox id (an entry notes one incident, each kind once): a replayed batch writes the same
    // ids (ignored), and they sort in push order. Growing with time, they are appended to the key's
    // index instead of spread over it (an incident id first made them random inserts).
    timeline.push({ id: `${e.id}:${kind}`, incidentId, at: now, kind, message, user: null });
  const out: InboxEntry[] = [];
  for (const e of entries) {
    const a = e.alert;
    const name = a.labels.alertname ?? a.fingerprint;
    let incidentId = model.incidentOf.get(a.fingerprint);
    if (a.status === 'firing' && incidentId === undefined) {
      const reopening = model.reopen(a.fingerprint, since, store);
      incidentId = reopening === undefined ? undefined : await reopening;
      if (incidentId !== undefined) {
        reopened.add(incidentId);
        note(incidentId, e, 'reopened', `reopened: ${name} fired again`);
      }
    }
    if (a.status === 'firing') {
      let record: IncidentAlertRecord;
      if (incidentId === undefined) {
        const candidate: CorrelationAlert = {
          fingerprint: a.fingerprint,
          labels: a.labels,
          severity: severityOf(a.labels),
          startsAt: a.startsAt,
          status: 'firing',
          incidentId: null,
          suppressed: false,
        };
        const d = model.index.decide(candidate);
        incidentId = d.incidentId ?? newId();
        if (d.incidentId === null) {
          opened.add(incidentId);
          model.add({
            id: incidentId,
            title: name,
            state: 'open',
            severity: candidate.severity,
            rootCause: { fingerprint: a.fingerprint, service: null, reason: 'first alert' },
            openedAt: now,
            updatedAt: now,
            acknowledgedAt: null,
            acknowledgedBy: null,
            resolvedAt: null,
            resolvedBy: null,
          });
          note(incidentId, e, 'opened', `opened by ${name}`);
        } else if (d.suppressed) {
          note(incidentId, e, 'alert_suppressed', `${name} suppressed (${d.suppressed.kind.replace('_', ' ')})`);
        } else {
          note(incidentId, e, 'alert_joined', `${name} joined (${d.reason?.kind.replace('_', ' ') ?? 'correlated'})`);
        }
        record = snapshot(e, incidentId, d.suppressed ? 'suppressed' : 'member', d.reason, d.suppressed, now);
      } else {
        const before = model.alerts.get(incidentId)!.get(a.fingerprint)!;
        // A firing alert sent again as it was (Alertmanager and Prometheus re-send them): nothing to
        // write, the incident unchanged.
        record = sameAlert(before, a)
          ? before
          : snapshot(e, incidentId, before.role, before.correlation, before.suppression, before.joinedAt);
      }
      if (record !== model.alerts.get(incidentId)!.get(a.fingerprint)) {
        model.set(record);
        touched.add(incidentId);
      }
      if (record.role === 'suppressed') {
        suppressed.add(a.fingerprint);
      }
    } else if (incidentId !== undefined) {
      const before = model.alerts.get(incidentId)!.get(a.fingerprint)!;
      if (
        before.status === 'resolved' &&
        (a.endsAt === null || a.endsAt === before.endsAt) &&
        model.anyFiring(incidentId)
      ) {
        // Its resolution sent again: already recorded (and the root cause's recovery noted once).
        // Not when nothing fires any more: the incident is refreshed (it may be due to resolve).
        out.push({ ...e, alert: { ...a, labels: withIncident(a.labels, incidentId) } });
        continue;
      }
      model.set(withStatus(before, 'resolved', a.endsAt ?? now), true);
      // The timeline tells when the root cause recovered; the others' ends are on their alerts (one
      // entry per resolving alert was a third of a storm's incident writes, read by nobody).
      if (model.incidents.get(incidentId)?.rootCause.fingerprint === a.fingerprint) {
        note(incidentId, e, 'alert_resolved', `${name} resolved (root cause)`);
      }
      touched.add(incidentId);
    }
    out.push(incidentId === undefined ? e : { ...e, alert: { ...a, labels: withIncident(a.labels, incidentId) } });
  }
  const groupingLabels = new Map<string, Record<string, string>>();
  const openers = new Map<string, IncidentAlertRecord | undefined>();
  for (const e of out) {
    const id = e.alert.labels[INCIDENT_LABEL];
    if (id !== undefined && !openers.has(id)) {
      openers.set(id, model.openerOf(id));
    }
    const opener = id === undefined ? undefined : openers.get(id);
    if (opener && opener.fingerprint !== e.alert.fingerprint) {
      groupingLabels.set(e.alert.fingerprint, opener.labels);
    }
  }
  const token = randomUUID();
  const writes: IncidentWrites = {
    incidents: [],
    alerts: [...model.changed.values()],
    statuses: [...model.statusChanged.values()].map(({ incidentId, fingerprint, status, endsAt }) => ({
      incidentId,
      fingerprint,
      status,
      endsAt,
    })),
    timeline,
    token,
  };
  const views: Array<[IncidentRecord, ReadonlyMap<string, IncidentAlertRecord>]> = [];
  for (const id of touched) {
    const before = model.incidents.get(id)!;
    let incident = refresh(model, id, topology, settings, now, opened.has(id), (kind, message) =>
      // After the batch's entries of the same time: inbox ids start with a digit, '~' sorts after them.
      timeline.push({ id: `~${now}:${id}:${kind}`, incidentId: id, at: now, kind, message, user: null })
    );
    if (opened.has(id) || reopened.has(id) || !sameIncident(before, incident)) {
      writes.incidents.push(incident);
    } else {
      // Alerts only resolved or fired again (no join, the incident still open): its record would
      // differ in updatedAt alone — half a storm's incident upserts. It stays as stored.
      incident = before;
      model.incidents.set(id, before);
    }
    views.push([incident, model.alerts.get(id)!]);
  }
  for (const [i] of views) {
    if (i.state === 'resolved') {
      model.retire(i.id, since);
    }
  }
  // Current once these writes commit (their token is then the store's last), and while nothing else writes.
  kept.model = model;
  kept.version = { others: version.others, token };
  const incidents = () =>
    views.map(([incident, alerts]) => ({
      incident,
      alerts: [...alerts.values()].sort(
        (x, y) =>
          x.startsAt - y.startsAt || (x.fingerprint < y.fingerprint ? -1 : x.fingerprint > y.fingerprint ? 1 : 0)
      ),
    }));
  const touchedIncidents = () => views.map(([incident, alerts]) => ({ incident, alerts: [...alerts.values()] }));
  return { entries: out, suppressed, groupingLabels, writes, incidents, touched: touchedIncidents };
}

/**
 * Resolves the incidents `keepFiringFor` held open (every alert resolved, the page still held) once
 * the hold is over: the page resolves at the next flush, the incident with it. The dispatcher calls it
 * after each pass's flushes, between inbox batches (never while one is being committed). Returns what
 * it resolved, as {@link CorrelatedBatch.incidents} does (for the live stream).
 */
export async function resolveHeld(
  store: Pick<IncidentStore, 'correlationCandidates' | 'getIncident' | 'correlationVersion' | 'commitIncidents'>,
  settings: CorrelationSettings,
  topology: Topology,
  now: number
): Promise<Array<{ incident: IncidentRecord; alerts: IncidentAlertRecord[] }>> {
  const kept = keptFor(store, topology, settings);
  if (settings.keepFiringForMs <= 0 || (kept.model !== null && kept.model.held.size === 0)) {
    return [];
  }
  const since = now - settings.config.windowMs;
  const version = await store.correlationVersion();
  const current = sameVersion(kept.version, version) ? kept.model : null;
  kept.model = null;
  kept.version = null;
  const model = current ?? new Model(await store.correlationCandidates(since), topology, settings.config);
  model.begin(since);
  const due = [...model.held].filter((id) => model.lastEnd(id, now) + settings.keepFiringForMs <= now);
  if (due.length === 0) {
    kept.model = model;
    kept.version = version;
    return [];
  }
  const timeline: IncidentTimelineRecord[] = [];
  const out: Array<{ incident: IncidentRecord; alerts: IncidentAlertRecord[] }> = [];
  for (const id of due) {
    const incident = refresh(model, id, topology, settings, now, false, (kind, message) =>
      timeline.push({ id: `~${now}:${id}:${kind}`, incidentId: id, at: now, kind, message, user: null })
    );
    out.push({ incident, alerts: [...model.alerts.get(id)!.values()] });
  }
  const token = randomUUID();
  await store.commitIncidents({ incidents: out.map((o) => o.incident), alerts: [], timeline, token });
  for (const { incident } of out) {
    if (incident.state === 'resolved') {
      model.retire(incident.id, since);
    }
  }
  kept.model = model;
  kept.version = { others: version.others, token };
  return out;
}
