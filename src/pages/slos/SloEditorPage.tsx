import React from 'react';
import { useNavigate } from 'react-router';
import { Text } from '@grafana/ui';
import { listDatasources } from '../../api/rules';
import { getSlo, type SloView } from '../../api/slos';
import { PageError, PageLoading } from '../../components/PageState/PageState';
import { useAsync } from '../../hooks/useAsync';
import { defaultSloForm, sloFormFromSpec } from './sloForm';
import { SloForm } from './SloForm';
import { sloUrls } from './urls';

/**
 * The SLO and the datasource names together. The datasource list is optional: without it the form
 * takes the name as text (the sidecar still checks it).
 */
async function loadEditor(id: string | undefined): Promise<{ slo?: SloView; datasources: string[] }> {
  const [slo, datasources] = await Promise.all([
    id ? getSlo(id) : Promise.resolve(undefined),
    listDatasources().then(
      (r) => r.datasources.map((d) => d.name),
      () => []
    ),
  ]);
  return { slo, datasources };
}

/** The editor of a new SLO (`id` undefined) or of an existing one. */
export function SloEditorPage({ id }: { id?: string }) {
  const navigate = useNavigate();
  const [state, reload] = useAsync(() => loadEditor(id));
  if (state.status === 'loading') {
    return <PageLoading text="Loading the SLO editor…" />;
  }
  if (state.status === 'error') {
    return <PageError title="Could not open the SLO editor" error={state.error} onRetry={reload} />;
  }
  const { slo, datasources } = state.value;
  return (
    <>
      <Text element="h2">{slo ? `Edit SLO: ${slo.name}` : 'New SLO'}</Text>
      <SloForm
        initial={slo ? sloFormFromSpec(slo.spec) : defaultSloForm(datasources[0] ?? '')}
        existing={slo ? { id: slo.id, version: slo.version, spec: slo.spec } : undefined}
        datasources={datasources}
        onSaved={(saved) => navigate(sloUrls.detail(saved.id))}
        onCancel={() => navigate(slo ? sloUrls.detail(slo.id) : sloUrls.list())}
      />
    </>
  );
}
