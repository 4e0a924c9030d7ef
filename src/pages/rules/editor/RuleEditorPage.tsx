import React from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { PluginPage } from '@grafana/runtime';
import { Alert } from '@grafana/ui';
import type { RuleResource } from '@vigil/core';
import { getRule, listDatasources, listDetectors } from '../../../api/rules';
import type { DatasourceInfo, DetectorInfo } from '../../../api/types';
import { PageError, PageLoading } from '../../../components/PageState/PageState';
import { useAsync } from '../../../hooks/useAsync';
import { testIds } from '../../../testIds';
import { ruleUrls } from '../urls';
import { defaultFormValues, duplicateFormValues, type RuleFormValues, toFormValues } from './formModel';
import { RuleForm } from './RuleForm';

/** What the editor needs before it can show the form. */
interface EditorData {
  rule?: RuleResource;
  initial: RuleFormValues;
  datasources: DatasourceInfo[];
  detectors: DetectorInfo[];
}

/**
 * Loads the rule (editing, or the source of a duplicate) and the pickers' lists together. The detector
 * list is optional: a sidecar without detectors (or an older one) still lets threshold rules be edited.
 */
async function loadEditor(id: string | undefined, from: string | undefined): Promise<EditorData> {
  const [rule, datasources, detectors] = await Promise.all([
    id || from ? getRule((id ?? from) as string) : Promise.resolve(undefined),
    listDatasources().then((r) => r.datasources),
    listDetectors().then(
      (r) => r.detectors,
      () => []
    ),
  ]);
  let initial: RuleFormValues;
  if (id && rule) {
    initial = toFormValues(rule);
  } else if (rule) {
    initial = duplicateFormValues(rule);
  } else {
    initial = { ...defaultFormValues(), datasource: datasources[0]?.name ?? '' };
  }
  return { rule: id ? rule : undefined, initial, datasources, detectors };
}

function EditorLoader({ id, from }: { id?: string; from?: string }) {
  const navigate = useNavigate();
  const [state, reload] = useAsync(() => loadEditor(id, from));
  const title = id ? 'Edit alert rule' : from ? 'Duplicate alert rule' : 'New alert rule';
  const rule = state.status === 'done' ? state.value.rule : undefined;
  const readOnly = Boolean(rule && (rule.readOnly || rule.origin === 'file'));
  return (
    <PluginPage pageNav={{ text: readOnly ? `Alert rule: ${rule?.name}` : title }}>
      <div data-testid={testIds.pages.rules}>
        {state.status === 'loading' ? <PageLoading text="Loading the rule editor…" /> : null}
        {state.status === 'error' ? (
          <PageError title="Could not open the rule editor" error={state.error} onRetry={reload} />
        ) : null}
        {state.status === 'done' ? (
          <>
            {readOnly ? (
              <div data-testid={testIds.ruleEditor.readOnlyNotice}>
                <Alert severity="info" title="This rule comes from a rule file and is read-only">
                  It is defined in {rule?.file ?? 'a rule file'} in the sidecar&apos;s rules folder: change it there.
                  You can duplicate it to get an editable copy.
                </Alert>
              </div>
            ) : null}
            <RuleForm
              initial={state.value.initial}
              ruleId={id}
              version={rule?.version}
              readOnly={readOnly}
              datasources={state.value.datasources}
              detectors={state.value.detectors}
              onSaved={() => navigate(ruleUrls.list())}
              onCancel={() => navigate(ruleUrls.list())}
            />
          </>
        ) : null}
      </div>
    </PluginPage>
  );
}

/**
 * The rule editor page: `rules/new` (a new rule, or `?from=<id>` for a duplicate) and `rules/:id/edit`.
 * Keyed on the rule so moving between rules starts from a fresh form.
 */
export function RuleEditorPage() {
  const { id } = useParams();
  const from = new URLSearchParams(useLocation().search).get('from') ?? undefined;
  return <EditorLoader key={`${id ?? ''}|${from ?? ''}`} id={id} from={from} />;
}
