import React, { useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, Modal, Stack, Text } from '@grafana/ui';
import type { RulesResponse } from '@vigil/core';
import { deleteRule, listRules } from '../api/rules';
import { PageEmpty, PageError, PageLoading } from '../components/PageState/PageState';
import { useAsync } from '../hooks/useAsync';
import { testIds } from '../testIds';
import { ruleUrls } from './rules/urls';
import { RuleFiltersBar } from './rules/RuleFiltersBar';
import { filterRules, NO_FILTERS, type RuleFilters, type RuleRow } from './rules/ruleRows';
import { RulesTable } from './rules/RulesTable';

/** Asks before deleting; the rule is gone for good (its history stays in the sidecar's store). */
function DeleteModal({
  row,
  onConfirm,
  onDismiss,
  busy,
}: {
  row: RuleRow;
  onConfirm(): void;
  onDismiss(): void;
  busy: boolean;
}) {
  return (
    <Modal title={`Delete "${row.name}"?`} isOpen onDismiss={onDismiss}>
      <Text>The rule stops being evaluated and its alert instances are resolved. This cannot be undone.</Text>
      <Modal.ButtonRow>
        <Button variant="secondary" onClick={onDismiss}>
          Cancel
        </Button>
        <Button variant="destructive" data-testid={testIds.rules.confirmDelete} onClick={onConfirm} disabled={busy}>
          {busy ? 'Deleting…' : 'Delete'}
        </Button>
      </Modal.ButtonRow>
    </Modal>
  );
}

/** The loaded list: filters, a summary line and the table, or the empty state. */
export function RulesView({ response, onReload }: { response: RulesResponse; onReload(): void }) {
  const navigate = useNavigate();
  const { search } = useLocation();
  // `?search=` (an incident's link to an alert's rule, by its name) starts the list filtered.
  const [filters, setFilters] = useState<RuleFilters>(() => ({
    ...NO_FILTERS,
    search: new URLSearchParams(search).get('search') ?? '',
  }));
  const [deleting, setDeleting] = useState<RuleRow | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<Error | null>(null);
  const rows = useMemo(() => filterRules(response.rules, filters), [response.rules, filters]);

  if (response.rules.length === 0) {
    return (
      <PageEmpty title="No alert rules yet">
        Create one with the button above, or put rule files in the sidecar&apos;s rules folder.
      </PageEmpty>
    );
  }
  const confirmDelete = async () => {
    if (!deleting) {
      return;
    }
    setBusy(true);
    try {
      await deleteRule(deleting.id);
      setDeleting(null);
      setDeleteError(null);
      onReload();
    } catch (e) {
      setDeleteError(e instanceof Error ? e : new Error(String(e)));
      setDeleting(null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack direction="column" gap={2}>
      <RuleFiltersBar filters={filters} onChange={setFilters} />
      {deleteError ? (
        <Alert severity="error" title="Could not delete the rule" onRemove={() => setDeleteError(null)}>
          {deleteError.message}
        </Alert>
      ) : null}
      <span data-testid={testIds.rules.summary}>
        <Text color="secondary">
          {rows.length === response.rules.length
            ? `${rows.length} ${rows.length === 1 ? 'rule' : 'rules'}`
            : `${rows.length} of ${response.rules.length} rules match the filters`}
        </Text>
      </span>
      {rows.length > 0 ? (
        <RulesTable
          rows={rows}
          actions={{
            onEdit: (row) => navigate(ruleUrls.edit(row.id)),
            onDuplicate: (row) => navigate(ruleUrls.duplicate(row.id)),
            onDelete: setDeleting,
          }}
        />
      ) : (
        <Text color="secondary">No rule matches the filters.</Text>
      )}
      {deleting ? (
        <DeleteModal row={deleting} busy={busy} onConfirm={confirmDelete} onDismiss={() => setDeleting(null)} />
      ) : null}
    </Stack>
  );
}

/** The app's "Alert rules" page (`/a/vigil-observability-app/rules`): every rule with its state. */
export function AlertRules() {
  const navigate = useNavigate();
  const [state, reload] = useAsync(listRules);
  const create = (
    <Button icon="plus" data-testid={testIds.rules.create} onClick={() => navigate(ruleUrls.create())}>
      New alert rule
    </Button>
  );
  return (
    <PluginPage>
      <div data-testid={testIds.pages.rules}>
        <Stack justifyContent="flex-end">{create}</Stack>
        {state.status === 'loading' ? <PageLoading text="Loading alert rules…" /> : null}
        {state.status === 'error' ? (
          <PageError title="Could not load alert rules" error={state.error} onRetry={reload} />
        ) : null}
        {state.status === 'done' ? <RulesView response={state.value} onReload={reload} /> : null}
      </div>
    </PluginPage>
  );
}
