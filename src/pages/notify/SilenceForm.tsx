import React, { useState } from 'react';
import {
  Alert,
  Button,
  Field,
  FieldSet,
  FieldValidationMessage,
  IconButton,
  Input,
  RadioButtonGroup,
  Stack,
  Text,
  TextArea,
} from '@grafana/ui';
import { MATCH_OPS, type MatchOp, type SilenceView } from '@vigil/core';
import { SidecarError } from '../../api/client';
import { createSilence } from '../../api/notify';
import { TestIdBox } from '../../components/TestIdBox/TestIdBox';
import { testIds } from '../../testIds';
import {
  endOf,
  type EndMode,
  formErrorsFromSidecar,
  type MatcherRow,
  type SilenceFormErrors,
  type SilenceFormValues,
  toSilenceBody,
  utcInputValue,
  validateSilenceForm,
} from './silenceForm';

const ids = testIds.notify;
const OP_OPTIONS = MATCH_OPS.map((op: MatchOp) => ({ label: op, value: op }));
const END_OPTIONS: Array<{ label: string; value: EndMode }> = [
  { label: 'Duration', value: 'duration' },
  { label: 'End time (UTC)', value: 'end' },
];

/** Props of {@link SilenceForm}. */
export interface SilenceFormProps {
  initial: SilenceFormValues;
  /** Why the link's matchers were not used, shown above the form. */
  notice?: string;
  /** The Grafana login the sidecar will record as author (the proxy sends it), when known. */
  author?: string;
  onCreated(silence: SilenceView): void;
  onCancel(): void;
}

/** The matcher rows: label name, operator, value, each row's problems under it. */
function MatcherRows({
  rows,
  errors,
  onChange,
}: {
  rows: MatcherRow[];
  errors: SilenceFormErrors;
  onChange(rows: MatcherRow[]): void;
}) {
  const set = (i: number, patch: Partial<MatcherRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack direction="column" gap={1}>
      {rows.map((row, i) => {
        const problems = ['name', 'op', 'value'].map((k) => errors[`matchers[${i}].${k}`]).filter(Boolean);
        return (
          <div key={i}>
            <Stack gap={1} alignItems="center">
              <Input
                // Explicit ids: inside a Field, Grafana 13 gives every input the Field's id otherwise.
                id={`silence-matcher-${i}-name`}
                aria-label={`Matcher ${i + 1} label`}
                data-testid={ids.matcherName}
                placeholder="label"
                width={24}
                invalid={Boolean(errors[`matchers[${i}].name`])}
                value={row.name}
                onChange={(e) => set(i, { name: e.currentTarget.value })}
              />
              <TestIdBox testId={ids.matcherOp}>
                <RadioButtonGroup
                  // Its own id too: Grafana 13 names a radio group after its id, and radios sharing a
                  // name would uncheck each other across rows.
                  id={`silence-matcher-${i}-op`}
                  aria-label={`Matcher ${i + 1} operator`}
                  size="sm"
                  options={OP_OPTIONS}
                  value={row.op}
                  onChange={(op) => set(i, { op })}
                />
              </TestIdBox>
              <Input
                id={`silence-matcher-${i}-value`}
                aria-label={`Matcher ${i + 1} value`}
                data-testid={ids.matcherValue}
                placeholder="value"
                invalid={Boolean(errors[`matchers[${i}].value`])}
                value={row.value}
                onChange={(e) => set(i, { value: e.currentTarget.value })}
              />
              <IconButton
                name="trash-alt"
                tooltip={`Remove matcher ${i + 1}`}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              />
            </Stack>
            {problems.length ? <FieldValidationMessage>{problems.join('; ')}</FieldValidationMessage> : null}
          </div>
        );
      })}
      <div>
        <Button
          type="button"
          size="sm"
          variant="secondary"
          icon="plus"
          data-testid={ids.addMatcher}
          onClick={() => onChange([...rows, { name: '', op: '=', value: '' }])}
        >
          Add matcher
        </Button>
      </div>
    </Stack>
  );
}

