/**
 * Annotation templates: the subset of Prometheus' Go templates
 * (https://prometheus.io/docs/prometheus/latest/configuration/template_reference/) that alert
 * annotations use, so a rule exported to Prometheus renders the same there:
 * `{{ $value }}`, `{{ $threshold }}`, `{{ $labels.name }}`, `{{ index $labels "name" }}`, `.Value`,
 * `.Labels.name`, pipes (`{{ $value | humanize }}`, `| printf "%.2f"`), call form
 * (`{{ humanize $value }}`, `{{ printf "%.1f%%" $value }}`), `{{- -}}` trimming and comments.
 * Anything else (if/range/define, unknown functions) is left in the output as written: a template
 * never throws, and the output is capped at {@link MAX_RENDERED} characters.
 */
import { printValue } from './goFormat';
import { humanize, humanize1024, humanizeDuration, humanizePercentage, printf } from './humanize';

/** Longest rendered annotation; longer output is cut (an annotation is not a document). */
export const MAX_RENDERED = 4096;

/** What a template can refer to. */
export interface TemplateData {
  /** `$value`; null (no value, e.g. a NoData instance) prints as `<no value>`. */
  value: number | null;
  /** `$threshold`: the threshold in force. */
  threshold?: number | null;
  labels: Record<string, string>;
}

type Value = number | string | Record<string, string> | null;
type Fn = (...args: Value[]) => Value;

const toNumber = (v: Value): number => {
  if (typeof v === 'number') {
    return v;
  }
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) {
    return Number(v);
  }
  throw new Error('not a number');
};

const FUNCS: Record<string, Fn> = {
  humanize: (v) => humanize(toNumber(v)),
  humanize1024: (v) => humanize1024(toNumber(v)),
  humanizePercentage: (v) => humanizePercentage(toNumber(v)),
  humanizeDuration: (v) => humanizeDuration(toNumber(v)),
  printf: (fmt, ...args) => {
    if (typeof fmt !== 'string') {
      throw new Error('printf: format must be a string');
    }
    return printf(fmt, ...args);
  },
  index: (m, key) => {
    if (m === null || typeof m !== 'object' || typeof key !== 'string') {
      throw new Error('index: expected a map and a key');
    }
    return Object.prototype.hasOwnProperty.call(m, key) ? m[key] : '';
  },
  toUpper: (s) => String(s).toUpperCase(),
  toLower: (s) => String(s).toLowerCase(),
  title: (s) => String(s).replace(/\b\w/g, (c) => c.toUpperCase()),
};

// Tokens: strings ("…" with escapes, `…` raw), numbers, variables and fields, identifiers, pipes.
const TOKEN_RE = /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![\w.])|(\$\w*(?:\.\w+)*|\.\w+(?:\.\w+)*)|([A-Za-z_]\w*)|(\|))/y;

type Token = { kind: 'str' | 'num' | 'var' | 'ident' | 'pipe'; text: string };

function tokenize(src: string): Token[] | null {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) {
      break;
    }
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(src);
    if (m === null) {
      return null;
    }
    pos = TOKEN_RE.lastIndex;
    if (m[1] !== undefined) {
      out.push({ kind: 'str', text: JSON.parse(m[1]) as string });
    } else if (m[2] !== undefined) {
      out.push({ kind: 'str', text: m[2].slice(1, -1) });
    } else if (m[3] !== undefined) {
      out.push({ kind: 'num', text: m[3] });
    } else if (m[4] !== undefined) {
      out.push({ kind: 'var', text: m[4] });
    } else if (m[5] !== undefined) {
      out.push({ kind: 'ident', text: m[5] });
    } else {
      out.push({ kind: 'pipe', text: '|' });
    }
  }
  return out;
}

function resolveVar(path: string, data: TemplateData): Value {
  const parts = path.split('.');
  const root = parts[0];
  let v: Value;
  let rest: string[];
  if (root === '') {
    // `.Value`, `.Labels.x`: the dot is the alert, as in Prometheus.
    const field = parts[1];
    rest = parts.slice(2);
    v = field === 'Value' ? data.value : field === 'Labels' ? data.labels : field === 'Threshold' ? (data.threshold ?? null) : undefinedVar();
  } else {
    rest = parts.slice(1);
    v = root === '$value' ? data.value : root === '$labels' ? data.labels : root === '$threshold' ? (data.threshold ?? null) : undefinedVar();
  }
  for (const key of rest) {
    if (v === null || typeof v !== 'object') {
      throw new Error(`cannot read .${key}`);
    }
    // A missing label prints empty, as Prometheus' `missingkey=zero` templates do.
    v = Object.prototype.hasOwnProperty.call(v, key) ? v[key] : '';
  }
  return v;
}

function undefinedVar(): never {
  throw new Error('undefined variable');
}

