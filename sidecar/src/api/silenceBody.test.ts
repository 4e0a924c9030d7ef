import type { Silence } from '@vigil/core';
import {
  parseSilenceBody,
  silenceIdOf,
  SilenceValidationError,
  SILENCE_LIMITS,
  type SilenceContext,
} from './silenceBody';

const NOW = Date.parse('2026-12-07T03:00:00Z');
const ctx: SilenceContext = { now: NOW, actor: 'alice', existing: null, newId: () => 'new-id' };
const valid = {
  matchers: '{alertname="HighLatency", severity=~"crit.*"}',
  endsAt: '2026-12-07T05:00:00Z',
  comment: 'deploy',
};

function fields(input: unknown, c = ctx): Array<{ field: string; message: string }> {
  try {
    parseSilenceBody(input, c);
  } catch (e) {
    expect(e).toBeInstanceOf(SilenceValidationError);
    expect((e as SilenceValidationError).status).toBe(400);
    return (e as SilenceValidationError).fields;
  }
  throw new Error('accepted');
}

describe('parseSilenceBody', () => {
  it('reads matchers as one Alertmanager string; start defaults to now; author is the actor', () => {
    expect(parseSilenceBody({ ...valid, createdBy: 'mallory' }, ctx)).toEqual({
      id: 'new-id',
      matchers: [
        { name: 'alertname', op: '=', value: 'HighLatency' },
        { name: 'severity', op: '=~', value: 'crit.*' },
      ],
      startsAt: NOW,
      endsAt: Date.parse('2026-12-07T05:00:00Z'),
      createdBy: 'alice',
      comment: 'deploy',
    });
  });

  it('reads matcher objects, also in Alertmanager API v2 form, and a future start', () => {
    const s = parseSilenceBody(
      {
        ...valid,
        startsAt: '2026-12-07T04:00:00+01:00',
        matchers: [
          { name: 'job', op: '!=', value: 'x' },
          { name: 'env', value: 'prod|stage', isRegex: true, isEqual: true },
          { name: 'team', value: 'db', isRegex: false, isEqual: false },
        ],
      },
      ctx
    );
    expect(s.matchers.map((m) => m.op)).toEqual(['!=', '=~', '!=']);
    expect(s.startsAt).toBe(NOW); // 04:00+01:00 is 03:00Z: not in the future, so now
  });

  it('moves a past start of a new silence to now, keeps the stored start of a replaced one', () => {
    const past = { ...valid, startsAt: '2026-12-07T01:00:00Z' };
    expect(parseSilenceBody(past, ctx).startsAt).toBe(NOW);
    const existing: Silence = { ...parseSilenceBody(valid, ctx), id: 'old', startsAt: NOW - 60_000 };
    const replaced = parseSilenceBody(valid, { ...ctx, existing });
    expect(replaced).toMatchObject({ id: 'old', startsAt: NOW - 60_000 });
  });

  it('lists every field problem', () => {
    expect(fields({ matchers: [{ name: '', op: '==', value: 1 }], endsAt: 'tomorrow', extra: 1 })).toEqual([
      { field: 'extra', message: 'unknown field' },
      { field: 'matchers[0].name', message: `expected a label name of 1 to ${SILENCE_LIMITS.name} characters` },
      { field: 'matchers[0].op', message: 'expected one of = != =~ !~' },
      { field: 'matchers[0].value', message: `expected a string of at most ${SILENCE_LIMITS.value} characters` },
      { field: 'endsAt', message: 'expected an RFC 3339 time such as "2026-12-07T10:00:00Z", got "tomorrow"' },
      { field: 'comment', message: `expected a string of at most ${SILENCE_LIMITS.comment} characters` },
    ]);
  });

  it("applies Alertmanager's rules through core's validateSilence", () => {
    expect(fields({ ...valid, matchers: 'a=~".*"' })).toEqual([
      { field: 'matchers', message: 'at least one matcher must not match the empty string' },
    ]);
    expect(fields({ ...valid, matchers: [] })).toEqual([
      { field: 'matchers', message: 'at least one matcher is required' },
    ]);
    expect(fields({ ...valid, comment: ' ' })).toEqual([{ field: 'comment', message: 'comment is required' }]);
    expect(fields({ ...valid, endsAt: '2026-12-07T02:00:00Z' })).toEqual([
      { field: 'endsAt', message: 'end time must not be before start time' },
    ]);
    expect(
      fields(
        { ...valid, startsAt: NOW - 10, endsAt: NOW - 5 },
        { ...ctx, existing: { ...parseSilenceBody(valid, ctx) } }
      )
    ).toEqual([{ field: 'endsAt', message: 'end time must be in the future' }]);
  });

  it('refuses bad matcher text and non-objects with a field', () => {
    expect(fields({ ...valid, matchers: '{a="b"' })[0].field).toBe('matchers');
    expect(fields({ ...valid, matchers: 'a=~"("' })[0].field).toBe('matchers');
    expect(fields({ ...valid, matchers: 'x'.repeat(SILENCE_LIMITS.matcherText + 1) })[0].field).toBe('matchers');
    expect(fields([valid])).toEqual([{ field: 'body', message: 'expected a JSON object, got array' }]);
    expect(fields(null)).toEqual([{ field: 'body', message: 'expected a JSON object, got null' }]);
  });

  it('reads the id of a replacing body', () => {
    expect(silenceIdOf(valid)).toBeUndefined();
    expect(silenceIdOf({ ...valid, id: 'abc' })).toBe('abc');
    expect(() => silenceIdOf({ ...valid, id: 7 })).toThrow(SilenceValidationError);
    expect(() => silenceIdOf({ ...valid, id: '' })).toThrow(/id: expected the id/);
  });
});
