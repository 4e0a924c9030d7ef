import React from 'react';
import type { SelectableValue } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup, Select, Stack, Switch } from '@grafana/ui';
import { COMPARATORS, type Comparator, type ConditionKind } from '@vigil/core/rules/types';
import type { DetectorInfo } from '../../../api/types';
import { testIds } from '../../../testIds';
import type { SectionProps } from './sectionProps';
import { TestIdBox } from '../../../components/TestIdBox/TestIdBox';

const KIND_OPTIONS: Array<SelectableValue<ConditionKind>> = [
  { label: 'Threshold', value: 'threshold', description: 'value compared with a fixed number' },
  { label: 'Adaptive', value: 'adaptive', description: "the guide's AdaptiveThresholdManager: a seasonal band" },
  { label: 'Baseline', value: 'baseline', description: '% change against the same hour over past days' },
  { label: 'Anomaly', value: 'anomaly', description: "a detector's anomaly above a confidence" },
];
/** Shown only for an SLO's own rule: SLO rules are made by their SLO, not in this editor. */
const SLO_OPTION: SelectableValue<ConditionKind> = {
  label: 'SLO burn rate',
  value: 'slo',
  description: "an SLO's multi-window burn-rate alerts",
};
const ADAPTIVE_OPS: readonly Comparator[] = ['>', '>=', '<', '<='];

const HELP: Record<ConditionKind, string> = {
  threshold: 'Fires when the value compares true with the threshold.',
  adaptive:
    'Threshold = mean + k·stddev·seasonal factor (hour of day, day of week) over the baseline, clamped to 0.5–2× the base threshold; the base threshold while the baseline has fewer samples than the minimum.',
  baseline:
    'Change = (value − average at this hour over the baseline days) / |average| · 100, compared with the threshold in %: e.g. < -20.',
  anomaly:
    "Fires while the detector has an open anomaly with a confidence above the bound; severity follows the guide's confidence mapping unless fixed.",
  slo: "An SLO's burn-rate alerts (page when 2% of the budget burns in an hour or 5% in six; ticket when 10% burns in a day or three). Kept by the SLO: change the SLO instead.",
};

/** Condition kind and its settings. Numbers are typed as text and checked by the form model. */
export function ConditionSection({
  values,
  errors,
  readOnly,
  onChange,
  detectors,
}: SectionProps & { detectors: DetectorInfo[] }) {
  const ids = testIds.ruleEditor;
  const kind = values.conditionKind;
  const ops = (kind === 'adaptive' ? ADAPTIVE_OPS : COMPARATORS).map((op) => ({ label: op, value: op }));
  return (
    <FieldSet label="3. Condition">
      <Field label="Kind" description={HELP[kind]} disabled={readOnly}>
        <TestIdBox testId={ids.conditionKind}>
          <RadioButtonGroup
            options={kind === 'slo' ? [...KIND_OPTIONS, SLO_OPTION] : KIND_OPTIONS}
            value={kind}
            disabled={readOnly || kind === 'slo'}
            onChange={(v) => onChange('conditionKind', v)}
          />
        </TestIdBox>
      </Field>
      {kind === 'slo' ? (
        <Field label="SLO" description="The SLO whose burn-rate alerts this rule raises" disabled>
          <Input id="rule-slo" width={36} value={values.slo} readOnly />
        </Field>
      ) : kind === 'anomaly' ? (
        <Stack gap={2} wrap="wrap">
          <Field
            label="Detector"
            htmlFor="rule-detector"
            required
            invalid={Boolean(errors.detector)}
            error={errors.detector}
            disabled={readOnly}
          >
            <TestIdBox testId={ids.detector}>
              <Select
                inputId="rule-detector"
                aria-label="Detector"
                width={36}
                options={detectors.map((d) => ({ label: d.name, value: d.name, description: d.query }))}
                value={values.detector || null}
                placeholder={detectors.length ? 'Choose a detector' : 'No detectors configured in the sidecar'}
                disabled={readOnly}
                onChange={(v) => onChange('detector', v?.value ?? '')}
              />
            </TestIdBox>
          </Field>
          <Field
            label="Minimum confidence"
            invalid={Boolean(errors.minConfidence)}
            error={errors.minConfidence}
            disabled={readOnly}
          >
            <Input
              id="rule-min-confidence"
              data-testid={ids.minConfidence}
              width={12}
              inputMode="decimal"
              value={values.minConfidence}
              onChange={(e) => onChange('minConfidence', e.currentTarget.value)}
            />
          </Field>
          <Field label="Fixed severity" description="Use the rule's severity for every anomaly" disabled={readOnly}>
            <Switch
              id="rule-fixed-severity"
              value={values.fixedSeverity}
              onChange={(e) => onChange('fixedSeverity', e.currentTarget.checked)}
            />
          </Field>
        </Stack>
      ) : (
        <Stack gap={2} wrap="wrap" alignItems="flex-start">
          <Field
            label={kind === 'baseline' ? 'Change is' : 'Value is'}
            invalid={Boolean(errors.op)}
            error={errors.op}
            disabled={readOnly}
          >
            <TestIdBox testId={ids.op}>
              <RadioButtonGroup
                options={ops}
                value={values.op}
                disabled={readOnly}
                onChange={(v) => onChange('op', v)}
              />
            </TestIdBox>
          </Field>
          <Field
            label={kind === 'adaptive' ? 'Base threshold' : kind === 'baseline' ? 'Threshold (%)' : 'Threshold'}
            required
            invalid={Boolean(errors.threshold)}
            error={errors.threshold}
            disabled={readOnly}
          >
            <Input
              id="rule-threshold"
              data-testid={ids.threshold}
              width={16}
              inputMode="decimal"
              value={values.threshold}
              onChange={(e) => onChange('threshold', e.currentTarget.value)}
            />
          </Field>
          {kind === 'adaptive' || kind === 'baseline' ? (
            <Field
              label="Baseline days"
              invalid={Boolean(errors.baselineDays)}
              error={errors.baselineDays}
              disabled={readOnly}
            >
              <Input
                id="rule-baseline-days"
                data-testid={ids.baselineDays}
                width={10}
                inputMode="numeric"
                value={values.baselineDays}
                onChange={(e) => onChange('baselineDays', e.currentTarget.value)}
              />
            </Field>
          ) : null}
          {kind === 'adaptive' ? (
            <>
              <Field
                label="Standard deviations"
                invalid={Boolean(errors.stddevs)}
                error={errors.stddevs}
                disabled={readOnly}
              >
                <Input
                  id="rule-stddevs"
                  data-testid={ids.stddevs}
                  width={10}
                  inputMode="decimal"
                  value={values.stddevs}
                  onChange={(e) => onChange('stddevs', e.currentTarget.value)}
                />
              </Field>
              <Field
                label="Minimum samples"
                invalid={Boolean(errors.minSamples)}
                error={errors.minSamples}
                disabled={readOnly}
              >
                <Input
                  id="rule-min-samples"
                  data-testid={ids.minSamples}
                  width={10}
                  inputMode="numeric"
                  value={values.minSamples}
                  onChange={(e) => onChange('minSamples', e.currentTarget.value)}
                />
              </Field>
            </>
          ) : null}
        </Stack>
      )}
    </FieldSet>
  );
}