/**
 * "New silence": matchers (filled from an alert's labels when the page was opened from one), a
 * duration or an end time, a comment; the author is the Grafana user. Problems found here or by the
 * sidecar (its 400's field errors) are shown under their fields.
 */
export function SilenceForm({ initial, notice, author, onCreated, onCancel }: SilenceFormProps) {
  const [values, setValues] = useState<SilenceFormValues>(initial);
  const [errors, setErrors] = useState<SilenceFormErrors>({});
  const [busy, setBusy] = useState(false);
  const change = <K extends keyof SilenceFormValues>(key: K, value: SilenceFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const now = Date.now();
    const found = validateSilenceForm(values, now);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      return;
    }
    setBusy(true);
    try {
      onCreated(await createSilence(toSilenceBody(values, now)));
    } catch (err) {
      if (err instanceof SidecarError && err.fields?.length) {
        setErrors(formErrorsFromSidecar(err.fields, values.endMode));
      } else {
        setErrors({ form: err instanceof Error ? err.message : String(err) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form data-testid={ids.silenceForm} onSubmit={submit} aria-label="New silence">
      <FieldSet label="New silence">
        {notice ? <Alert severity="warning" title={notice} /> : null}
        <Field
          label="Matchers"
          htmlFor="silence-matcher-0-name"
          description="Alerts whose labels match all of these are silenced: = equal, != not equal, =~ regex, !~ not regex."
          invalid={Boolean(errors.matchers)}
          error={errors.matchers}
        >
          <MatcherRows rows={values.matchers} errors={errors} onChange={(rows) => change('matchers', rows)} />
        </Field>
        <Field label="Ends">
          <TestIdBox testId={ids.endMode}>
            <RadioButtonGroup
              options={END_OPTIONS}
              value={values.endMode}
              onChange={(mode) => {
                // Switching to an end time starts from the end the duration gave, so nothing jumps.
                const end = endOf(values, Date.now());
                if (mode === 'end' && values.endMode === 'duration' && Number.isFinite(end)) {
                  change('endsAt', utcInputValue(end));
                }
                change('endMode', mode);
              }}
            />
          </TestIdBox>
        </Field>
        {values.endMode === 'duration' ? (
          <Field
            label="Duration"
            description='From now: "30m", "2h", "1d".'
            invalid={Boolean(errors.duration)}
            error={errors.duration}
          >
            <Input
              id="silence-duration"
              data-testid={ids.duration}
              width={16}
              value={values.duration}
              onChange={(e) => change('duration', e.currentTarget.value)}
            />
          </Field>
        ) : (
          <Field label="End time (UTC)" invalid={Boolean(errors.endsAt)} error={errors.endsAt}>
            <Input
              id="silence-ends-at"
              data-testid={ids.endsAt}
              type="datetime-local"
              width={28}
              value={values.endsAt}
              onChange={(e) => change('endsAt', e.currentTarget.value)}
            />
          </Field>
        )}
        <Field label="Comment" required invalid={Boolean(errors.comment)} error={errors.comment}>
          <TextArea
            id="silence-comment"
            data-testid={ids.comment}
            rows={2}
            placeholder="Why, and a ticket or incident link"
            value={values.comment}
            onChange={(e) => change('comment', e.currentTarget.value)}
          />
        </Field>
        <span data-testid={ids.author}>
          <Text color="secondary">
            {author ? `Created by ${author} (your Grafana user).` : 'Created by your Grafana user.'}
          </Text>
        </span>
        {errors.form ? (
          <div data-testid={ids.formError}>
            <Alert severity="error" title="Could not create the silence">
              {errors.form}
            </Alert>
          </div>
        ) : null}
        <Stack gap={1}>
          <Button type="submit" icon="bell-slash" data-testid={ids.createSilence} disabled={busy}>
            {busy ? 'Creating…' : 'Create silence'}
          </Button>
          <Button type="button" variant="secondary" data-testid={ids.cancelSilence} onClick={onCancel}>
            Cancel
          </Button>
        </Stack>
      </FieldSet>
    </form>
  );
}
