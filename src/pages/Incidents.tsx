import React, { useCallback, useState } from 'react';
import { useLocation } from 'react-router';
import { PluginPage } from '@grafana/runtime';
import { Stack, Text } from '@grafana/ui';
import type { IncidentView, StreamEvent } from '@vigil/core';
import { listAnomalies } from '../api/client';
import { listIncidents } from '../api/incidents';
import { useSidecarStream } from '../api/stream';
import type { AnomaliesResponse } from '../api/types';
import { PageError, PageLoading } from '../components/PageState/PageState';
import type { AsyncState } from '../hooks/useAsync';
import { testIds } from '../testIds';
import { AnomalyList } from './incidents/Anomalies';
import { IncidentDetailPage } from './incidents/IncidentDetail';
import { IncidentFilterBar, IncidentTable } from './incidents/IncidentList';
import { applyIncidentEvent, type IncidentFilter, sortIncidents } from './incidents/incidentRows';
import { StreamBadge } from './incidents/StreamBadge';
import { incidentIdFromSearch } from './incidents/urls';
import { useCoalesced, useLiveLoad } from './incidents/useLiveLoad';
import { currentUser } from './notify/user';

const DAY_MS = 24 * 3600 * 1000;
// How many incidents one list shows (newest activity first): a page, not the archive.
const LIST_LIMIT = 200;
const BURST_MS = 300;

/** The default window of the Anomalies section: the last 24 hours, measured at each (re)load. */
function loadLastDay(): Promise<AnomaliesResponse> {
  const to = Date.now();
  return listAnomalies({ from: to - DAY_MS, to });
}

/** The incidents under `filter`, with the time they were read at. "Active" is open and acknowledged. */
async function loadIncidents(filter: IncidentFilter): Promise<{ incidents: IncidentView[]; now: number }> {
  const states = filter === 'active' ? (['open', 'acknowledged'] as const) : filter === 'all' ? [undefined] : [filter];
  const answers = await Promise.all(states.map((state) => listIncidents({ state, limit: LIST_LIMIT })));
  return { incidents: sortIncidents(answers.flatMap((a) => a.incidents)), now: Date.now() };
}

/** A titled part of the page with its own loading and error states (one failing load hides nothing else). */
function Section<T>({
  title,
  label,
  state,
  what,
  onRetry,
  actions,
  children,
}: {
  /** The heading; none where the page title already says it. */
  title?: string;
  label: string;
  state: AsyncState<T>;
  what: string;
  onRetry(): void;
  actions?: React.ReactNode;
  children: (value: T) => React.ReactNode;
}) {
  return (
    <section aria-label={label}>
      <Stack direction="column" gap={1}>
        <Stack justifyContent={title ? 'space-between' : 'flex-end'} alignItems="center" wrap="wrap">
          {title ? <Text element="h3">{title}</Text> : null}
          {actions}
        </Stack>
        {state.status === 'loading' ? <PageLoading text={`Loading ${what}…`} /> : null}
        {state.status === 'error' ? (
          <PageError title={`Could not load ${what}`} error={state.error} onRetry={onRetry} />
        ) : null}
        {state.status === 'done' ? children(state.value) : null}
      </Stack>
    </section>
  );
}

/**
 * The list view: incidents (filtered by state) and, below them, the anomaly events of the last 24
 * hours. Live: an `incident` event updates its row in place, an `alert` of an incident not listed
 * reloads the list, an `anomaly` reloads the anomalies.
 */
function IncidentsOverview() {
  const [filter, setFilter] = useState<IncidentFilter>('active');
  const loadList = useCallback(() => loadIncidents(filter), [filter]);
  const list = useLiveLoad(loadList, filter);
  const anomalies = useLiveLoad(loadLastDay, 'last-day');
  const refreshList = useCoalesced(list.refresh, BURST_MS);
  const refreshAnomalies = useCoalesced(anomalies.refresh, BURST_MS);
  const listed = list.state.status === 'done' ? list.state.value.incidents : [];

  const onEvent = (event: StreamEvent) => {
    if (event.type === 'incident') {
      list.update((v) => ({ incidents: applyIncidentEvent(v.incidents, event.incident, filter), now: Date.now() }));
    } else if (event.type === 'alert') {
      if (event.incidentId && !listed.some((i) => i.id === event.incidentId)) {
        refreshList();
      }
    } else {
      refreshAnomalies();
    }
  };
  const status = useSidecarStream(onEvent, {
    onResync: () => {
      list.refresh();
      anomalies.refresh();
    },
  });

  return (
    <Stack direction="column" gap={4}>
      <Section
        label="Incidents"
        what="incidents"
        state={list.state}
        onRetry={list.retry}
        actions={
          <Stack gap={2} alignItems="center">
            <IncidentFilterBar value={filter} onChange={setFilter} />
            <StreamBadge status={status} />
          </Stack>
        }
      >
        {({ incidents, now }) => <IncidentTable incidents={incidents} now={now} filter={filter} />}
      </Section>
      <div data-testid={testIds.incidents.anomalies}>
        <Section title="Anomalies" label="Anomalies" what="anomalies" state={anomalies.state} onRetry={anomalies.retry}>
          {(response) => <AnomalyList response={response} />}
        </Section>
      </div>
    </Stack>
  );
}

/**
 * The app's "Incidents" page (`/a/vigil-observability-app/incidents`): correlated incidents (open,
 * acknowledged, resolved) with their root cause, and the anomaly events of the last 24 hours; with
 * `?incident=<id>`, one incident's detail. Viewers read; Acknowledge and Resolve are for Editors (the
 * plugin proxy enforces it). Both views update live from the sidecar's stream.
 */
export function Incidents() {
  const [user] = useState(currentUser);
  const { search } = useLocation();
  const id = incidentIdFromSearch(search);
  return (
    <PluginPage>
      <div data-testid={testIds.pages.incidents}>
        {id ? <IncidentDetailPage key={id} id={id} canWrite={user.canWrite} /> : <IncidentsOverview />}
      </div>
    </PluginPage>
  );
}
