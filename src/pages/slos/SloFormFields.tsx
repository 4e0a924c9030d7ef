/** The SLO editor's inputs, grouped as the spec is: basics, window, SLI, alerting (see SloForm). */
import React from 'react';
import { Field, FieldSet, Input, RadioButtonGroup, Stack, Switch } from '@grafana/ui';
import { TestIdBox } from '../../components/TestIdBox/TestIdBox';
import { testIds } from '../../testIds';
import type { SloFormErrors, SloFormField, SloFormValues } from './sloForm';

/** What every section gets. */
export interface SectionProps {
  values: SloFormValues;
  errors: SloFormErrors;
  onChange<K extends SloFormField>(field: K, value: SloFormValues[K]): void;
  /** Editing an existing SLO: its id is fixed. */
  editing: boolean;
  datasources: string[];
}

const fieldId = (f: SloFormField) => `${testIds.slos.fieldPrefix}${f}`;

/** A labelled text input bound to one form field, its error under it. */
function TextInput(
  props: SectionProps & {
    field: SloFormField;
    label: string;
    description?: string;
    placeholder?: string;
    disabled?: boolean;
  }
) {
  const { field, label, values, errors, onChange } = props;
  return (
    <Field
      label={label}
      description={props.description}
      invalid={Boolean(errors[field])}
      error={errors[field]}
      disabled={props.disabled}
    >
      <Input
        // Explicit ids: inside a Field, Grafana 13 gives every input the Field's id otherwise.
        id={fieldId(field)}
        data-testid={fieldId(field)}
        value={String(values[field])}
        placeholder={props.placeholder}
        onChange={(e) => onChange(field, e.currentTarget.value as never)}
      />
    </Field>
  );
}

/** A labelled choice among a few options. */
function Choice<K extends SloFormField>(
  props: SectionProps & {
    field: K;
    label: string;
    options: Array<{ label: string; value: SloFormValues[K] }>;
    /** A problem to show here instead of the field's own (one that belongs to no visible input). */
    error?: string;
  }
) {
  const { field, label, values, errors, onChange } = props;
  const error = props.error ?? errors[field];
  return (
    <Field label={label} invalid={Boolean(error)} error={error}>
      <TestIdBox testId={fieldId(field)}>
        <RadioButtonGroup
          id={fieldId(field)}
          options={props.options}
          value={values[field]}
          onChange={(v) => onChange(field, v)}
        />
      </TestIdBox>
    </Field>
  );
}

/** Id, name, service, target, description, datasource. */
export function BasicsFields(p: SectionProps) {
  return (
    <FieldSet label="1. SLO">
      <TextInput {...p} field="id" label="Id" description="Lower-case letters, digits, _ and -" disabled={p.editing} />
      <TextInput {...p} field="name" label="Name" />
      <TextInput {...p} field="service" label="Service" />
      <TextInput {...p} field="target" label="Target (%)" description="Such as 99.9" />
      <TextInput {...p} field="description" label="Description" />
      {p.datasources.length > 0 ? (
        <Choice
          {...p}
          field="datasource"
          label="Datasource"
          options={p.datasources.map((d) => ({ label: d, value: d }))}
        />
      ) : (
        <TextInput {...p} field="datasource" label="Datasource" />
      )}
    </FieldSet>
  );
}

/** Rolling (a duration) or calendar (week / month / quarter in a time zone). */
export function WindowFields(p: SectionProps) {
  return (
    <FieldSet label="2. Compliance window">
      <Choice
        {...p}
        field="windowKind"
        label="Window"
        options={[
          { label: 'Rolling', value: 'rolling' },
          { label: 'Calendar', value: 'calendar' },
        ]}
      />
      {p.values.windowKind === 'rolling' ? (
        <TextInput {...p} field="windowDuration" label="Duration" description="Such as 30d or 28d" />
      ) : (
        <Stack gap={2}>
          <Choice
            {...p}
            field="calendarUnit"
            // The sidecar names a bad window `window`: with a calendar window, it is about these inputs.
            error={p.errors.calendarUnit ?? p.errors.windowDuration}
            label="Calendar"
            options={[
              { label: 'Week', value: 'week' },
              { label: 'Month', value: 'month' },
              { label: 'Quarter', value: 'quarter' },
            ]}
          />
          <TextInput {...p} field="timeZone" label="Time zone" description="IANA, such as Europe/Berlin" />
        </Stack>
      )}
    </FieldSet>
  );
}

/** The SLI: ratio (good or bad over total), latency (histogram under a threshold) or timeslice. */
export function SliFields(p: SectionProps) {
  const v = p.values;
  const windowHint = 'Use $__range where the window goes, e.g. sum(increase(x_total[$__range]))';
  return (
    <FieldSet label="3. Indicator (SLI)">
      <Choice
        {...p}
        field="sliKind"
        label="Kind"
        options={[
          { label: 'Ratio', value: 'ratio' },
          { label: 'Latency', value: 'latency' },
          { label: 'Timeslice', value: 'timeslice' },
        ]}
      />
      {v.sliKind === 'ratio' ? (
        <>
          <Choice
            {...p}
            field="ratioMode"
            label="Count"
            options={[
              { label: 'Good events', value: 'good' },
              { label: 'Bad events', value: 'bad' },
            ]}
          />
          <TextInput
            {...p}
            field="ratioEvents"
            label={v.ratioMode === 'good' ? 'Good query' : 'Bad query'}
            description={windowHint}
          />
          <TextInput {...p} field="ratioTotal" label="Total query" description={windowHint} />
        </>
      ) : null}
      {v.sliKind === 'latency' ? (
        <>
          <TextInput {...p} field="histogram" label="Histogram" description="The metric name without _bucket" />
          <TextInput {...p} field="matchers" label="Matchers" placeholder={'service="api"'} />
          <TextInput {...p} field="latencyThreshold" label="Threshold" description="Such as 500ms (a bucket bound)" />
        </>
      ) : null}
      {v.sliKind === 'timeslice' ? (
        <>
          <TextInput {...p} field="sliceQuery" label="Query" />
          <Choice
            {...p}
            field="sliceOp"
            label="A slice is good when the value is"
            options={(['<', '<=', '>', '>='] as const).map((op) => ({ label: op, value: op }))}
          />
          <TextInput {...p} field="sliceThreshold" label="Threshold" />
          <TextInput {...p} field="slice" label="Slice" description="Such as 5m" />
        </>
      ) : null}
    </FieldSet>
  );
}

/** Which burn-rate alerts to raise, and the traffic below which they stay quiet. */
export function AlertingFields(p: SectionProps) {
  const toggle = (field: 'alertPage' | 'alertTicket', label: string, description: string) => (
    <Field label={label} description={description} invalid={Boolean(p.errors[field])} error={p.errors[field]}>
      <Switch
        id={fieldId(field)}
        data-testid={fieldId(field)}
        value={p.values[field]}
        onChange={(e) => p.onChange(field, e.currentTarget.checked)}
      />
    </Field>
  );
  return (
    <FieldSet label="4. Alerting">
      {toggle('alertPage', 'Page', 'Fast burn: 14.4× over 1h and 6× over 6h')}
      {toggle('alertTicket', 'Ticket', 'Slow burn: 3× over 1d and 1× over 3d')}
      <TextInput
        {...p}
        field="minEvents"
        label="Minimum events"
        description="Below this many events in a window, no alert"
      />
    </FieldSet>
  );
}
