/**
 * The InfluxQL an SLI's burn-down reads: the user's count query with its buckets set to the
 * burn-down's step. InfluxDB labels a `GROUP BY time` bucket by its start and holds [start, start +
 * step); a burn-down step ending at t counts (t − step, t], as the evaluation's `$timeFilter` does.
 * Offset by 1 ms, a bucket holds exactly that (timestamps in milliseconds), labelled t − step + 1 ms.
 * So the query's top-level `time($__interval)` becomes `time(<step>ms, 1ms)`, and a query without a
 * `GROUP BY time` gets one (a plain sum over `$timeFilter` is one point for the whole range).
 */

/** The offset of the burn-down's buckets: a bucket labelled L ends (inclusive) at L − 1 ms + step. */
export const STEP_OFFSET_MS = 1;

/** The step time (bucket end) of the bucket InfluxDB labels `label`. */
export const stepEndOf = (label: number, stepMs: number): number => label - STEP_OFFSET_MS + stepMs;

/** The query bucketed by the step, or why it cannot be (a fixed `time(1m)`, several statements). */
export type StepQuery = { query: string } | { error: string };

/**
 * Depth of parentheses at each character, with quoted strings, quoted identifiers and regex literals
 * (after `=~` / `!~`) blanked out, so keywords are only matched in the statement's own clauses.
 */
function topLevel(query: string): { masked: string; depth: number[] } {
  const chars = query.split('');
  const depth: number[] = [];
  let d = 0;
  let quote: string | null = null;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (quote !== null) {
      if (c === '\\') {
        chars[i] = ' ';
        depth.push(d);
        i++;
        if (i < chars.length) {
          chars[i] = ' ';
          depth.push(d);
        }
        continue;
      }
      if (c === quote) {
        quote = null;
      } else {
        chars[i] = ' ';
      }
      depth.push(d);
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '/' && /[=!]~\s*$/.test(query.slice(0, i))) {
      quote = '/';
    } else if (c === '(') {
      d++;
    } else if (c === ')') {
      d = Math.max(0, d - 1);
    }
    // A parenthesis counts at its own depth: `time(` opens at the statement's level.
    depth.push(c === '(' ? d - 1 : d);
  }
  return { masked: chars.join(''), depth };
}

/** The first match of `re` (global) at depth 0 from `from`, or null. */
function findTop(masked: string, depth: number[], re: RegExp, from = 0): RegExpExecArray | null {
  re.lastIndex = from;
  for (let m = re.exec(masked); m !== null; m = re.exec(masked)) {
    if (depth[m.index] === 0) {
      return m;
    }
  }
  return null;
}

/** Clauses that follow GROUP BY in a SELECT (InfluxQL's grammar). */
const AFTER_GROUP_BY = /\b(fill\s*\(|ORDER\s+BY\b|LIMIT\b|OFFSET\b|SLIMIT\b|SOFFSET\b|tz\s*\()/gi;

/** `query` with its buckets set to `stepMs` (see the file's comment). */
export function influxStepQuery(query: string, stepMs: number): StepQuery {
  const text = query.replace(/[\s;]+$/, '');
  const { masked, depth } = topLevel(text);
  if (findTop(masked, depth, /;/g) !== null) {
    return { error: 'a burn-down reads one statement: remove the others' };
  }
  const time = `time(${stepMs}ms, ${STEP_OFFSET_MS}ms)`;
  const groupBy = findTop(masked, depth, /\bGROUP\s+BY\b/gi);
  if (groupBy === null) {
    // No GROUP BY: one added before the clauses that must follow it.
    const after = findTop(masked, depth, AFTER_GROUP_BY);
    const at = after === null ? text.length : after.index;
    return { query: `${text.slice(0, at).trimEnd()} GROUP BY ${time}${at < text.length ? ' ' : ''}${text.slice(at)}` };
  }
  const from = groupBy.index + groupBy[0].length;
  const end = findTop(masked, depth, AFTER_GROUP_BY, from)?.index ?? text.length;
  const timeCall = findTop(masked, depth, /\btime\s*\(/gi, from);
  if (timeCall === null || timeCall.index >= end) {
    // GROUP BY tags only: the time buckets go first.
    const rest = text.slice(from).trimStart();
    return { query: `${text.slice(0, from)} ${time}, ${rest}` };
  }
  const close = depth.findIndex((dd, i) => i > timeCall.index && dd === 0 && masked[i] === ')');
  const args = text.slice(timeCall.index + timeCall[0].length, close);
  if (close < 0 || !/^\s*\$(__interval|interval)\s*$/.test(args)) {
    return {
      error: `groups by time(${args.trim()}): a burn-down needs GROUP BY time($__interval) (Grafana's default) or no GROUP BY time`,
    };
  }
  return { query: `${text.slice(0, timeCall.index)}${time}${text.slice(close + 1)}` };
}
