import React from 'react';
import type { SelectableValue } from '@grafana/data';
import { Field, FieldSet, Input, Select, Stack } from '@grafana/ui';
import { ERROR_HANDLING, type ErrorHandling, NO_DATA_HANDLING, type NoDataHandling } from '@vigil/core/rules/types';
import { testIds } from '../../../testIds';
import type { SectionProps } from './sectionProps';
import { TestIdBox } from '../../../components/TestIdBox/TestIdBox';

// Grafana Alerting's wording for the same choices.
const NO_DATA_LABEL: Record<NoDataHandling, string> = {
  NoData: 'No Data',
  Alerting: 'Alerting',
  OK: 'Normal',
  KeepLast: 'Keep last state',
};
const ERROR_LABEL: Record<ErrorHandling, string> = {
  Error: 'Error',
  Alerting: 'Alerting',
  OK: 'Normal',
  KeepLast: 'Keep last state',
};
const NO_DATA_OPTIONS: Array<SelectableValue<NoDataHandling>> = NO_DATA_HANDLING.map((v) => ({
  label: NO_DATA_LABEL[v],
  value: v,
}));
const ERROR_OPTIONS: Array<SelectableValue<ErrorHandling>> = ERROR_HANDLING.map((v) => ({
  label: ERROR_LABEL[v],
  value: v,
}));

/** Where notifications go (channel names), and what no data or a failing query means. */
export function HandlingSection({ values, errors, readOnly, onChange }: SectionProps) {
  const ids = testIds.ruleEditor;
  return (
    <FieldSet label="7. Actions and no-data / error handling">
      <Field
        label="Notify channels"
        description="Channel names from the sidecar's notification config, comma-separated (e.g. pagerduty-oncall, slack-sre)."
        invalid={Boolean(errors.actions)}
        error={errors.actions}
        disabled={readOnly}
      >
        <Input
          id="rule-actions"
          data-testid={ids.actions}
          value={values.actions}
          onChange={(e) => onChange('actions', e.currentTarget.value)}
        />
      </Field>
      <Stack gap={2} wrap="wrap" alignItems="flex-start">
        <Field label="If the query returns no data" htmlFor="rule-nodata-state" disabled={readOnly}>
          <TestIdBox testId={ids.noDataState}>
            <Select
              inputId="rule-nodata-state"
              aria-label="State if no data"
              width={24}
              options={NO_DATA_OPTIONS}
              value={values.noDataState}
              disabled={readOnly}
              onChange={(v) => onChange('noDataState', v.value ?? 'NoData')}
            />
          </TestIdBox>
        </Field>
        <Field label="If the query fails or times out" htmlFor="rule-error-state" disabled={readOnly}>
          <TestIdBox testId={ids.execErrState}>
            <Select
              inputId="rule-error-state"
              aria-label="State on error"
              width={24}
              options={ERROR_OPTIONS}
              value={values.execErrState}
              disabled={readOnly}
              onChange={(v) => onChange('execErrState', v.value ?? 'Error')}
            />
          </TestIdBox>
        </Field>
        <Field
          label="Resolve a vanished series after"
          description="evaluations without it while others remain"
          invalid={Boolean(errors.missingSeriesEvalsToResolve)}
          error={errors.missingSeriesEvalsToResolve}
          disabled={readOnly}
        >
          <Input
            id="rule-missing-evals"
            width={10}
            inputMode="numeric"
            value={values.missingSeriesEvalsToResolve}
            onChange={(e) => onChange('missingSeriesEvalsToResolve', e.currentTarget.value)}
          />
        </Field>
      </Stack>
    </FieldSet>
  );
}
