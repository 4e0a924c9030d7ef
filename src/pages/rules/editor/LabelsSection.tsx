import React from 'react';
import { Field, FieldSet } from '@grafana/ui';
import { testIds } from '../../../testIds';
import { KeyValueRows } from './KeyValueRows';
import type { SectionProps } from './sectionProps';

/** Labels added to every instance (service, component, team…): routing and grouping use them. */
export function LabelsSection({ values, errors, readOnly, onChange }: SectionProps) {
  const ids = testIds.ruleEditor;
  return (
    <FieldSet label="5. Labels">
      <Field
        label="Labels"
        description="Added to each alert instance; the rule's labels win over the series' own. Routing and grouping use service, component and team."
        invalid={Boolean(errors.labels)}
        error={errors.labels}
      >
        <KeyValueRows
          noun="label"
          rows={values.labels}
          errorOf={(i) => errors[`labels.${i}`]}
          readOnly={readOnly}
          onChange={(rows) => onChange('labels', rows)}
          keyTestId={ids.labelKey}
          valueTestId={ids.labelValue}
          addTestId={ids.addLabel}
        />
      </Field>
    </FieldSet>
  );
}
