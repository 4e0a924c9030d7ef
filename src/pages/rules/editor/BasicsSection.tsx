import React from 'react';
import { Field, FieldSet, Input, RadioButtonGroup, Switch, TextArea } from '@grafana/ui';
import { SEVERITIES, type Severity } from '@vigil/core/rules/types';
import { testIds } from '../../../testIds';
import type { SectionProps } from './sectionProps';
import { TestIdBox } from '../../../components/TestIdBox/TestIdBox';

const SEVERITY_OPTIONS = SEVERITIES.map((s: Severity) => ({ label: s, value: s }));

/** Name, description, the guide's severity, and whether the rule is evaluated at all. */
export function BasicsSection({ values, errors, readOnly, onChange }: SectionProps) {
  const ids = testIds.ruleEditor;
  return (
    <FieldSet label="1. Rule">
      <Field label="Name" required invalid={Boolean(errors.name)} error={errors.name} disabled={readOnly}>
        <Input
          id="rule-name"
          data-testid={ids.name}
          value={values.name}
          placeholder="High error rate"
          onChange={(e) => onChange('name', e.currentTarget.value)}
        />
      </Field>
      <Field label="Description" disabled={readOnly}>
        <TextArea
          id="rule-description"
          data-testid={ids.description}
          rows={2}
          value={values.description}
          onChange={(e) => onChange('description', e.currentTarget.value)}
        />
      </Field>
      <Field
        label="Severity"
        description="The guide's levels: critical pages someone, info only records."
        disabled={readOnly}
      >
        <TestIdBox testId={ids.severity}>
          <RadioButtonGroup
            options={SEVERITY_OPTIONS}
            value={values.severity}
            disabled={readOnly}
            onChange={(v) => onChange('severity', v)}
          />
        </TestIdBox>
      </Field>
      <Field label="Enabled" description="A disabled rule is kept but not evaluated." disabled={readOnly}>
        <Switch
          id="rule-enabled"
          value={values.enabled}
          onChange={(e) => onChange('enabled', e.currentTarget.checked)}
        />
      </Field>
    </FieldSet>
  );
}
