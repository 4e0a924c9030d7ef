/**
 * Label matchers in Alertmanager's syntax (https://prometheus.io/docs/alerting/latest/configuration/#matcher):
 * `name=value`, `name!=value`, `name=~regex`, `name!~regex`, in a list `{a="b", c!~"x.*"}` (braces
 * optional). Values may be double-quoted (with `\"`, `\\`, `\n`, `\t` escapes) or bare. A missing label
 * matches as the empty string, so `a!=""` means "a is set" (Alertmanager's pkg/labels/matcher.go).
 */

/** Matcher operators. */
export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
/** One of {@link MATCH_OPS}. */
export type MatchOp = (typeof MATCH_OPS)[number];

/** One label matcher. */
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

/** Thrown by the parsers; `message` says what and where. */
export class MatcherParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatcherParseError';
  }
}

// Compiled regexes, keyed by the raw value. Bounded so hostile input cannot grow it without limit.
const regexCache = new Map<string, RegExp>();
const REGEX_CACHE_MAX = 1000;

/**
 * The fully anchored regex of a `=~`/`!~` value (`^(?:value)$`, as Alertmanager anchors them), compiled
 * once. Throws MatcherParseError for an invalid pattern.
 */
export function matcherRegex(value: string): RegExp {
  let re = regexCache.get(value);
  if (!re) {
    try {
      // Go's RE2 takes flags inline; JavaScript (before ES2025 modifiers) does not. A leading `(?i)` —
      // the one flag seen in practice in matchers — becomes the `i` flag.
      const ci = value.startsWith('(?i)');
      re = new RegExp(`^(?:${ci ? value.slice(4) : value})$`, ci ? 'i' : '');
    } catch (e) {
      throw new MatcherParseError(`invalid regular expression ${JSON.stringify(value)}: ${(e as Error).message}`);
    }
    if (regexCache.size >= REGEX_CACHE_MAX) {
      regexCache.clear();
    }
    regexCache.set(value, re);
  }
  return re;
}

/** True when one matcher accepts the value (`undefined` = label missing = `""`). */
export function matchOne(m: Matcher, value: string | undefined): boolean {
  const v = value ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return matcherRegex(m.value).test(v);
    case '!~':
      return !matcherRegex(m.value).test(v);
  }
}

/** True when every matcher accepts the label set (an empty list matches everything). */
export function matches(matchers: readonly Matcher[], labels: Record<string, string>): boolean {
  for (const m of matchers) {
    const v = Object.prototype.hasOwnProperty.call(labels, m.name) ? labels[m.name] : undefined;
    if (!matchOne(m, v)) {
      return false;
    }
  }
  return true;
}

/** Alertmanager's text form of a matcher: `name="value"` with the value quoted. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.op}${JSON.stringify(m.value)}`;
}

/** Text form of a list, `{a="b",c=~"d"}` (Alertmanager's Matchers.String). */
export function formatMatchers(ms: readonly Matcher[]): string {
  return `{${ms.map(formatMatcher).join(',')}}`;
}

const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:]/;

/** A cursor over matcher text. */
class Scanner {
  pos = 0;
  constructor(readonly src: string) {}
  eof(): boolean {
    return this.pos >= this.src.length;
  }
  peek(): string {
    return this.src[this.pos] ?? '';
  }
  skipSpace(): void {
    while (!this.eof() && /\s/.test(this.peek())) {
      this.pos++;
    }
  }
  fail(what: string): never {
    const at = this.eof() ? 'end of input' : `position ${this.pos + 1} (${JSON.stringify(this.peek())})`;
    throw new MatcherParseError(`parse matchers ${JSON.stringify(this.src)}: ${what} at ${at}`);
  }
  quoted(): string {
    // Opening quote already checked by the caller.
    this.pos++;
    let out = '';
    for (;;) {
      if (this.eof()) {
        this.fail('unterminated quoted string');
      }
      const c = this.src[this.pos++];
      if (c === '"') {
        return out;
      }
      if (c === '\\') {
        if (this.eof()) {
          this.fail('unterminated escape');
        }
        const e = this.src[this.pos++];
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === '"' || e === '\\' ? e : `\\${e}`;
      } else {
        out += c;
      }
    }
  }
  name(): string {
    if (this.peek() === '"') {
      return this.quoted();
    }
    const start = this.pos;
    if (!NAME_START.test(this.peek())) {
      this.fail('expected a label name');
    }
    while (!this.eof() && NAME_CHAR.test(this.peek())) {
      this.pos++;
    }
    return this.src.slice(start, this.pos);
  }
  op(): MatchOp {
    const two = this.src.slice(this.pos, this.pos + 2);
    if (two === '=~' || two === '!~' || two === '!=') {
      this.pos += 2;
      return two;
    }
    if (this.peek() === '=') {
      this.pos++;
      return '=';
    }
    return this.fail('expected one of =, !=, =~, !~');
  }
  value(inBraces: boolean): string {
    if (this.peek() === '"') {
      return this.quoted();
    }
    // Bare value: up to the next comma (or closing brace), trailing spaces trimmed.
    const start = this.pos;
    while (!this.eof() && this.peek() !== ',' && !(inBraces && this.peek() === '}')) {
      if (this.peek() === '"') {
        this.fail('unexpected quote inside an unquoted value');
      }
      this.pos++;
    }
    return this.src.slice(start, this.pos).trim();
  }
}

function parseOne(s: Scanner, inBraces: boolean): Matcher {
  s.skipSpace();
  const name = s.name();
  s.skipSpace();
  const op = s.op();
  s.skipSpace();
  const value = s.value(inBraces);
  const m = { name, op, value };
  if (op === '=~' || op === '!~') {
    try {
      matcherRegex(value);
    } catch (e) {
      s.fail(`matcher ${name}${op}: ${(e as Error).message}`);
    }
  }
  return m;
}

/** Parses one matcher, e.g. `service=~"api|db"` or `env = prod`. Throws MatcherParseError. */
export function parseMatcher(text: string): Matcher {
  const s = new Scanner(text);
  const m = parseOne(s, false);
  s.skipSpace();
  if (!s.eof()) {
    s.fail('unexpected text after the matcher');
  }
  return m;
}

/**
 * Parses a list, `{a="b", c!~"x.*"}` or `a=b,c!~x.*` (braces optional, a trailing comma allowed, `{}`
 * is the empty list). Throws MatcherParseError.
 */
export function parseMatchers(text: string): Matcher[] {
  const s = new Scanner(text);
  s.skipSpace();
  const braces = s.peek() === '{';
  if (braces) {
    s.pos++;
  }
  const out: Matcher[] = [];
  for (;;) {
    s.skipSpace();
    if (braces && s.peek() === '}') {
      s.pos++;
      break;
    }
    if (s.eof()) {
      if (braces) {
        s.fail('missing closing }');
      }
      break;
    }
    out.push(parseOne(s, braces));
    s.skipSpace();
    if (s.peek() === ',') {
      s.pos++;
    } else if (!(braces && s.peek() === '}') && !s.eof()) {
      s.fail('expected , between matchers');
    }
  }
  s.skipSpace();
  if (!s.eof()) {
    s.fail('unexpected text after }');
  }
  return out;
}