function operand(t: Token, data: TemplateData): Value {
  switch (t.kind) {
    case 'str':
      return t.text;
    case 'num':
      return Number(t.text);
    case 'var':
      return resolveVar(t.text, data);
    default:
      throw new Error(`unexpected ${t.text}`);
  }
}

/** A parsed action: its pipeline of commands, or null when it is outside the subset (printed as written). */
interface Action {
  commands: Token[][] | null;
  raw: string;
}

/** A compiled template: text and actions in order. */
type Segment = string | Action;

/** Splits an action into its pipeline's commands; null when it is not in the subset. */
function parseAction(src: string): Token[][] | null {
  const tokens = tokenize(src);
  if (tokens === null || tokens.length === 0) {
    return null;
  }
  const commands: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'pipe') {
      commands.push([]);
    } else {
      commands[commands.length - 1].push(t);
    }
  }
  return commands.some((c) => c.length === 0) ? null : commands;
}

/** Runs a pipeline; throws when it fails (unknown function, wrong argument type). */
function evalAction(commands: Token[][], data: TemplateData): Value {
  let piped: Value | undefined;
  for (const cmd of commands) {
    const [head, ...rest] = cmd;
    if (head.kind === 'ident') {
      const fn = Object.prototype.hasOwnProperty.call(FUNCS, head.text) ? FUNCS[head.text] : undefined;
      if (fn === undefined) {
        throw new Error(`unknown function ${head.text}`);
      }
      const args = rest.map((t) => operand(t, data));
      if (piped !== undefined) {
        args.push(piped);
      }
      piped = fn(...args);
    } else {
      if (rest.length > 0 || piped !== undefined) {
        throw new Error('a value cannot take arguments');
      }
      piped = operand(head, data);
    }
  }
  return piped as Value;
}

/** Parses a template into text and actions (trim markers applied, comments dropped). */
function compile(tpl: string): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  while (pos < tpl.length) {
    const open = tpl.indexOf('{{', pos);
    const close = open < 0 ? -1 : findClose(tpl, open + 2);
    if (close < 0) {
      out.push(tpl.slice(pos));
      break;
    }
    let inner = tpl.slice(open + 2, close);
    let text = tpl.slice(pos, open);
    let next = close + 2;
    // `{{- ` trims the whitespace before, ` -}}` the whitespace after (Go requires the space).
    if (/^-\s/.test(inner)) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    if (/\s-$/.test(inner)) {
      inner = inner.slice(0, -1);
      while (next < tpl.length && /\s/.test(tpl[next])) {
        next++;
      }
    }
    out.push(text);
    const trimmed = inner.trim();
    if (!(trimmed.startsWith('/*') && trimmed.endsWith('*/'))) {
      out.push({ commands: parseAction(inner), raw: tpl.slice(open, close + 2) });
    }
    pos = next;
  }
  return out;
}

// Rules render the same few templates on every evaluation: parse each once.
const compiled = new Map<string, Segment[]>();
const MAX_COMPILED = 1024;

function compiledTemplate(tpl: string): Segment[] {
  let c = compiled.get(tpl);
  if (c === undefined) {
    c = compile(tpl);
    if (compiled.size >= MAX_COMPILED) {
      compiled.clear();
    }
    compiled.set(tpl, c);
  }
  return c;
}

/** Renders one template. Never throws; unknown actions stay as written. */
export function renderTemplate(tpl: string, data: TemplateData): string {
  if (typeof tpl !== 'string') {
    return '';
  }
  let out = '';
  for (const seg of compiledTemplate(tpl)) {
    if (out.length > MAX_RENDERED) {
      break;
    }
    if (typeof seg === 'string') {
      out += seg;
      continue;
    }
    try {
      out += seg.commands === null ? seg.raw : printValue(evalAction(seg.commands, data));
    } catch {
      out += seg.raw;
    }
  }
  return out.length > MAX_RENDERED ? out.slice(0, MAX_RENDERED) : out;
}

/** Index of the `}}` closing an action that starts at `from`, skipping string literals; −1 if none. */
function findClose(tpl: string, from: number): number {
  for (let i = from; i < tpl.length - 1; i++) {
    const c = tpl[i];
    if (c === '"') {
      for (i++; i < tpl.length && tpl[i] !== '"'; i++) {
        if (tpl[i] === '\\') {
          i++;
        }
      }
    } else if (c === '`') {
      const end = tpl.indexOf('`', i + 1);
      if (end < 0) {
        return -1;
      }
      i = end;
    } else if (c === '}' && tpl[i + 1] === '}') {
      return i;
    }
  }
  return -1;
}

/** Renders every annotation of a rule (summary, description, runbook_url, …) with the same data. */
export function renderAnnotations(annotations: Record<string, string>, data: TemplateData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(annotations)) {
    out[key] = renderTemplate(annotations[key], data);
  }
  return out;
}
