import { fingerprint } from './fingerprint';
import { advance, instanceLabels, type StateRule } from './state';
import { M, T0, result, rule, run, type Step } from './testdata/stateTimeline';

/** Each case: the rule's timing and a timeline of steps with the expected states and events. */
const CASES: Array<[name: string, timing: Partial<StateRule>, steps: Step[]]> = [
  [
    'no for: Normal → Firing at once, resolved at once',
    {},
    [
      [0, { a: 50 }, {}, []],
      [1, { a: 90 }, { a: 'firing' }, ['a firing']],
      [2, { a: 95 }, { a: 'firing' }, []],
      [3, { a: 50 }, {}, ['a resolved']],
      [4, { a: 90 }, { a: 'firing' }, ['a firing']],
    ],
  ],
  [
    'for 2m: Pending until 2m have passed, then Firing once',
    { forMs: 2 * M },
    [
      [0, { a: 90 }, { a: 'pending' }, []],
      [1, { a: 90 }, { a: 'pending' }, []],
      [2, { a: 90 }, { a: 'firing' }, ['a firing']],
      [3, { a: 90 }, { a: 'firing' }, []],
      [4, { a: 50 }, {}, ['a resolved']],
    ],
  ],
  [
    'for 2m: Pending → Normal without an event when the condition clears',
    { forMs: 2 * M },
    [
      [0, { a: 90 }, { a: 'pending' }, []],
      [1, { a: 50 }, {}, []],
      [2, { a: 90 }, { a: 'pending' }, []],
      [3, { a: 90 }, { a: 'pending' }, []],
      [4, { a: 90 }, { a: 'firing' }, ['a firing']],
    ],
  ],
  [
    'keep_firing_for 2m: Recovering, back to Firing without a second event, resolved after 2m',
    { keepFiringForMs: 2 * M },
    [
      [0, { a: 90 }, { a: 'firing' }, ['a firing']],
      [1, { a: 50 }, { a: 'recovering' }, []],
      [2, { a: 90 }, { a: 'firing' }, []],
      [3, { a: 50 }, { a: 'recovering' }, []],
      [4, { a: 50 }, { a: 'recovering' }, []],
      [5, { a: 50 }, {}, ['a resolved']],
    ],
  ],
  [
    'series are independent instances',
    { forMs: M },
    [
      [0, { a: 90, b: 50 }, { a: 'pending' }, []],
      [1, { a: 90, b: 90 }, { a: 'firing', b: 'pending' }, ['a firing']],
      [2, { a: 50, b: 90 }, { b: 'firing' }, ['a resolved', 'b firing']],
    ],
  ],
  [
    'a missing series keeps its state for missingSeriesEvalsToResolve evaluations, then resolves',
    {},
    [
      [0, { a: 90, b: 90 }, { a: 'firing', b: 'firing' }, ['a firing', 'b firing']],
      [1, { b: 90 }, { a: 'firing', b: 'firing' }, []],
      [2, { b: 90 }, { b: 'firing' }, ['a resolved']],
    ],
  ],
  [
    'a series that comes back resets its missing count',
    {},
    [
      [0, { a: 90, b: 90 }, { a: 'firing', b: 'firing' }, ['a firing', 'b firing']],
      [1, { b: 90 }, { a: 'firing', b: 'firing' }, []],
      [2, { a: 90, b: 90 }, { a: 'firing', b: 'firing' }, []],
      [3, { b: 90 }, { a: 'firing', b: 'firing' }, []],
      [4, { b: 90 }, { b: 'firing' }, ['a resolved']],
    ],
  ],
  [
    'a missing Pending series goes back to Normal without an event, and does not fire while missing',
    { forMs: M, missingSeriesEvalsToResolve: 3 },
    [
      [0, { a: 90, b: 90 }, { a: 'pending', b: 'pending' }, []],
      [1, { b: 90 }, { a: 'pending', b: 'firing' }, ['b firing']],
      [2, { b: 90 }, { a: 'pending', b: 'firing' }, []],
      [3, { b: 90 }, { b: 'firing' }, []],
    ],
  ],
  [
    'missingSeriesEvalsToResolve 1 (or less) resolves on the first miss',
    { missingSeriesEvalsToResolve: 0 },
    [
      [0, { a: 90, b: 90 }, { a: 'firing', b: 'firing' }, ['a firing', 'b firing']],
      [1, { b: 90 }, { b: 'firing' }, ['a resolved']],
    ],
  ],
  [
    'NoData: one nodata instance; series resolve by the missing-series rule; Normal when data returns',
    { noDataState: 'NoData' },
    [
      [0, { a: 90 }, { a: 'firing' }, ['a firing']],
      [1, 'nodata', { a: 'firing', nodata: 'nodata' }, []],
      [2, 'nodata', { nodata: 'nodata' }, ['a resolved']],
      [3, 'nodata', { nodata: 'nodata' }, []],
      [4, { a: 50 }, {}, []],
    ],
  ],
  [
    'NoData → Alerting: the no-data instance goes through for and fires once, resolves when data returns',
    { noDataState: 'Alerting', forMs: M },
    [
      [0, 'nodata', { nodata: 'pending' }, []],
      [1, 'nodata', { nodata: 'firing' }, ['nodata firing']],
      [2, 'nodata', { nodata: 'firing' }, []],
      [3, { a: 50 }, {}, ['nodata resolved']],
    ],
  ],
  [
    'NoData → OK: every instance takes the inactive path',
    { noDataState: 'OK', keepFiringForMs: M, forMs: M },
    [
      [0, { a: 90, b: 90 }, { a: 'pending', b: 'pending' }, []],
      [1, { a: 90, b: 50 }, { a: 'firing' }, ['a firing']],
      [2, 'nodata', { a: 'recovering' }, []],
      [3, 'nodata', {}, ['a resolved']],
    ],
  ],
  [
    'NoData → KeepLast: nothing changes, however long',
    { noDataState: 'KeepLast', forMs: 2 * M },
    [
      [0, { a: 90, b: 90 }, { a: 'pending', b: 'pending' }, []],
      [2, { a: 90, b: 90 }, { a: 'firing', b: 'firing' }, ['a firing', 'b firing']],
      [3, { a: 90 }, { a: 'firing', b: 'firing' }, []],
      [4, 'nodata', { a: 'firing', b: 'firing' }, []],
      [5, 'nodata', { a: 'firing', b: 'firing' }, []],
      // b's missing count was kept through the no-data steps: its second miss resolves it.
      [6, { a: 90 }, { a: 'firing' }, ['b resolved']],
    ],
  ],
  [
    'Error: one error instance, the others kept as they are; no second firing after recovery',
    { execErrState: 'Error' },
    [
      [0, { a: 90, b: 90 }, { a: 'firing', b: 'firing' }, ['a firing', 'b firing']],
      [1, { error: 'timeout' }, { a: 'firing', b: 'firing', error: 'error' }, []],
      [2, { error: 'timeout' }, { a: 'firing', b: 'firing', error: 'error' }, []],
      [3, { error: 'timeout' }, { a: 'firing', b: 'firing', error: 'error' }, []],
      [4, { a: 90 }, { a: 'firing', b: 'firing' }, []],
      [5, { a: 90 }, { a: 'firing' }, ['b resolved']],
    ],
  ],
  [
    'Error → Alerting: the error instance fires (after for) and resolves on success',
    { execErrState: 'Alerting', forMs: M },
    [
      [0, { error: 'connection refused' }, { error: 'pending' }, []],
      [1, { error: 'connection refused' }, { error: 'firing' }, ['error firing']],
      [2, 'nodata', { nodata: 'nodata' }, ['error resolved']],
    ],
  ],
  [
    'Error → OK: every instance takes the inactive path',
    { execErrState: 'OK' },
    [
      [0, { a: 90 }, { a: 'firing' }, ['a firing']],
      [1, { error: 'timeout' }, {}, ['a resolved']],
    ],
  ],
  [
    'Error → KeepLast: a Pending instance keeps its start',
    { execErrState: 'KeepLast', forMs: 2 * M },
    [
      [0, { a: 90 }, { a: 'pending' }, []],
      [1, { error: 'timeout' }, { a: 'pending' }, []],
      [2, { a: 90 }, { a: 'firing' }, ['a firing']],
    ],
  ],
  [
    'NoData then Error then data: each special instance leaves on the first result that is not its case',
    {},
    [
      [0, 'nodata', { nodata: 'nodata' }, []],
      [1, { error: 'timeout' }, { nodata: 'nodata', error: 'error' }, []],
      [2, 'nodata', { nodata: 'nodata' }, []],
      [3, { a: 90 }, { a: 'firing' }, ['a firing']],
    ],
  ],
  [
    'a nodata instance firing through Alerting stays one episode across both handlings of the same case',
    { noDataState: 'Alerting' },
    [
      [0, 'nodata', { nodata: 'firing' }, ['nodata firing']],
      [1, 'nodata', { nodata: 'firing' }, []],
      [2, { error: 'x' }, { nodata: 'firing', error: 'error' }, []],
      [3, 'nodata', { nodata: 'firing' }, []],
    ],
  ],
];

