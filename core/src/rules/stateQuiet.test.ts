/**
 * The quiet-step shortcut of advance (stateQuiet.ts) against the full step on random inputs built to
 * hit its edges: series that become one instance through the rule labels, `__name__` or
 * `alertname`, lone surrogates, active samples, previous instances, errors and empty results.
 */
import { advance, advanceFull, type StateRule } from './state';
import { isQuietStep } from './stateQuiet';
import { rule, T0 } from './testdata/stateTimeline';
import type { AlertInstance, EvaluatedSample, EvaluationResult } from './types';

function lcg(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const NAMES = ['instance', 'job', 'team', 'env', '__name__', 'alertname'];
// Few values, so that series often coincide; '\uD800' and '\uFFFD' are one value to the fingerprint.
const VALUES = ['a', 'b', '', 'ops', '\uD800', '\uFFFD', '\uD83D\uDE00', 'a\u00e9', '\uDC00x', '\uFFFDx'];

function randomLabels(rnd: () => number, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    if (rnd() < 0.5) {
      out[name] = VALUES[Math.floor(rnd() * (rnd() < 0.8 ? 4 : VALUES.length))];
    }
  }
  return out;
}

function randomResult(rnd: () => number, at: number): EvaluationResult {
  const r = rnd();
  if (r < 0.05) {
    return { kind: 'error', at, message: 'timeout' };
  }
  if (r < 0.1) {
    return { kind: 'ok', at, samples: [] };
  }
  const activeShare = rnd() < 0.7 ? 0 : 0.3;
  const samples: EvaluatedSample[] = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => ({
    labels: randomLabels(rnd, NAMES),
    value: Math.floor(rnd() * 100),
    threshold: 80,
    active: rnd() < activeShare,
  }));
  return { kind: 'ok', at, samples };
}

describe('advance: the quiet-step shortcut', () => {
  it('gives exactly what the full step gives, on random inputs', () => {
    const rnd = lcg(715);
    const seen = { quiet: 0, quietCandidates: 0, refused: 0 };
    for (let run = 0; run < 400; run++) {
      const r: StateRule = rule({
        labels: randomLabels(rnd, ['team', 'env', 'instance', '__name__']),
        forMs: Math.floor(rnd() * 3) * 60_000,
        keepFiringForMs: Math.floor(rnd() * 2) * 60_000,
      });
      let prev: AlertInstance[] = [];
      for (let step = 0; step < 12; step++) {
        const res = randomResult(rnd, T0 + step * 60_000);
        const full = advanceFull(r, prev, res);
        expect(advance(r, prev, res)).toEqual(full);
        const quiet = isQuietStep(r, prev, res);
        if (quiet) {
          seen.quiet++;
          expect(full).toEqual({ instances: [], transitions: [] });
        }
        if (prev.length === 0 && res.kind === 'ok' && res.samples.length > 0 && !res.samples.some((s) => s.active)) {
          seen.quietCandidates++;
          if (full.instances.some((i) => i.state === 'error')) {
            seen.refused++; // duplicates: the shortcut must not have been taken
            expect(quiet).toBe(false);
          }
        }
        prev = full.instances;
      }
    }
    // The random inputs exercised both sides of the shortcut.
    expect(seen.quiet).toBeGreaterThan(200);
    expect(seen.refused).toBeGreaterThan(50);
    expect(seen.quietCandidates).toBeGreaterThan(seen.quiet + seen.refused);
  });

  const quietSample = (labels: Record<string, string>): EvaluatedSample => ({ labels, value: 1, threshold: 80, active: false });
  const ok = (...labels: Array<Record<string, string>>): EvaluationResult => ({ kind: 'ok', at: T0, samples: labels.map(quietSample) });
  const refused = (r: StateRule, res: EvaluationResult) => {
    expect(isQuietStep(r, [], res)).toBe(false);
    const out = advance(r, [], res);
    expect(out.instances.map((i) => [i.state, i.error])).toEqual([
      ['error', 'the query returned series with the same label set after applying the rule labels'],
    ]);
  };

  it('takes the shortcut for distinct quiet series without previous instances', () => {
    const res = ok({ instance: 'a' }, { instance: 'b' }, { instance: 'a', job: 'x' });
    expect(isQuietStep(rule(), [], res)).toBe(true);
    expect(advance(rule(), [], res)).toEqual({ instances: [], transitions: [] });
  });

  it('leaves series that one rule label, __name__ or alertname makes one instance to the full step', () => {
    refused(rule(), ok({ instance: 'a', team: 'x' }, { instance: 'a', team: 'y' }));
    refused(rule(), ok({ __name__: 'up', instance: 'a' }, { __name__: 'down', instance: 'a' }));
    refused(rule(), ok({ alertname: 'x', instance: 'a' }, { instance: 'a' }));
  });

  it('leaves lone surrogates to the full step (the fingerprint reads them as U+FFFD)', () => {
    refused(rule(), ok({ instance: '\uD800' }, { instance: '\uFFFD' }));
    refused(rule(), ok({ instance: 'x\uDE00' }, { instance: 'x\uFFFD' }));
    refused(rule(), ok({ instance: '\uD83D\uD83D\uDE00' }, { instance: '\uFFFD\uD83D\uDE00' }));
    expect(isQuietStep(rule(), [], ok({ instance: '\uD83D\uDE00' }, { instance: '\uFFFD' }))).toBe(true);
  });

  it('does not apply with previous instances, active samples, errors or no data', () => {
    const fired = advance(rule(), [], { kind: 'ok', at: T0, samples: [{ ...quietSample({ instance: 'a' }), active: true }] });
    expect(fired.instances).toHaveLength(1);
    expect(isQuietStep(rule(), fired.instances, { ...ok({ instance: 'a' }), at: T0 + 60_000 })).toBe(false);
    expect(isQuietStep(rule(), [], { kind: 'ok', at: T0, samples: [{ ...quietSample({ instance: 'a' }), active: true }] })).toBe(false);
    expect(isQuietStep(rule(), [], { kind: 'ok', at: T0, samples: [] })).toBe(false);
    expect(isQuietStep(rule(), [], { kind: 'error', at: T0, message: 'x' })).toBe(false);
  });
});
