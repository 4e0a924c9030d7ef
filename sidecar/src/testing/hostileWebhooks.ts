/**
 * Seeded generators of malformed or hostile webhook bodies (Alertmanager v4, Grafana), shared by the
 * parser-level test (receivers/hostile.test.ts) and the HTTP one (api/receivers.hostile.test.ts).
 * Each body is a golden one with one fault planted at a random place; every fault makes it invalid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A JSON object. */
export type Json = Record<string, unknown>;

/** mulberry32: a small seeded PRNG so a failure is reproducible from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A value nested `levels` deep (objects and arrays alternating). */
export function deep(levels: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) {
    v = i % 2 ? [v] : { a: v };
  }
  return v;
}

/** The text of {@link deep}(levels), built without recursion (JSON.stringify overflows the stack on it). */
export function deepJsonText(levels: number): string {
  let open = '';
  let close = '';
  for (let i = levels - 1; i >= 0; i--) {
    open += i % 2 ? '[' : '{"a":';
    close = (i % 2 ? ']' : '}') + close;
  }
  return `${open}"x"${close}`;
}

const DEEP = deep(5000);
const WRONG: unknown[] = [42, -1.5, true, null, [], ['x'], {}, { a: 'b' }, deep(50), DEEP];

/**
 * JSON text of a generated body. The 5000-deep value is written by {@link deepJsonText}: the body goes
 * over HTTP as text, and JSON.stringify cannot write it.
 */
export function toJsonText(body: unknown): string {
  const marker = '\u0000deep5000\u0000';
  const text = JSON.stringify(body, (_k, v: unknown) => (v === DEEP ? marker : v));
  return text.split(JSON.stringify(marker)).join(deepJsonText(5000));
}

const BAD_TIMES = [
  '',
  'now',
  '2026-13-01T00:00:00Z',
  '2026-02-29T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T00:60:00Z',
  '2026-01-01T00:00:60Z',
  '2026-01-01 00:00:00Z',
  '2026-01-01T00:00:00',
  '2026-01-01T00:00:00+25:00',
  '1767225600',
  '2026-01-01T00:00:00.1234567890Z',
  `2026-01-01T00:00:00.${'1'.repeat(100000)}Z`,
];
const BAD_NAMES = ['0abc', 'a-b', 'a.b', 'ä', '', ' x', 'x'.repeat(300), '__proto__', 'constructor', 'prototype'];
const huge = (n: number): string => 'h'.repeat(n);

/** Plants one fault into a fresh copy of `golden`; every fault makes the body invalid. */
export function mutate(golden: Json, rnd: () => number, requiredTop: readonly string[]): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const body = JSON.parse(JSON.stringify(golden)) as Json;
  const alerts = body.alerts as Json[];
  const alert = pick(alerts);
  switch (Math.floor(rnd() * 12)) {
    case 0:
      return pick(WRONG.filter((w) => typeof w !== 'object' || w === null || Array.isArray(w)).concat(['body']));
    case 1:
      // Not `{}` or `{a:'b'}`: those are valid label maps.
      body[pick(['status', 'receiver', 'groupKey', 'externalURL', 'groupLabels', 'commonLabels', 'alerts'])] = pick(
        WRONG.filter(
          (w) =>
            !(
              typeof w === 'object' &&
              w !== null &&
              !Array.isArray(w) &&
              Object.keys(w).length < 2 &&
              JSON.stringify(w).length < 10
            )
        )
      );
      return body;
    case 2:
      alert[pick(['status', 'labels', 'annotations', 'startsAt', 'endsAt', 'generatorURL', 'fingerprint'])] = pick(
        WRONG.filter((w) => !(typeof w === 'object' && w !== null && !Array.isArray(w)))
      );
      return body;
    case 3:
      delete (pick([body, alert]) === body ? body : alert)[pick(requiredTop)];
      delete alert[pick(['status', 'labels', 'startsAt'])];
      return body;
    case 4:
      (alert.labels as Json)[pick(['severity', 'job', 'x'])] = pick(WRONG);
      return body;
    case 5:
      (pick([alert.labels, alert.annotations, body.commonLabels]) as Json)[pick(['summary', 'big'])] = huge(
        16 * 1024 + 1 + Math.floor(rnd() * 100000)
      );
      return body;
    case 6:
      alert[pick(['generatorURL', 'status'])] = huge(16 * 1024 + 1 + Math.floor(rnd() * 1000000));
      return body;
    case 7: {
      const name = pick(BAD_NAMES);
      const where = pick(['labels', 'annotations', 'groupLabels']);
      const text = `{${JSON.stringify(name)}: "v"}`;
      (where === 'groupLabels' ? body : alert)[where] = JSON.parse(text);
      return body;
    }
    case 8:
      alert[pick(['startsAt', 'endsAt'])] = pick(BAD_TIMES);
      return body;
    case 9:
      alert.status = pick(['pending', 'FIRING', 'ok', 'alerting', '']);
      return body;
    case 10: {
      const n = pick([65, 200, 5000]);
      alert.labels = Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, 'v']));
      return body;
    }
    default: {
      const n = pick([1001, 10000]);
      body.alerts = Array.from({ length: n }, () => alerts[0]);
      return body;
    }
  }
}

