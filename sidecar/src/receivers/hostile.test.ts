// Thousands of seeded malformed or hostile bodies against both parsers: every one refused with a
// `$`-path, none thrown. Each body is the golden one with one fault planted at a random place
// (generators in testing/hostileWebhooks.ts, shared with the HTTP test api/receivers.hostile.test.ts).
import { loadGolden, mutate, prng, REQUIRED_TOP, type Json } from '../testing/hostileWebhooks';
import { parseAlertmanagerWebhook } from './alertmanager';
import { parseGrafanaWebhook } from './grafana';
import type { ParseResult } from './types';

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

describe('hostile receiver bodies', () => {
  it('Alertmanager: every malformed body refused with a path, none thrown', () => {
    check(
      'alertmanager',
      parseAlertmanagerWebhook,
      loadGolden('alertmanager-v4.json'),
      [...REQUIRED_TOP.alertmanager],
      9
    );
  });

  it('Grafana: every malformed body refused with a path, none thrown', () => {
    check('grafana', parseGrafanaWebhook, loadGolden('grafana.json'), [...REQUIRED_TOP.grafana], 10);
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
