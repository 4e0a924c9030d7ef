import React from 'react';
import type { SelectableValue } from '@grafana/data';
import { Field, Icon, Input, RadioButtonGroup, Select, Stack } from '@grafana/ui';
import type { RuleOrigin } from '@vigil/core';
import { SEVERITIES, type Severity } from '@vigil/core/rules/types';
import { testIds } from '../../testIds';
import { FILTER_STATES, type RuleFilters, type RuleState } from './ruleRows';
import { TestIdBox } from '../../components/TestIdBox/TestIdBox';

const SEVERITY_OPTIONS: Array<SelectableValue<Severity | 'all'>> = [
  { label: 'All severities', value: 'all' },
  ...SEVERITIES.map((s) => ({ label: s, value: s })),
];
const STATE_OPTIONS: Array<SelectableValue<RuleState | 'all'>> = [
  { label: 'All states', value: 'all' },
  ...FILTER_STATES.map((s) => ({ label: s, value: s })),
];
const ORIGIN_OPTIONS: Array<SelectableValue<RuleOrigin | 'all'>> = [
  { label: 'All', value: 'all' },
  { label: 'Editable', value: 'api' },
  { label: 'From files', value: 'file' },
];

/** Search box and the severity, state and origin filters above the rules table. */
export function RuleFiltersBar({ filters, onChange }: { filters: RuleFilters; onChange(next: RuleFilters): void }) {
  const ids = testIds.rules;
  return (
    <Stack gap={2} alignItems="flex-end" wrap="wrap">
      <Field label="Search" htmlFor="rules-search" noMargin>
        <Input
          id="rules-search"
          data-testid={ids.search}
          prefix={<Icon name="search" />}
          placeholder="Name, query, label=value"
          value={filters.search}
          width={36}
          onChange={(e) => onChange({ ...filters, search: e.currentTarget.value })}
        />
      </Field>
      <Field label="Severity" htmlFor="rules-filter-severity" noMargin>
        <TestIdBox testId={ids.severityFilter}>
          <Select
            inputId="rules-filter-severity"
            width={20}
            options={SEVERITY_OPTIONS}
            value={filters.severity}
            onChange={(v) => onChange({ ...filters, severity: v.value ?? 'all' })}
          />
        </TestIdBox>
      </Field>
      <Field label="State" htmlFor="rules-filter-state" noMargin>
        <TestIdBox testId={ids.stateFilter}>
          <Select
            inputId="rules-filter-state"
            width={20}
            options={STATE_OPTIONS}
            value={filters.state}
            onChange={(v) => onChange({ ...filters, state: v.value ?? 'all' })}
          />
        </TestIdBox>
      </Field>
      <Field label="Origin" noMargin>
        <TestIdBox testId={ids.originFilter}>
          <RadioButtonGroup
            options={ORIGIN_OPTIONS}
            value={filters.origin}
            onChange={(v) => onChange({ ...filters, origin: v ?? 'all' })}
          />
        </TestIdBox>
      </Field>
    </Stack>
  );
}
