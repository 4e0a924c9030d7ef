/**
 * Prometheus' template functions for numbers
 * (https://prometheus.io/docs/prometheus/latest/configuration/template_reference/#numbers),
 * same algorithms as prometheus/template/template.go so annotations render identically.
 */
import { goFormatG, goSprintf } from './goFormat';

const BIG = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SMALL = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

/** Scales |v| < 1 up by 1000s, returning the value and the SI prefix (`m`, `u`, …). */
function smallPrefix(v: number): [number, string] {
  let prefix = '';
  for (const p of SMALL) {
    if (Math.abs(v) >= 1) {
      break;
    }
    prefix = p;
    v *= 1000;
  }
  return [v, prefix];
}

/** `humanize`: SI prefixes with 4 significant digits (1234567 → `1.235M`, 0.001 → `1m`). */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) {
    return goFormatG(v, 4);
  }
  if (Math.abs(v) >= 1) {
    let prefix = '';
    for (const p of BIG) {
      if (Math.abs(v) < 1000) {
        break;
      }
      prefix = p;
      v /= 1000;
    }
    return goFormatG(v, 4) + prefix;
  }
  const [scaled, prefix] = smallPrefix(v);
  return goFormatG(scaled, 4) + prefix;
}

/** `humanize1024`: binary prefixes (1048576 → `1Mi`). */
export function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) {
    return goFormatG(v, 4);
  }
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) {
      break;
    }
    prefix = p;
    v /= 1024;
  }
  return goFormatG(v, 4) + prefix;
}

/** `humanizePercentage`: a ratio as a percentage (0.1234567 → `12.35%`). */
export function humanizePercentage(v: number): string {
  return goFormatG(v * 100, 4) + '%';
}

/** `humanizeDuration`: seconds as `1d 2h 3m 4s`, `14m 59s`, `1.5s`, `500ms`. */
export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) {
    return goFormatG(v, 4);
  }
  if (v === 0) {
    return goFormatG(v, 4) + 's';
  }
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const a = Math.abs(v);
    const total = Math.trunc(a);
    const seconds = total % 60;
    const minutes = Math.floor(total / 60) % 60;
    const hours = Math.floor(total / 3600) % 24;
    const days = Math.floor(total / 86400);
    if (days !== 0) {
      return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    }
    if (hours !== 0) {
      return `${sign}${hours}h ${minutes}m ${seconds}s`;
    }
    if (minutes !== 0) {
      return `${sign}${minutes}m ${seconds}s`;
    }
    return `${sign}${goFormatG(a, 4)}s`;
  }
  const [scaled, prefix] = smallPrefix(v);
  return `${goFormatG(scaled, 4)}${prefix}s`;
}

/** `printf`, re-exported under the template function's name. */
export const printf = (format: string, ...args: unknown[]) => goSprintf(format, args);
