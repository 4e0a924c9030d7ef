import golden from './testdata/matchers.json';
import { formatMatchers, Matcher, MatcherParseError, matches, parseMatcher, parseMatchers } from './matchers';

describe('parseMatchers', () => {
  it.each(golden.parse)('parses $in', ({ in: text, out }) => {
    expect(parseMatchers(text)).toEqual(out);
  });

  it.each(golden.errors)('rejects $in', ({ in: text, message }) => {
    let err: unknown;
    try {
      parseMatchers(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MatcherParseError);
    expect((err as Error).message).toMatch(new RegExp(message));
    // The message names the input so a user can find the mistake.
    expect((err as Error).message).toContain(JSON.stringify(text));
  });

  it('round-trips through formatMatchers', () => {
    const ms = parseMatchers('{a="x\\"y", b!~"a|b", c=~".+", d!=""}');
    expect(parseMatchers(formatMatchers(ms))).toEqual(ms);
  });
});

describe('parseMatcher', () => {
  it('parses one matcher in both forms', () => {
    expect(parseMatcher('service=~"api|db"')).toEqual({ name: 'service', op: '=~', value: 'api|db' });
    expect(parseMatcher(' severity = critical ')).toEqual({ name: 'severity', op: '=', value: 'critical' });
  });
  it('rejects trailing text and a second matcher', () => {
    expect(() => parseMatcher('a="b" extra')).toThrow(/unexpected text after the matcher/);
    expect(() => parseMatcher('a=b,c=d')).toThrow(/unexpected text after the matcher/);
  });
});

describe('matches', () => {
  const m = (text: string): Matcher[] => parseMatchers(text);
  const labels = { alertname: 'HighCPU', service: 'api', env: 'prod' };

  it('applies the four operators', () => {
    expect(matches(m('service=api'), labels)).toBe(true);
    expect(matches(m('service!=api'), labels)).toBe(false);
    expect(matches(m('service=~"api|db"'), labels)).toBe(true);
    expect(matches(m('service!~"api|db"'), labels)).toBe(false);
    expect(matches([], labels)).toBe(true);
  });

  it('anchors regexes at both ends', () => {
    expect(matches(m('service=~"ap"'), labels)).toBe(false);
    expect(matches(m('service=~"pi"'), labels)).toBe(false);
    // Without the group, `^a|b$` would match "abc"; anchoring wraps the whole alternation.
    expect(matches(m('service=~"a|pi"'), { service: 'api' })).toBe(false);
    expect(matches(m('service!~"ap"'), labels)).toBe(true);
  });

  it("reads Go's leading (?i) as case-insensitive", () => {
    expect(matches(m('service=~"(?i)API"'), labels)).toBe(true);
    expect(matches(m('service=~"API"'), labels)).toBe(false);
  });

  it('treats a missing label as the empty string', () => {
    expect(matches(m('team=""'), labels)).toBe(true);
    expect(matches(m('team!=""'), labels)).toBe(false);
    expect(matches(m('service!=""'), labels)).toBe(true);
    expect(matches(m('team=~".*"'), labels)).toBe(true);
    expect(matches(m('team=~".+"'), labels)).toBe(false);
    expect(matches(m('team!~"x"'), labels)).toBe(true);
  });

  it('does not read inherited object properties as labels', () => {
    expect(matches(m('toString!=""'), {})).toBe(false);
    expect(matches(m('constructor=""'), {})).toBe(true);
  });

  it('needs every matcher to hold', () => {
    expect(matches(m('{service="api", env="dev"}'), labels)).toBe(false);
    expect(matches(m('{service="api", env=~"prod|staging"}'), labels)).toBe(true);
  });
});
