import { backtest, previewSeries } from './backtest';
import { fingerprint } from './fingerprint';
import { instanceLabels, specialLabels } from './state';
import { M, T0, result, rule } from './testdata/stateTimeline';
import type { EvaluationResult } from './types';

const t = (minute: number) => T0 + minute * M;

describe('backtest', () => {
  const r = rule({ forMs: 2 * M, keepFiringForMs: M });
  const fpA = fingerprint(r.id, instanceLabels(r, { instance: 'a' }));
  const fpB = fingerprint(r.id, instanceLabels(r, { instance: 'b' }));
  const a = [50, 90, 90, 90, 50, 50, 90, 50, 50, 50];
  const steps: EvaluationResult[] = a.map((v, m) => result(m, { a: v, b: 90 }));
  const opts = { from: t(0), to: t(9) + 30_000, stepMs: M };

  it('gives exactly the intervals computed by hand', () => {
    const { intervals } = backtest(r, steps, opts);
    expect(intervals).toEqual(
      [
        // a: Pending from minute 1; Firing at 3 (2m later); Recovering at 4; Normal at 5 (1m later);
        // Pending at 6, Normal at 7.
        { fingerprint: fpA, state: 'pending', from: t(1), to: t(3) },
        { fingerprint: fpA, state: 'firing', from: t(3), to: t(4) },
        { fingerprint: fpA, state: 'recovering', from: t(4), to: t(5) },
        { fingerprint: fpA, state: 'pending', from: t(6), to: t(7) },
        // b: Pending from 0, Firing from 2 to the end of the range.
        { fingerprint: fpB, state: 'pending', from: t(0), to: t(2) },
        { fingerprint: fpB, state: 'firing', from: t(2), to: opts.to },
      ].sort((x, y) => x.from - y.from || (x.fingerprint < y.fingerprint ? -1 : 1))
    );
  });

  it('gives the firing and resolved events, as live evaluation would', () => {
    const { events } = backtest(r, steps, opts);
    expect(events.map((e) => [e.fingerprint, e.event, e.at])).toEqual([
      [fpB, 'firing', t(2)],
      [fpA, 'firing', t(3)],
      [fpA, 'resolved', t(5)],
    ]);
  });

  it('records NoData and Error intervals of the rule’s own instances', () => {
    const x = rule();
    const nodataFp = fingerprint(x.id, specialLabels(x, 'nodata'));
    const errorFp = fingerprint(x.id, specialLabels(x, 'error'));
    const out = backtest(x, [result(0, 'nodata'), result(1, 'nodata'), result(2, { error: 'e' }), result(3, { a: 50 })], {
      from: t(0),
      to: t(3),
      stepMs: M,
    });
    expect(out.intervals).toEqual([
      { fingerprint: nodataFp, state: 'nodata', from: t(0), to: t(3) },
      { fingerprint: errorFp, state: 'error', from: t(2), to: t(3) },
    ]);
    expect(out.events).toEqual([]);
  });

  it('is empty for no steps', () => {
    expect(backtest(r, [], opts)).toEqual({ intervals: [], events: [] });
  });
});

describe('previewSeries', () => {
  it('gives one aligned point per step per instance, null where the series had no sample', () => {
    const r = rule();
    const steps = [result(0, { a: 50 }), result(1, { a: 90, b: 10 }), result(2, { error: 'x' }), result(3, { b: NaN })];
    const series = previewSeries(r, steps);
    const byInstance = Object.fromEntries(series.map((s) => [s.labels.instance, s]));
    expect(byInstance.a.points).toEqual([
      [t(0), 50],
      [t(1), 90],
      [t(2), null],
      [t(3), null],
    ]);
    expect(byInstance.b.points).toEqual([
      [t(0), null],
      [t(1), 10],
      [t(2), null],
      [t(3), null],
    ]);
    expect(byInstance.a.thresholds).toEqual([
      [t(0), 80],
      [t(1), 80],
      [t(2), null],
      [t(3), null],
    ]);
    expect(byInstance.a.fingerprint).toBe(fingerprint(r.id, instanceLabels(r, { instance: 'a' })));
    expect(byInstance.a.compared).toBeUndefined();
    expect(series.map((s) => s.fingerprint)).toEqual(series.map((s) => s.fingerprint).sort());
  });

  it('carries the compared % change of baseline conditions, aligned too', () => {
    const steps: EvaluationResult[] = [
      { kind: 'ok', at: t(0), samples: [{ labels: { instance: 'a' }, value: 80, active: false, threshold: -20 }] },
      { kind: 'ok', at: t(1), samples: [{ labels: { instance: 'a' }, value: 70, active: true, threshold: -20, compared: -30 }] },
      { kind: 'ok', at: t(2), samples: [] },
    ];
    const [s] = previewSeries(rule(), steps);
    expect(s.compared).toEqual([
      [t(0), null],
      [t(1), -30],
      [t(2), null],
    ]);
  });
});
