/**
 * The sidecar runs InfluxQL on a caller's behalf (rules, previews, ad-hoc detection), so it only ever
 * sends reads. InfluxDB 1.x already refuses writes on `GET /query`
 * (https://docs.influxdata.com/influxdb/v1/tools/api/#query-http-endpoint: "SELECT, SHOW" on GET;
 * "ALTER, CREATE, DELETE, DROP, GRANT, KILL, REVOKE, SELECT INTO" need POST), and this check refuses
 * them before anything is sent, so a write never reaches the server even behind a proxy that turns
 * GET into POST, and the caller gets a 400 naming the statement.
 */
import { VigilError } from '../errors';

/** One statement as the scanner saw it: its first keyword and whether `INTO` appears outside quotes. */
interface Statement {
  first: string;
  hasInto: boolean;
}

/**
 * Splits InfluxQL into statements on `;` outside quoted strings ('…'), quoted identifiers ("…"),
 * regex literals (/…/ after =~ or !~) and comments (-- … and /* … *\/), collecting the bare words
 * of each. Quoted text never counts as a keyword, so `SELECT "into" FROM m` stays a read.
 */
function scan(q: string): Statement[] | string {
  const out: Statement[] = [];
  let cur: Statement | null = null;
  let prevOp = ''; // last two non-space, non-word characters: tells a regex from a division
  let i = 0;
  const n = q.length;
  const word = (w: string) => {
    const upper = w.toUpperCase();
    if (!cur) {
      cur = { first: upper, hasInto: false };
      out.push(cur);
    } else if (upper === 'INTO') {
      cur.hasInto = true;
    }
  };
  const skipQuoted = (quote: string, what: string): string | null => {
    i++;
    while (i < n && q[i] !== quote) {
      i += q[i] === '\\' ? 2 : 1;
    }
    if (i >= n) {
      return `unterminated ${what}`;
    }
    i++;
    return null;
  };
  while (i < n) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && q[i + 1] === '-') {
      while (i < n && q[i] !== '\n') {
        i++;
      }
    } else if (c === '/' && q[i + 1] === '*') {
      const end = q.indexOf('*/', i + 2);
      if (end < 0) {
        return 'unterminated comment';
      }
      i = end + 2;
    } else if (c === "'" || c === '"') {
      // A quoted identifier can open a statement only in nonsense; count it as a word so the
      // statement is not taken for empty.
      const problem = skipQuoted(c, c === "'" ? 'string' : 'identifier');
      if (problem) {
        return problem;
      }
      if (!cur) {
        word('"');
      }
      prevOp = '';
    } else if (c === '/' && (prevOp.endsWith('=~') || prevOp.endsWith('!~'))) {
      const problem = skipQuoted('/', 'regular expression');
      if (problem) {
        return problem;
      }
      prevOp = '';
    } else if (c === ';') {
      cur = null;
      prevOp = '';
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(q[j])) {
        j++;
      }
      word(q.slice(i, j));
      prevOp = '';
      i = j;
    } else {
      if (!cur) {
        word(c);
      }
      prevOp = (prevOp + c).slice(-2);
      i++;
    }
  }
  return out;
}

/**
 * Why an InfluxQL text is not a pure read, or null when every statement is a `SELECT` (without
 * `INTO`) or a `SHOW`.
 */
export function influxReadOnlyProblem(q: string): string | null {
  const statements = scan(q);
  if (typeof statements === 'string') {
    return `InfluxQL: ${statements}`;
  }
  if (statements.length === 0) {
    return 'InfluxQL: no statement';
  }
  for (let k = 0; k < statements.length; k++) {
    const s = statements[k];
    const which = statements.length > 1 ? `statement ${k + 1}` : 'the statement';
    if (s.first !== 'SELECT' && s.first !== 'SHOW') {
      return `InfluxQL: only SELECT and SHOW statements are allowed, ${which} is ${s.first}`;
    }
    if (s.first === 'SELECT' && s.hasInto) {
      return `InfluxQL: SELECT … INTO writes data and is not allowed (${which})`;
    }
  }
  return null;
}

/** Throws a 400 VigilError (`query_not_read_only`) unless the InfluxQL text is read-only. */
export function assertReadOnlyInfluxQL(q: string): void {
  const problem = influxReadOnlyProblem(q);
  if (problem !== null) {
    throw new VigilError('query_not_read_only', problem, { status: 400 });
  }
}
