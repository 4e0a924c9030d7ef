/**
 * Go's number formatting as Prometheus templates print it: `%v`/`%g` of a float64, `printf` with
 * the common verbs, and Prometheus' `humanize*` functions
 * (https://prometheus.io/docs/prometheus/latest/configuration/template_reference/#numbers), so an
 * annotation exported to a Prometheus rule file renders the same there and here.
 */

import { goFormatE, goFormatF, goFormatG } from './goNumber';

export { goFormatE, goFormatF, goFormatG };

const PRINTF_RE = /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([vsdfFeEgGxXqt%])/g;

/**
 * Go's `fmt.Sprintf` for the verbs templates use: `%v %s %d %f %e %g %x %q %t %%` with flags, width
 * and precision. A verb whose argument is missing or of the wrong type prints as Go does
 * (`%!d(MISSING)`, `%!d(float64=1.5)`).
 */
export function goSprintf(format: string, args: unknown[]): string {
  let i = 0;
  return format.replace(PRINTF_RE, (_m, flags: string, width: string | undefined, precision: string | undefined, verb: string) => {
    if (verb === '%') {
      return '%';
    }
    if (i >= args.length) {
      return `%!${verb}(MISSING)`;
    }
    const arg = args[i++];
    const prec = precision === undefined ? undefined : Number(precision);
    let out = formatVerb(verb, arg, prec, flags);
    if (width !== undefined && out.length < Number(width)) {
      const pad = Number(width) - out.length;
      if (flags.includes('-')) {
        out += ' '.repeat(pad);
      } else if (flags.includes('0') && typeof arg === 'number' && /^[+-]?\d/.test(out)) {
        const sign = /^[+-]/.test(out) ? out[0] : '';
        out = sign + '0'.repeat(pad) + out.slice(sign.length);
      } else {
        out = ' '.repeat(pad) + out;
      }
    }
    return out;
  });
}

function formatVerb(verb: string, arg: unknown, prec: number | undefined, flags: string): string {
  const plus = (s: string) => (flags.includes('+') && !s.startsWith('-') ? '+' + s : s);
  if (typeof arg === 'number') {
    switch (verb) {
      case 'v':
      case 'g':
      case 'G':
        return plus(verb === 'G' ? goFormatG(arg, prec ?? -1).toUpperCase() : goFormatG(arg, prec ?? -1));
      case 'f':
      case 'F':
        return plus(goFormatF(arg, prec ?? 6));
      case 'e':
      case 'E':
        return plus(verb === 'E' ? goFormatE(arg, prec ?? 6).toUpperCase() : goFormatE(arg, prec ?? 6));
      case 'd':
        return Number.isInteger(arg) ? plus(String(arg)) : `%!d(float64=${goFormatG(arg)})`;
      case 'x':
      case 'X': {
        const s = Number.isInteger(arg) ? arg.toString(16) : `%!x(float64=${goFormatG(arg)})`;
        return verb === 'X' ? s.toUpperCase() : s;
      }
      default:
        return `%!${verb}(float64=${goFormatG(arg)})`;
    }
  }
  const s = typeof arg === 'string' ? arg : printValue(arg);
  switch (verb) {
    case 'v':
    case 's':
      return prec === undefined ? s : s.slice(0, prec);
    case 'q':
      return JSON.stringify(s);
    case 'x':
      return utf8Hex(s);
    default:
      return `%!${verb}(string=${s})`;
  }
}

/** Hex of the UTF-8 bytes of `s` (Go's `%x` of a string), without TextEncoder. */
function utf8Hex(s: string): string {
  let enc: string;
  try {
    enc = encodeURIComponent(s);
  } catch {
    return `%!x(string=${s})`; // a lone surrogate: not valid UTF-16
  }
  let out = '';
  for (let i = 0; i < enc.length; i++) {
    if (enc[i] === '%') {
      out += enc.slice(i + 1, i + 3).toLowerCase();
      i += 2;
    } else {
      out += enc.charCodeAt(i).toString(16).padStart(2, '0');
    }
  }
  return out;
}

/** How a template prints a value: numbers as Go's `%v`, maps as `map[k:v …]`, null as `<no value>`. */
export function printValue(v: unknown): string {
  if (typeof v === 'number') {
    return goFormatG(v);
  }
  if (typeof v === 'string') {
    return v;
  }
  if (typeof v === 'boolean') {
    return String(v);
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${printValue(o[k])}`)
      .join(' ')}]`;
  }
  return '<no value>';
}
