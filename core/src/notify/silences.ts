/**
 * Silences, as Alertmanager defines them (silence/silence.go): a list of matchers and a time window.
 * A silence is pending before `startsAt`, active from `startsAt` through `endsAt` (both inclusive),
 * expired after. Expiring one sets `endsAt` to now, which is why `endsAt == startsAt` is valid.
 */
import { Matcher, matches, matchOne, MatcherParseError, matcherRegex } from './matchers';

/** One silence. Times are epoch milliseconds. */
export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
}

/** Silence states (Alertmanager's types.SilenceState). */
export const SILENCE_STATES = ['pending', 'active', 'expired'] as const;
/** One of {@link SILENCE_STATES}. */
export type SilenceState = (typeof SILENCE_STATES)[number];

/** The state of a silence at `now`. */
export function silenceState(s: Silence, now: number): SilenceState {
  if (now < s.startsAt) {
    return 'pending';
  }
  if (now > s.endsAt) {
    return 'expired';
  }
  return 'active';
}

/** The silences active at `now` whose matchers all match `labels` (empty: not silenced). */
export function isSilenced(labels: Record<string, string>, silences: readonly Silence[], now: number): Silence[] {
  return silences.filter((s) => silenceState(s, now) === 'active' && s.matchers.length > 0 && matches(s.matchers, labels));
}

/** A validation problem on one field (`matchers[1].value`, `endsAt`, ...). */
export interface SilenceFieldError {
  field: string;
  message: string;
}

/**
 * Checks a silence before it is stored; an empty list means valid. As Alertmanager: at least one
 * matcher, valid names and regexes, and not every matcher matching the empty string (such a silence
 * would silence every alert); `endsAt` not before `startsAt`. As its API: `createdBy` and `comment`
 * non-empty.
 */
export function validateSilence(s: Silence): SilenceFieldError[] {
  const errors: SilenceFieldError[] = [];
  if (!Array.isArray(s.matchers) || s.matchers.length === 0) {
    errors.push({ field: 'matchers', message: 'at least one matcher is required' });
  } else {
    let allMatchEmpty = true;
    s.matchers.forEach((m, i) => {
      if (!m || typeof m.name !== 'string' || m.name === '') {
        errors.push({ field: `matchers[${i}].name`, message: 'label name must not be empty' });
        return;
      }
      if (!['=', '!=', '=~', '!~'].includes(m.op)) {
        errors.push({ field: `matchers[${i}].op`, message: `unknown operator ${JSON.stringify(m.op)}` });
        return;
      }
      if (typeof m.value !== 'string') {
        errors.push({ field: `matchers[${i}].value`, message: 'value must be a string' });
        return;
      }
      if (m.op === '=~' || m.op === '!~') {
        try {
          matcherRegex(m.value);
        } catch (e) {
          errors.push({ field: `matchers[${i}].value`, message: (e as MatcherParseError).message });
          return;
        }
      }
      if (!matchOne(m, '')) {
        allMatchEmpty = false;
      }
    });
    if (allMatchEmpty && errors.length === 0) {
      errors.push({ field: 'matchers', message: 'at least one matcher must not match the empty string' });
    }
  }
  if (!Number.isFinite(s.startsAt)) {
    errors.push({ field: 'startsAt', message: 'start time is required' });
  }
  if (!Number.isFinite(s.endsAt)) {
    errors.push({ field: 'endsAt', message: 'end time is required' });
  } else if (Number.isFinite(s.startsAt) && s.endsAt < s.startsAt) {
    errors.push({ field: 'endsAt', message: 'end time must not be before start time' });
  }
  if (typeof s.createdBy !== 'string' || s.createdBy.trim() === '') {
    errors.push({ field: 'createdBy', message: 'author (createdBy) is required' });
  }
  if (typeof s.comment !== 'string' || s.comment.trim() === '') {
    errors.push({ field: 'comment', message: 'comment is required' });
  }
  return errors;
}

/**
 * The silence expired at `now`, as Alertmanager's Expire does: an active one ends now; a pending one
 * gets start = end = now. An already expired silence is returned unchanged.
 */
export function expireSilence(s: Silence, now: number): Silence {
  switch (silenceState(s, now)) {
    case 'expired':
      return s;
    case 'pending':
      return { ...s, startsAt: now, endsAt: now };
    case 'active':
      return { ...s, endsAt: now };
  }
}