describe('advance: timelines', () => {
  it.each(CASES)('%s', (_name, timing, steps) => {
    const { log } = run(rule(timing), steps);
    steps.forEach(([minute, , wantStates, wantEvents], i) => {
      expect({ minute, states: log[i].states }).toEqual({ minute, states: wantStates });
      expect({ minute, events: log[i].events.sort() }).toEqual({ minute, events: [...(wantEvents ?? [])].sort() });
    });
  });

  it.each(CASES)('restart between every step gives the same result: %s', (_name, timing, steps) => {
    expect(run(rule(timing), steps, true)).toEqual(run(rule(timing), steps));
  });
});

describe('advance: instances and transitions', () => {
  const r = rule({ forMs: 2 * M, labels: { team: 'ops', instance: 'overridden?' } });

  it('labels are series ∪ rule labels (the rule wins) ∪ alertname, without __name__', () => {
    expect(instanceLabels(r, { __name__: 'cpu', instance: 'a', team: 'dev', job: 'node' })).toEqual({
      instance: 'overridden?',
      team: 'ops',
      job: 'node',
      alertname: 'High CPU',
    });
    const out = advance(rule(), [], result(0, { a: 90 }));
    const labels = { instance: 'a', team: 'ops', alertname: 'High CPU' };
    expect(out.instances[0].labels).toEqual(labels);
    expect(out.instances[0].fingerprint).toBe(fingerprint('high_cpu', labels));
  });

  it('keeps timestamps: since on each change, activeAt from Pending, firedAt at Firing', () => {
    const x = rule({ forMs: 2 * M, keepFiringForMs: M });
    let prev = advance(x, [], result(0, { a: 90 })).instances;
    expect(prev[0]).toMatchObject({ state: 'pending', since: T0, activeAt: T0, firedAt: null, lastEvalAt: T0 });
    prev = advance(x, prev, result(1, { a: 91 })).instances;
    expect(prev[0]).toMatchObject({ state: 'pending', since: T0, activeAt: T0, value: 91, lastEvalAt: T0 + M });
    const fire = advance(x, prev, result(2, { a: 92 }));
    prev = fire.instances;
    expect(prev[0]).toMatchObject({ state: 'firing', since: T0 + 2 * M, activeAt: T0, firedAt: T0 + 2 * M, recoveringSince: null });
    expect(fire.transitions).toEqual([
      {
        ruleId: 'high_cpu',
        fingerprint: prev[0].fingerprint,
        labels: prev[0].labels,
        from: 'pending',
        to: 'firing',
        at: T0 + 2 * M,
        value: 92,
        threshold: 80,
        severity: 'warning',
        event: 'firing',
        reason: 'condition held for the pending period',
      },
    ]);
    prev = advance(x, prev, result(3, { a: 10 })).instances;
    expect(prev[0]).toMatchObject({ state: 'recovering', since: T0 + 3 * M, recoveringSince: T0 + 3 * M, firedAt: T0 + 2 * M });
    prev = advance(x, prev, result(4, { a: 95 })).instances;
    expect(prev[0]).toMatchObject({ state: 'firing', since: T0 + 4 * M, recoveringSince: null, firedAt: T0 + 2 * M, activeAt: T0 });
    const end = advance(x, advance(x, prev, result(5, { a: 10 })).instances, result(6, { a: 10 }));
    expect(end.instances).toEqual([]);
    expect(end.transitions[0]).toMatchObject({ from: 'recovering', to: 'normal', event: 'resolved', value: 10 });
  });

  it('renders annotations on every evaluation and takes severity from the sample', () => {
    let out = advance(rule({ forMs: M }), [], result(0, { a: 90 }, 'critical'));
    expect(out.instances[0]).toMatchObject({ annotations: { summary: 'a at 90' }, severity: 'critical' });
    out = advance(rule({ forMs: M }), out.instances, result(1, { a: 99 }));
    expect(out.instances[0]).toMatchObject({ annotations: { summary: 'a at 99' }, severity: 'warning' });
  });

  it('a repeated or older evaluation changes nothing (never fires twice)', () => {
    const x = rule();
    const first = advance(x, [], result(0, { a: 90 }));
    expect(first.transitions).toHaveLength(1);
    const again = advance(x, first.instances, result(0, { a: 90 }));
    expect(again).toEqual({ instances: first.instances, transitions: [] });
    const older = advance(x, first.instances, result(-1, { a: 10 }));
    expect(older).toEqual({ instances: first.instances, transitions: [] });
    // The missing-series count is not bumped twice by one evaluation time.
    const missedTwice = advance(x, advance(x, first.instances, result(1, { b: 50 })).instances, result(1, { b: 50 }));
    expect(missedTwice.instances.map((i) => [i.labels.instance, i.missingEvals])).toEqual([['a', 1]]);
  });

  it('the error instance carries the message, updated each time', () => {
    let out = advance(rule(), [], result(0, { error: 'query Prometheus: timeout after 30s' }));
    expect(out.instances[0]).toMatchObject({ state: 'error', error: 'query Prometheus: timeout after 30s', value: null });
    expect(out.transitions[0]).toMatchObject({ from: 'normal', to: 'error', reason: 'query failed: query Prometheus: timeout after 30s' });
    out = advance(rule(), out.instances, result(1, { error: 'connection refused' }));
    expect(out.instances[0]).toMatchObject({ state: 'error', since: T0, error: 'connection refused', lastEvalAt: T0 + M });
    expect(out.transitions).toEqual([]);
    expect(out.instances[0].labels).toEqual({ team: 'ops', alertname: 'High CPU', vigil_state: 'error' });
  });

  it('two series with one label set after the rule labels are an evaluation error, as in Prometheus', () => {
    const x = rule({ labels: { instance: 'same' } });
    const out = advance(x, [], result(0, { a: 90, b: 90 }));
    expect(out.instances.map((i) => [i.state, i.labels.vigil_state])).toEqual([['error', 'error']]);
    expect(out.instances[0].error).toMatch(/same label set/);
  });

  it('stores a NaN value as null (JSON-safe) and never fires on it', () => {
    const out = advance(rule({ keepFiringForMs: M }), [], {
      kind: 'ok',
      at: T0,
      samples: [{ labels: { instance: 'a' }, value: NaN, active: true, threshold: NaN }],
    });
    expect(out.instances[0]).toMatchObject({ value: null, threshold: null });
  });

  it('returns instances and transitions sorted by fingerprint, whatever the input order', () => {
    const names = Array.from({ length: 20 }, (_, i) => `s${i}`);
    const input = Object.fromEntries(names.map((n) => [n, 90]));
    const out = advance(rule(), [], result(0, input));
    const fps = out.instances.map((i) => i.fingerprint);
    expect(fps).toEqual([...fps].sort());
    expect(out.transitions.map((t) => t.fingerprint)).toEqual([...fps].sort());
    const back = advance(rule(), [...out.instances].reverse(), result(1, Object.fromEntries([...names].reverse().map((n) => [n, 50]))));
    expect(back.transitions.map((t) => t.fingerprint)).toEqual(fps);
  });
});
