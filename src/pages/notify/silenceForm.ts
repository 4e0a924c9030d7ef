/**
 * The "New silence" form's model (pure): its values, filled from a `?matchers=` URL parameter (an
 * alert's labels, Alertmanager's `{a="b",c="d"}` syntax); the checks made before sending; the body
 * sent; and the sidecar's 400 field errors placed on the fields they name.
 */
import {
  type FieldError,
  type Matcher,
  type MatchOp,
  matcherRegex,
  matchOne,
  parseDuration,
  parseMatchers,
  type SilenceBody,
} from '@vigil/core';

/** One editable matcher. */
export interface MatcherRow {
  name: string;
  op: MatchOp;
  value: string;
}

/** How the end is given: a duration from now, or an end time. */
export type EndMode = 'duration' | 'end';

/** The form's values. */
export interface SilenceFormValues {
  matchers: MatcherRow[];
  endMode: EndMode;
  /** A Prometheus duration from now (`2h`, `1d`). */
  duration: string;
  /** The end in UTC as a `datetime-local` input holds it (`2026-01-01T12:00`). */
  endsAt: string;
  comment: string;
}

/**
 * Problems by field: `matchers` (the list), `matchers[i].name|op|value`, `duration`, `endsAt`,
 * `comment`, and `form` for what belongs to no field.
 */
export type SilenceFormErrors = Record<string, string>;

/** The duration a new silence lasts unless changed (Alertmanager's UI also starts at 2h). */
export const DEFAULT_DURATION = '2h';

/** `2026-01-01T12:00` in UTC, as a `datetime-local` input reads and writes it. */
export function utcInputValue(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** Epoch ms of a `datetime-local` value read as UTC; NaN when it is not one. */
export function parseUtcInput(value: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? Date.parse(`${value}Z`) : NaN;
}

/** An empty form (one blank matcher row, two hours from `now`). */
export function emptySilenceForm(now: number): SilenceFormValues {
  return {
    matchers: [{ name: '', op: '=', value: '' }],
    endMode: 'duration',
    duration: DEFAULT_DURATION,
    endsAt: utcInputValue(now + parseDuration(DEFAULT_DURATION)),
    comment: '',
  };
}

/**
 * The form as opened from a URL: `?matchers={alertname="X",service="api"}` fills the matcher rows (the
 * Rules page's "Silence" link). Text that does not parse leaves the rows empty and says why in `notice`.
 */
export function silenceFormFromUrl(search: string, now: number): { values: SilenceFormValues; notice?: string } {
  const values = emptySilenceForm(now);
  const text = new URLSearchParams(search).get('matchers');
  if (text === null || text.trim() === '') {
    return { values };
  }
  try {
    const parsed = parseMatchers(text);
    return { values: parsed.length ? { ...values, matchers: parsed.map((m) => ({ ...m })) } : values };
  } catch (e) {
    return { values, notice: `The matchers in the link were not used: ${(e as Error).message}` };
  }
}

/** The end time in ms given the form's mode; NaN when the field does not hold one. */
export function endOf(values: SilenceFormValues, now: number): number {
  if (values.endMode === 'end') {
    return parseUtcInput(values.endsAt);
  }
  try {
    return now + parseDuration(values.duration.trim());
  } catch {
    return NaN;
  }
}

/**
 * Checks made before sending (the sidecar checks again): at least one matcher, each named, regexes that
 * compile, not every matcher matching the empty string (that silence would mute every alert), an end
 * in the future, a comment. Empty result: the form may be sent.
 */
export function validateSilenceForm(values: SilenceFormValues, now: number): SilenceFormErrors {
  const errors: SilenceFormErrors = {};
  const rows = values.matchers;
  if (rows.length === 0) {
    errors.matchers = 'Add at least one matcher.';
  }
  rows.forEach((m, i) => {
    if (m.name.trim() === '') {
      errors[`matchers[${i}].name`] = 'Label name is required.';
    }
    if (m.op === '=~' || m.op === '!~') {
      try {
        matcherRegex(m.value);
      } catch (e) {
        errors[`matchers[${i}].value`] = (e as Error).message;
      }
    }
  });
  if (rows.length > 0 && Object.keys(errors).length === 0 && rows.every((m) => matchOne(m, ''))) {
    errors.matchers = 'At least one matcher must not match the empty string: this silence would mute every alert.';
  }
  const end = endOf(values, now);
  if (values.endMode === 'duration') {
    if (!Number.isFinite(end)) {
      errors.duration = 'Expected a duration such as "30m", "2h" or "1d".';
    } else if (end <= now) {
      errors.duration = 'The duration must be longer than 0s.';
    }
  } else if (!Number.isFinite(end)) {
    errors.endsAt = 'Expected an end time (UTC).';
  } else if (end <= now) {
    errors.endsAt = 'The end time must be in the future.';
  }
  if (values.comment.trim() === '') {
    errors.comment = 'Say why the alerts are silenced.';
  }
  return errors;
}

/** The body of `POST /api/v1/silences` (starting now; the author is added by the sidecar). */
export function toSilenceBody(values: SilenceFormValues, now: number): SilenceBody {
  const matchers: Matcher[] = values.matchers.map((m) => ({ name: m.name.trim(), op: m.op, value: m.value }));
  return { matchers, endsAt: new Date(endOf(values, now)).toISOString(), comment: values.comment.trim() };
}

/**
 * The sidecar's field errors placed on the form: matcher paths on their row, `endsAt` / `startsAt` on
 * the end field in use, `comment` on the comment; anything else (`createdBy`, unknown) on `form`, named.
 */
export function formErrorsFromSidecar(fields: readonly FieldError[], endMode: EndMode): SilenceFormErrors {
  const errors: SilenceFormErrors = {};
  const add = (key: string, message: string) => {
    errors[key] = errors[key] ? `${errors[key]}; ${message}` : message;
  };
  for (const f of fields) {
    if (f.field === 'matchers' || /^matchers\[\d+\]\.(name|op|value)$/.test(f.field)) {
      add(f.field, f.message);
    } else if (/^matchers\[\d+\]$/.test(f.field)) {
      add(`${f.field}.name`, f.message);
    } else if (f.field === 'endsAt' || f.field === 'startsAt') {
      add(endMode === 'duration' ? 'duration' : 'endsAt', f.message);
    } else if (f.field === 'comment') {
      add('comment', f.message);
    } else {
      add('form', `${f.field}: ${f.message}`);
    }
  }
  return errors;
}
