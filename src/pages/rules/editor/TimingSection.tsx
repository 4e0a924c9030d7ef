import React from 'react';
import { Field, FieldSet, Input, Stack } from '@grafana/ui';
import { testIds } from '../../../testIds';
import type { FormField } from './formModel';
import type { SectionProps } from './sectionProps';

const FIELDS: Array<{
  field: FormField & ('forDuration' | 'keepFiringFor' | 'interval');
  label: string;
  help: string;
  id: string;
}> = [
  {
    field: 'interval',
    label: 'Evaluate every',
    help: 'How often the query runs.',
    id: testIds.ruleEditor.interval,
  },
  {
    field: 'forDuration',
    label: 'Pending period (for)',
    help: 'How long the condition must hold before the alert fires; 0s fires at once.',
    id: testIds.ruleEditor.forDuration,
  },
  {
    field: 'keepFiringFor',
    label: 'Keep firing for',
    help: 'How long a firing alert stays firing after the condition stops holding (Recovering).',
    id: testIds.ruleEditor.keepFiringFor,
  },
];

/** Evaluation interval, `for` and `keep_firing_for`: Prometheus durations (30s, 5m, 1h30m). */
export function TimingSection({ values, errors, readOnly, onChange }: SectionProps) {
  return (
    <FieldSet label="4. Timing">
      <Stack gap={2} wrap="wrap" alignItems="flex-start">
        {FIELDS.map(({ field, label, help, id }) => (
          <Field
            key={field}
            label={label}
            description={help}
            invalid={Boolean(errors[field])}
            error={errors[field]}
            disabled={readOnly}
          >
            <Input
              id={`rule-${field}`}
              data-testid={id}
              width={14}
              value={values[field]}
              onChange={(e) => onChange(field, e.currentTarget.value)}
            />
          </Field>
        ))}
      </Stack>
    </FieldSet>
  );
}