/** A golden receiver body from receivers/testdata (`alertmanager-v4.json`, `grafana.json`). */
export function loadGolden(file: string): Json {
  return JSON.parse(readFileSync(join(__dirname, '..', 'receivers', 'testdata', file), 'utf8')) as Json;
}

/** Top-level fields each sender requires (deleting one is a fault). */
export const REQUIRED_TOP = {
  alertmanager: ['status', 'alerts', 'version'],
  grafana: ['status', 'alerts'],
} as const;

/** A request as it goes over HTTP: the raw body text and its headers. */
export interface RawRequest {
  raw: string;
  headers: Record<string, string>;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const NOT_JSON: Array<Record<string, string>> = [
  {},
  { 'content-type': 'text/plain' },
  { 'content-type': 'application/x-www-form-urlencoded' },
  { 'content-type': 'multipart/form-data; boundary=x' },
  { 'content-type': 'application/xml' },
  { 'content-type': 'application/jsonx' },
  { 'content-type': 'application/json; charset=utf-16' },
  { 'content-type': 'application/json', 'content-encoding': 'x-unknown' },
  { 'content-type': 'application/json', 'content-encoding': 'gzip' },
];
const NOT_JSON_TEXT = [
  '{',
  '{"version": }',
  '{"a":1}{"b":2}',
  'nul',
  "{'status':'firing'}",
  '\u0000',
  '{"alerts": [1,]}',
];
const NOT_AN_OBJECT = ['[]', '42', 'null', 'true', '"firing"', '[{}]', '-0', '1e400'];

/**
 * Faults of the request rather than of the webhook body: invalid JSON, JSON that is not an object,
 * an empty body, nesting far deeper than any payload, a body of the wrong content type or encoding,
 * prototype-pollution keys, 10k tiny alerts under the size limit, and a golden body in another
 * sender's format.
 */
export function rawFault(goldens: { own: Json; other: Json }, rnd: () => number): RawRequest {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const text = JSON.stringify(goldens.own);
  switch (Math.floor(rnd() * 9)) {
    case 0:
      return { raw: pick(NOT_JSON_TEXT), headers: JSON_TYPE };
    case 1:
      return { raw: pick(NOT_AN_OBJECT), headers: JSON_TYPE };
    case 2:
      return { raw: '', headers: pick([JSON_TYPE, {}]) };
    case 3: {
      const n = pick([1000, 20000, 100000]);
      return { raw: pick(['[', '{"a":']).repeat(n), headers: JSON_TYPE };
    }
    case 4: {
      const n = pick([1000, 20000]);
      const raw = JSON.stringify({ ...goldens.own, alerts: '<deep>' }).replace('"<deep>"', deepJsonText(n));
      return { raw, headers: JSON_TYPE };
    }
    case 5:
      return { raw: text, headers: pick(NOT_JSON) };
    case 6: {
      const key = pick(['__proto__', 'constructor', 'prototype']);
      const where = pick(['top', 'labels', 'annotations']);
      const raw =
        where === 'top'
          ? `{"${key}": {"polluted": true}, ${text.slice(1)}`
          : text.replace(`"${where}":{`, `"${where}":{"${key}": {"polluted": true}, `);
      return { raw, headers: JSON_TYPE };
    }
    case 7: {
      const tiny = { status: 'firing', labels: { a: 'b' }, startsAt: '2026-12-07T01:00:00Z' };
      return {
        raw: JSON.stringify({ ...goldens.own, alerts: Array.from({ length: 10000 }, () => tiny) }),
        headers: JSON_TYPE,
      };
    }
    default:
      return { raw: JSON.stringify(goldens.other), headers: JSON_TYPE };
  }
}
