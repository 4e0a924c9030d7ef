import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Stack, useStyles2 } from '@grafana/ui';
import type { RuleBody, RuleResource } from '@vigil/core';
import { SidecarError } from '../../../api/client';
import { createRule, updateRule } from '../../../api/rules';
import type { DatasourceInfo, DetectorInfo } from '../../../api/types';
import { testIds } from '../../../testIds';
import { AnnotationsSection } from './AnnotationsSection';
import { BasicsSection } from './BasicsSection';
import { ConditionSection } from './ConditionSection';
import { type FormErrors, type FormField, type RuleFormValues, toRuleBody } from './formModel';
import { formErrorsFromSidecar } from './sidecarErrors';
import { validateForm } from './validateForm';
import { HandlingSection } from './HandlingSection';
import { LabelsSection } from './LabelsSection';
import { Preview } from './Preview';
import { QuerySection } from './QuerySection';
import { TimingSection } from './TimingSection';

/** Props of {@link RuleForm}. */
export interface RuleFormProps {
  initial: RuleFormValues;
  /** Set when editing a saved rule (PUT); absent for a new one or a duplicate (POST). */
  ruleId?: string;
  /** The loaded rule's version: the update is refused if the rule changed since (If-Match). */
  version?: number;
  readOnly: boolean;
  datasources: DatasourceInfo[];
  detectors: DetectorInfo[];
  onSaved(rule: RuleResource): void;
  onCancel(): void;
  /** Preview debounce (tests shorten it). */
  previewDebounceMs?: number;
}

/**
 * The body the preview backtests: the form as it is, once the parts a backtest needs are valid. The
 * name is not needed to backtest, so a rule can be tried before it is named.
 */
function previewBody(values: RuleFormValues): RuleBody | null {
  const errors = validateForm(values);
  delete errors.name;
  if (Object.keys(errors).length > 0) {
    return null;
  }
  // A fixed id: the sidecar would derive one from the name, and some names give reserved ids
  // ("preview", "export") that are fine for a saved rule's route but refused in a backtest body.
  return toRuleBody({ ...values, name: values.name.trim() || 'Unsaved rule' }, 'unsaved_rule_preview');
}

/** The rule editor: one section per part of the rule, the live preview, and save / cancel. */
export function RuleForm(props: RuleFormProps) {
  const { initial, ruleId, version, readOnly, datasources, detectors, onSaved, onCancel } = props;
  const styles = useStyles2(getStyles);
  const ids = testIds.ruleEditor;
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const [queryPosition, setQueryPosition] = useState<number | undefined>();
  const [saveError, setSaveError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const body = useMemo(() => previewBody(values), [values]);

  const onChange = <K extends FormField>(field: K, value: RuleFormValues[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    // A problem is about the value that had it: once edited, it goes until the next check.
    setErrors((e) => {
      if (!(field in e)) {
        return e;
      }
      const next = { ...e };
      delete next[field];
      return next;
    });
    if (field === 'query') {
      setQueryPosition(undefined);
    }
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (readOnly || saving) {
      return;
    }
    const found = validateForm(values);
    setErrors(found);
    setQueryPosition(undefined);
    if (Object.keys(found).length > 0) {
      setSaveError('Some fields need attention (marked in red).');
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      const rule = toRuleBody(values);
      onSaved(ruleId ? await updateRule(ruleId, rule, version) : await createRule(rule));
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      if (err instanceof SidecarError && err.fields?.length) {
        const placed = formErrorsFromSidecar(err.fields);
        setErrors(placed.errors);
        setQueryPosition(placed.queryPosition);
      }
      setSaveError(err.message);
      setSaving(false);
    }
  };

  const section = { values, errors, readOnly, onChange };
  return (
    <form className={styles.form} data-testid={ids.form} onSubmit={submit} noValidate aria-label="Alert rule">
      <BasicsSection {...section} />
      <QuerySection {...section} datasources={datasources} queryPosition={queryPosition} />
      <ConditionSection {...section} detectors={detectors} />
      <div className={styles.preview}>
        <Preview
          body={readOnly ? null : body}
          savedId={readOnly ? ruleId : undefined}
          debounceMs={props.previewDebounceMs}
        />
      </div>
      <TimingSection {...section} />
      <LabelsSection {...section} />
      <AnnotationsSection {...section} />
      <HandlingSection {...section} />
      {saveError ? (
        <div data-testid={ids.saveError}>
          <Alert severity="error" title="The rule was not saved">
            {saveError}
          </Alert>
        </div>
      ) : null}
      <Stack gap={1}>
        {readOnly ? null : (
          <Button type="submit" icon={saving ? 'spinner' : 'save'} data-testid={ids.save} disabled={saving}>
            {ruleId ? 'Save rule' : 'Create rule'}
          </Button>
        )}
        <Button type="button" variant="secondary" data-testid={ids.cancel} onClick={onCancel}>
          {readOnly ? 'Back to rules' : 'Cancel'}
        </Button>
      </Stack>
    </form>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({ maxWidth: 1100 }),
  preview: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(2),
    marginBottom: theme.spacing(4),
  }),
});
