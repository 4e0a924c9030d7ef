import React, { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { PluginPage } from '@grafana/runtime';
import { Button, Stack } from '@grafana/ui';
import { listSlos } from '../api/slos';
import { PageError, PageLoading } from '../components/PageState/PageState';
import { useAsync } from '../hooks/useAsync';
import { testIds } from '../testIds';
import { currentUser } from './notify/user';
import { SloDetailPage } from './slos/SloDetail';
import { SloEditorPage } from './slos/SloEditorPage';
import { SloTable } from './slos/SloList';
import { sloUrls, sloViewFromSearch } from './slos/urls';

/** The list view: every SLO with its status, least budget remaining first; New SLO for Editors. */
function SloOverview({ canWrite }: { canWrite: boolean }) {
  const navigate = useNavigate();
  const [state, reload] = useAsync(listSlos);
  return (
    <Stack direction="column" gap={2}>
      <Stack justifyContent="flex-end" gap={1}>
        <Button variant="secondary" icon="sync" onClick={reload}>
          Refresh
        </Button>
        {canWrite ? (
          <Button icon="plus" data-testid={testIds.slos.create} onClick={() => navigate(sloUrls.create())}>
            New SLO
          </Button>
        ) : null}
      </Stack>
      {state.status === 'loading' ? <PageLoading text="Loading SLOs…" /> : null}
      {state.status === 'error' ? <PageError title="Could not load SLOs" error={state.error} onRetry={reload} /> : null}
      {state.status === 'done' ? <SloTable slos={state.value} /> : null}
    </Stack>
  );
}

/**
 * The app's "SLOs" page (`/a/vigil-observability-app/slos`): the SLOs with their error budgets and
 * burn rates; `?slo=<id>` one SLO's detail (burn-rate alerts, generated Prometheus rules), `?edit=<id>`
 * and `?new` the editor. Viewers read; writes are for Editors (the plugin proxy enforces it).
 */
export function Slos() {
  const [user] = useState(currentUser);
  const view = sloViewFromSearch(useLocation().search);
  const key = view.kind === 'list' || view.kind === 'new' ? view.kind : `${view.kind}:${view.id}`;
  return (
    <PluginPage>
      <div data-testid={testIds.pages.slos} key={key}>
        {view.kind === 'list' ? <SloOverview canWrite={user.canWrite} /> : null}
        {view.kind === 'detail' ? <SloDetailPage id={view.id} canWrite={user.canWrite} /> : null}
        {view.kind === 'edit' ? <SloEditorPage id={view.id} /> : null}
        {view.kind === 'new' ? <SloEditorPage /> : null}
      </div>
    </PluginPage>
  );
}
