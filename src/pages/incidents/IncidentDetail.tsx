import React, { useCallback } from 'react';
import { Badge, Card, Icon, Stack, Text } from '@grafana/ui';
import type { IncidentDetail, StreamEvent } from '@vigil/core';
import { listAnomalies } from '../../api/client';
import type { AnomalyEvent } from '../../api/types';
import { getIncident } from '../../api/incidents';
import { useSidecarStream } from '../../api/stream';
import { PageError, PageLoading } from '../../components/PageState/PageState';
import { testIds } from '../../testIds';
import { AppLink } from './AppLink';
import { formatUtc } from '../anomalyRows';
import { parseTime, relativeTime } from '../notify/channelRows';
import { SEVERITY_COLOR } from '../rules/RulesTable';
import { ContextAnomalies } from './Anomalies';
import { anomaliesAround, anomalyWindow, rootCauseText, toAlertRows, toTimelineRows } from './detailRows';
import { IncidentActions } from './IncidentActions';
import { IncidentAlertTable, IncidentTimeline } from './IncidentAlerts';
import { alertCountText, handledByText } from './incidentRows';
import { INCIDENT_STATE_COLOR } from './IncidentList';
import { StreamBadge } from './StreamBadge';
import { incidentUrls } from './urls';
import { useCoalesced, useLiveLoad } from './useLiveLoad';

const ids = testIds.incidents;
// Events of an alert storm arrive in bursts: one reload per burst.
const BURST_MS = 300;

/** What the detail shows: the incident, the time it was read at, and the anomaly events around it. */
interface Loaded {
  incident: IncidentDetail;
  now: number;
  anomalies: { events: AnomalyEvent[]; error: string | null };
}

async function loadDetail(id: string): Promise<Loaded> {
  const incident = await getIncident(id);
  const now = Date.now();
  // Anomalies are context: the incident still shows when they cannot be read.
  const anomalies = await listAnomalies(anomalyWindow(incident, now)).then(
    (r) => ({ events: anomaliesAround(incident, r.anomalies, now), error: null }),
    (e: unknown) => ({ events: [] as AnomalyEvent[], error: e instanceof Error ? e.message : String(e) })
  );
  return { incident, now, anomalies };
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title}>
      <Stack direction="column" gap={1}>
        <Text element="h3">{title}</Text>
        {children}
      </Stack>
    </section>
  );
}

/** The loaded incident: header, actions, root cause, alerts, timeline and anomalies. */
function DetailView({
  incident,
  now,
  anomalies,
  canWrite,
  onChanged,
}: Loaded & { canWrite: boolean; onChanged(): void }) {
  const alerts = toAlertRows(incident.alerts, incident.rootCause);
  const members = alerts.filter((a) => a.role === 'member');
  const suppressed = alerts.filter((a) => a.role === 'suppressed');
  const root = rootCauseText(incident);
  const handled = handledByText(incident, now);
  return (
    <div data-testid={ids.detail} data-incident-id={incident.id} data-state={incident.state}>
      <Stack direction="column" gap={3}>
        <Stack justifyContent="space-between" alignItems="flex-start" wrap="wrap">
          <Stack direction="column" gap={1}>
            <Stack gap={1} alignItems="center" wrap="wrap">
              <span data-testid={ids.state}>
                <Badge text={incident.state} color={INCIDENT_STATE_COLOR[incident.state]} />
              </span>
              <span data-testid={ids.severity}>
                <Badge text={incident.severity} color={SEVERITY_COLOR[incident.severity] ?? 'blue'} />
              </span>
              <span data-testid={ids.detailTitle}>
                <Text element="h2">{incident.title}</Text>
              </span>
            </Stack>
            <Text color="secondary">
              Opened {formatUtc(parseTime(incident.openedAt))} ({relativeTime(parseTime(incident.openedAt), now)}) ·{' '}
              {alertCountText(incident.alertCount, incident.suppressedCount)} · services{' '}
              {incident.services.join(', ') || '—'}
            </Text>
            {handled ? (
              <span data-testid={ids.handledBy}>
                <Text color="secondary">{handled}</Text>
              </span>
            ) : null}
          </Stack>
          <IncidentActions incidentId={incident.id} state={incident.state} canWrite={canWrite} onDone={onChanged} />
        </Stack>
        <div data-testid={ids.detailRootCause} data-fingerprint={incident.rootCause?.fingerprint ?? ''}>
          <Card noMargin>
            <Card.Heading>
              <span>Likely root cause: {root.what}</span>
            </Card.Heading>
            <Card.Description>
              <span data-testid={ids.rootCauseReason}>{root.why}</span>
            </Card.Description>
          </Card>
        </div>
        <Section title={`Alerts (${members.length})`}>
          <IncidentAlertTable rows={members} suppressed={false} />
        </Section>
        <Section title={`Suppressed — recorded, not notified (${suppressed.length})`}>
          <IncidentAlertTable rows={suppressed} suppressed />
        </Section>
        <Section title="Timeline">
          <IncidentTimeline rows={toTimelineRows(incident.timeline, now)} />
        </Section>
        <Section title="Anomalies around it">
          {anomalies.error ? (
            <Text color="warning">Could not load the anomalies: {anomalies.error}</Text>
          ) : (
            <ContextAnomalies events={anomalies.events} now={now} />
          )}
        </Section>
      </Stack>
    </div>
  );
}

/** Whether a stream event concerns the incident shown. */
export function concernsIncident(event: StreamEvent, id: string): boolean {
  if (event.type === 'incident') {
    return event.incident.id === id;
  }
  // An anomaly may be context of any incident: reloading is cheap, missing it is not.
  return event.type === 'anomaly' || event.incidentId === id;
}

/**
 * One incident (`?incident=<id>`): state, severity, title, who handled it; Acknowledge / Resolve for
 * Editors; the likely root cause and why; member and suppressed alerts with their reasons and links;
 * the timeline; the anomalies of its services around it. Live: reloads when the stream reports a change
 * of it (and every 30 s while the stream is down).
 */
export function IncidentDetailPage({ id, canWrite }: { id: string; canWrite: boolean }) {
  const load = useCallback(() => loadDetail(id), [id]);
  const detail = useLiveLoad(load, id);
  const refreshSoon = useCoalesced(detail.refresh, BURST_MS);
  const status = useSidecarStream(
    (event) => {
      if (concernsIncident(event, id)) {
        refreshSoon();
      }
    },
    { onResync: detail.refresh }
  );
  return (
    <Stack direction="column" gap={2}>
      <Stack justifyContent="space-between" alignItems="center">
        <AppLink data-testid={ids.back} to={incidentUrls.list()}>
          <Icon name="arrow-left" /> All incidents
        </AppLink>
        <StreamBadge status={status} />
      </Stack>
      {detail.state.status === 'loading' ? <PageLoading text="Loading the incident…" /> : null}
      {detail.state.status === 'error' ? (
        <PageError title="Could not load the incident" error={detail.state.error} onRetry={detail.retry} />
      ) : null}
      {detail.state.status === 'done' ? (
        <DetailView {...detail.state.value} canWrite={canWrite} onChanged={detail.refresh} />
      ) : null}
    </Stack>
  );
}
