import { parseMatchers } from '@vigil/core';
import {
  emptySilenceForm,
  formErrorsFromSidecar,
  parseUtcInput,
  silenceFormFromUrl,
  type SilenceFormValues,
  toSilenceBody,
  utcInputValue,
  validateSilenceForm,
} from './silenceForm';
import { notifyUrls } from './urls';

const NOW = Date.parse('2026-01-01T10:00:00.000Z');

const valid = (over: Partial<SilenceFormValues> = {}): SilenceFormValues => ({
  ...emptySilenceForm(NOW),
  matchers: [{ name: 'alertname', op: '=', value: 'HighLatency' }],
  comment: 'deploying the fix',
  ...over,
});

describe('silence form: opened from a URL', () => {
  test("the Rules page's link carries an alert's labels; the form reads them back as equality matchers", () => {
    const labels = { service: 'api', alertname: 'High "p99" latency', severity: 'critical' };
    const url = notifyUrls.silence(labels);
    expect(url.startsWith('/a/vigil-observability-app/notifications?matchers=')).toBe(true);
    const { values, notice } = silenceFormFromUrl(url.slice(url.indexOf('?')), NOW);
    expect(notice).toBeUndefined();
    expect(values.matchers).toEqual([
      { name: 'alertname', op: '=', value: 'High "p99" latency' },
      { name: 'service', op: '=', value: 'api' },
      { name: 'severity', op: '=', value: 'critical' },
    ]);
  });

  test('any operator of the syntax is kept; no parameter gives the empty form', () => {
    const { values } = silenceFormFromUrl(`?matchers=${encodeURIComponent('{env!="dev", svc=~"a|b"}')}`, NOW);
    expect(values.matchers).toEqual(parseMatchers('env!="dev",svc=~"a|b"'));
    expect(silenceFormFromUrl('', NOW).values).toEqual(emptySilenceForm(NOW));
    expect(silenceFormFromUrl('?matchers=', NOW).values).toEqual(emptySilenceForm(NOW));
  });

  test('text that does not parse leaves the rows empty and says why', () => {
    const { values, notice } = silenceFormFromUrl('?matchers=%7Balertname%3D%22x', NOW);
    expect(values.matchers).toEqual([{ name: '', op: '=', value: '' }]);
    expect(notice).toMatch(/^The matchers in the link were not used: parse matchers .*unterminated quoted string/);
  });
});

describe('silence form: checks and body', () => {
  test('a valid form gives the body: matchers, end from the duration, trimmed comment', () => {
    expect(validateSilenceForm(valid(), NOW)).toEqual({});
    expect(toSilenceBody(valid({ duration: '90m', comment: '  fix  ' }), NOW)).toEqual({
      matchers: [{ name: 'alertname', op: '=', value: 'HighLatency' }],
      endsAt: '2026-01-01T11:30:00.000Z',
      comment: 'fix',
    });
  });

  test('an end time is read as UTC', () => {
    expect(utcInputValue(NOW)).toBe('2026-01-01T10:00');
    expect(parseUtcInput('2026-01-01T12:30')).toBe(Date.parse('2026-01-01T12:30:00Z'));
    expect(parseUtcInput('tomorrow')).toBeNaN();
    const body = toSilenceBody(valid({ endMode: 'end', endsAt: '2026-01-02T08:00' }), NOW);
    expect(body.endsAt).toBe('2026-01-02T08:00:00.000Z');
  });

  test('each problem is reported on its field', () => {
    const errors = validateSilenceForm(
      valid({
        matchers: [
          { name: '', op: '=', value: 'x' },
          { name: 'svc', op: '=~', value: '(' },
        ],
        duration: 'two hours',
        comment: ' ',
      }),
      NOW
    );
    expect(Object.keys(errors).sort()).toEqual(['comment', 'duration', 'matchers[0].name', 'matchers[1].value']);
    expect(errors['matchers[1].value']).toMatch(/invalid regular expression/);
    expect(validateSilenceForm(valid({ duration: '0s' }), NOW).duration).toBe('The duration must be longer than 0s.');
    expect(validateSilenceForm(valid({ endMode: 'end', endsAt: '2026-01-01T09:00' }), NOW).endsAt).toBe(
      'The end time must be in the future.'
    );
    expect(validateSilenceForm(valid({ endMode: 'end', endsAt: '' }), NOW).endsAt).toBe('Expected an end time (UTC).');
    expect(validateSilenceForm(valid({ matchers: [] }), NOW).matchers).toBe('Add at least one matcher.');
  });

  test('a silence that would mute every alert is refused', () => {
    const errors = validateSilenceForm(valid({ matchers: [{ name: 'team', op: '=~', value: '.*' }] }), NOW);
    expect(errors.matchers).toMatch(/would mute every alert/);
  });
});

describe("silence form: the sidecar's 400", () => {
  test('field errors land on their fields; the end error on the end field in use', () => {
    const fields = [
      { field: 'matchers[0].value', message: 'invalid regular expression' },
      { field: 'matchers[1]', message: 'not a matcher' },
      { field: 'endsAt', message: 'end time must not be before start time' },
      { field: 'comment', message: 'comment is required' },
      { field: 'createdBy', message: 'author (createdBy) is required' },
      { field: 'id', message: 'unknown silence' },
    ];
    expect(formErrorsFromSidecar(fields, 'duration')).toEqual({
      'matchers[0].value': 'invalid regular expression',
      'matchers[1].name': 'not a matcher',
      duration: 'end time must not be before start time',
      comment: 'comment is required',
      form: 'createdBy: author (createdBy) is required; id: unknown silence',
    });
    expect(formErrorsFromSidecar([{ field: 'startsAt', message: 'bad' }], 'end')).toEqual({ endsAt: 'bad' });
  });
});
