// Thousands of seeded malformed or hostile bodies against both parsers: every one refused with a
// `$`-path, none thrown. Each body is the golden one with one fault planted at a random place.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAlertmanagerWebhook } from './alertmanager';
import { parseGrafanaWebhook } from './grafana';
import type { ParseResult } from './types';

type Json = Record<string, unknown>;

/** mulberry32: a small seeded PRNG so a failure is reproducible from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function deep(levels: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) {
    v = i % 2 ? [v] : { a: v };
  }
  return v;
}

const WRONG: unknown[] = [42, -1.5, true, null, [], ['x'], {}, { a: 'b' }, deep(50), deep(5000)];
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
function mutate(golden: Json, rnd: () => number, requiredTop: string[]): unknown {
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

function check(
  name: string,
  parse: (b: unknown) => ParseResult,
  golden: Json,
  requiredTop: string[],
  seed: number
): void {
  expect(parse(golden).ok).toBe(true); // the faults below are what make the bodies invalid
  const rnd = prng(seed);
  for (let i = 0; i < 2000; i++) {
    const body = mutate(golden, rnd, requiredTop);
    let r: ParseResult;
    try {
      r = parse(body);
    } catch (err) {
      throw new Error(`${name} body ${i} (seed ${seed}) threw: ${(err as Error).message}`);
    }
    if (r.ok) {
      throw new Error(`${name} body ${i} (seed ${seed}) was accepted: ${JSON.stringify(body).slice(0, 5000)}`);
    }
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors.length).toBeLessThanOrEqual(20);
    for (const e of r.errors) {
      expect(e.path).toMatch(/^\$/);
      expect(e.path.length).toBeLessThan(200);
      expect(e.message.length).toBeLessThan(300);
    }
  }
}

const load = (file: string): Json => JSON.parse(readFileSync(join(__dirname, 'testdata', file), 'utf8')) as Json;

describe('hostile receiver bodies', () => {
  it('Alertmanager: every malformed body refused with a path, none thrown', () => {
    check('alertmanager', parseAlertmanagerWebhook, load('alertmanager-v4.json'), ['status', 'alerts', 'version'], 9);
  });

  it('Grafana: every malformed body refused with a path, none thrown', () => {
    check('grafana', parseGrafanaWebhook, load('grafana.json'), ['status', 'alerts'], 10);
  });

  it('refuses a body whose getter throws (not JSON, but never a throw out of the parser)', () => {
    const evil = Object.defineProperty({}, 'alerts', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(parseAlertmanagerWebhook(evil)).toMatchObject({ ok: false, errors: [{ path: '$' }] });
    expect(parseGrafanaWebhook(evil)).toMatchObject({ ok: false, errors: [{ path: '$' }] });
  });
});
