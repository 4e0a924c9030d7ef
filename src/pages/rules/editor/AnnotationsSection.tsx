import React from 'react';
import { Field, FieldSet, Input, TextArea } from '@grafana/ui';
import { testIds } from '../../../testIds';
import { KeyValueRows } from './KeyValueRows';
import type { SectionProps } from './sectionProps';

/**
 * Summary and description templates (over `{{ $value }}`, `{{ $threshold }}`, `{{ $labels.x }}`),
 * runbook and dashboard links, and any other annotation.
 */
export function AnnotationsSection({ values, errors, readOnly, onChange }: SectionProps) {
  const ids = testIds.ruleEditor;
  return (
    <FieldSet label="6. Annotations">
      <Field
        label="Summary"
        description="e.g. Error rate {{ $value }} above {{ $threshold }}"
        invalid={Boolean(errors.summary)}
        error={errors.summary}
        disabled={readOnly}
      >
        <Input
          id="rule-summary"
          data-testid={ids.summary}
          value={values.summary}
          onChange={(e) => onChange('summary', e.currentTarget.value)}
        />
      </Field>
      <Field
        label="Description"
        invalid={Boolean(errors.annotationDescription)}
        error={errors.annotationDescription}
        disabled={readOnly}
      >
        <TextArea
          id="rule-annotation-description"
          data-testid={ids.annotationDescription}
          rows={2}
          value={values.annotationDescription}
          onChange={(e) => onChange('annotationDescription', e.currentTarget.value)}
        />
      </Field>
      <Field label="Runbook URL" invalid={Boolean(errors.runbookUrl)} error={errors.runbookUrl} disabled={readOnly}>
        <Input
          id="rule-runbook-url"
          data-testid={ids.runbookUrl}
          type="url"
          placeholder="https://runbooks.example.com/high-error-rate"
          value={values.runbookUrl}
          onChange={(e) => onChange('runbookUrl', e.currentTarget.value)}
        />
      </Field>
      <Field
        label="Dashboard URL"
        invalid={Boolean(errors.dashboardUrl)}
        error={errors.dashboardUrl}
        disabled={readOnly}
      >
        <Input
          id="rule-dashboard-url"
          data-testid={ids.dashboardUrl}
          type="url"
          value={values.dashboardUrl}
          onChange={(e) => onChange('dashboardUrl', e.currentTarget.value)}
        />
      </Field>
      <Field label="Other annotations" invalid={Boolean(errors.customAnnotations)} error={errors.customAnnotations}>
        <KeyValueRows
          noun="annotation"
          rows={values.customAnnotations}
          errorOf={(i) => errors[`customAnnotations.${i}`]}
          readOnly={readOnly}
          onChange={(rows) => onChange('customAnnotations', rows)}
          keyTestId={`${ids.addAnnotation}-key`}
          valueTestId={`${ids.addAnnotation}-value`}
          addTestId={ids.addAnnotation}
        />
      </Field>
    </FieldSet>
  );
}
