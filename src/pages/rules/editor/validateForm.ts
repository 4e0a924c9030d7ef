/** Checks of the rule form before it is sent (pure); the sidecar checks again and names fields too. */
import { durationError } from './durations';
import { type FormErrors, num, type RuleFormValues } from './formModel';

function numberError(s: string, what: string, check?: (n: number) => string | undefined): string | undefined {
  const n = num(s);
  if (!Number.isFinite(n)) {
    return `${what} must be a number`;
  }
  return check?.(n);
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Checks the form as the sidecar will (the same messages where it can); empty when it can be saved. */
export function validateForm(v: RuleFormValues): FormErrors {
  const e: FormErrors = {};
  if (v.name.trim() === '') {
    e.name = 'A rule needs a name';
  }
  if (v.conditionKind === 'anomaly') {
    if (v.detector === '') {
      e.detector = 'Pick the detector whose anomalies fire this rule';
    }
    e.minConfidence = numberError(v.minConfidence, 'Confidence', (n) =>
      n < 0 || n > 1 ? 'Confidence must be between 0 and 1' : undefined
    );
  } else {
    if (v.query.trim() === '') {
      e.query = 'A rule needs a query';
    }
    e.threshold = numberError(v.threshold, v.conditionKind === 'baseline' ? 'The change in %' : 'The threshold');
  }
  if (v.conditionKind === 'adaptive' || v.conditionKind === 'baseline') {
    e.baselineDays = numberError(v.baselineDays, 'Baseline days', (n) =>
      n < 1 || !Number.isInteger(n) ? 'Baseline days must be a whole number of days, at least 1' : undefined
    );
  }
  if (v.conditionKind === 'adaptive') {
    e.stddevs = numberError(v.stddevs, 'Standard deviations', (n) => (n <= 0 ? 'Must be above 0' : undefined));
    e.minSamples = numberError(v.minSamples, 'Minimum samples', (n) =>
      n < 1 || !Number.isInteger(n) ? 'Must be a whole number, at least 1' : undefined
    );
    if (!['>', '>=', '<', '<='].includes(v.op)) {
      e.op = 'Adaptive thresholds compare with >, >=, < or <=';
    }
  }
  e.forDuration = durationError(v.forDuration, 'Pending period');
  e.keepFiringFor = durationError(v.keepFiringFor, 'Keep firing for');
  e.interval = durationError(v.interval, 'Evaluation interval', true);
  e.missingSeriesEvalsToResolve = numberError(v.missingSeriesEvalsToResolve, 'Evaluations', (n) =>
    n < 1 || !Number.isInteger(n) ? 'Must be a whole number, at least 1' : undefined
  );
  v.labels.forEach((row, i) => {
    if (row.key.trim() === '' && row.value.trim() === '') {
      return;
    }
    if (!LABEL_NAME.test(row.key.trim())) {
      e[`labels.${i}`] = `"${row.key}" is not a label name (letters, digits and _, not starting with a digit)`;
    }
  });
  v.customAnnotations.forEach((row, i) => {
    if (row.key.trim() === '' && row.value.trim() !== '') {
      e[`customAnnotations.${i}`] = 'An annotation needs a name';
    }
  });
  for (const key of Object.keys(e) as Array<keyof FormErrors>) {
    if (e[key] === undefined) {
      delete e[key];
    }
  }
  return e;
}
