import type { FormErrors, FormField, RuleFormValues } from './formModel';

/** What every form section receives: the values, their problems, and one setter. */
export interface SectionProps {
  values: RuleFormValues;
  errors: FormErrors;
  /** File rules: every input disabled. */
  readOnly: boolean;
  onChange<K extends FormField>(field: K, value: RuleFormValues[K]): void;
}
