/** Where a 0-based character offset falls in a multi-line query, for a caret drawn under it. */
export interface QueryCaret {
  /** 1-based line number. */
  line: number;
  /** 1-based column. */
  column: number;
  /** The text of that line. */
  text: string;
  /** Spaces then `^` under the offending character (tabs kept, so the caret lines up in monospace). */
  caret: string;
}

/**
 * The line and column of `position` in `query` (the sidecar's PromQL parser reports an offset). An
 * offset at or past the end points just after the last character, where "unexpected end of input" is.
 */
export function queryCaret(query: string, position: number): QueryCaret {
  const pos = Math.max(0, Math.min(Math.floor(position), query.length));
  const before = query.slice(0, pos);
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = query.indexOf('\n', pos);
  const text = query.slice(lineStart, lineEnd === -1 ? query.length : lineEnd);
  const prefix = query.slice(lineStart, pos).replace(/[^\t]/g, ' ');
  return {
    line: before.split('\n').length,
    column: pos - lineStart + 1,
    text,
    caret: `${prefix}^`,
  };
}
