/**
 * Properties of the state machine over many random timelines (every handling, timing and kind of
 * result mixed): what must hold whatever happens, such as "never two firing events in one episode".
 */
import { advance } from './state';
import { result, rule, type Input } from './testdata/stateTimeline';
import { type AlertInstance, ERROR_HANDLING, NO_DATA_HANDLING } from './types';

function lcg(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function randomTimeline(rnd: () => number, length: number): Array<[number, Input]> {
  const out: Array<[number, Input]> = [];
  let minute = 0;
  for (let i = 0; i < length; i++) {
    minute += rnd() < 0.1 ? 0 : 1 + Math.floor(rnd() * 2); // repeats and gaps too
    const r = rnd();
    if (r < 0.08) {
      out.push([minute, 'nodata']);
    } else if (r < 0.16) {
      out.push([minute, { error: 'timeout' }]);
    } else {
      const input: Record<string, number> = {};
      for (const s of ['a', 'b', 'c']) {
        if (rnd() < 0.8) {
          input[s] = rnd() < 0.5 ? 90 : 50;
        }
      }
      out.push([minute, Object.keys(input).length ? input : { a: 50 }]);
    }
  }
  return out;
}

describe('advance: properties over random timelines', () => {
  const rnd = lcg(2026);
  const runs = Array.from({ length: 300 }, () => ({
    timing: {
      forMs: Math.floor(rnd() * 4) * 60_000,
      keepFiringForMs: Math.floor(rnd() * 4) * 60_000,
      noDataState: NO_DATA_HANDLING[Math.floor(rnd() * 4)],
      execErrState: ERROR_HANDLING[Math.floor(rnd() * 4)],
      missingSeriesEvalsToResolve: 1 + Math.floor(rnd() * 3),
    },
    timeline: randomTimeline(rnd, 40),
  }));

  it('events alternate firing/resolved per instance; transitions chain; kept instances are consistent', () => {
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && problems.length < 20) {
        problems.push(what);
      }
    };
    runs.forEach(({ timing, timeline }, run) => {
      const r = rule(timing);
      let prev: AlertInstance[] = [];
      const lastEvent = new Map<string, 'firing' | 'resolved'>();
      for (const [minute, input] of timeline) {
        const where = `run ${run} minute ${minute}`;
        const out = advance(r, prev, result(minute, input));
        const before = new Map(prev.map((i) => [i.fingerprint, i.state]));
        const after = new Map(out.instances.map((i) => [i.fingerprint, i.state]));
        const changed = new Set<string>();
        for (const t of out.transitions) {
          check(!changed.has(t.fingerprint), `${where}: two transitions of one instance`);
          changed.add(t.fingerprint);
          check(t.from === (before.get(t.fingerprint) ?? 'normal'), `${where}: from ${t.from} is not the previous state`);
          check(t.to === (after.get(t.fingerprint) ?? 'normal'), `${where}: to ${t.to} is not the new state`);
          check(t.from !== t.to, `${where}: transition to the same state`);
          if (t.event !== undefined) {
            const last = lastEvent.get(t.fingerprint) ?? 'resolved';
            check(last !== t.event, `${where}: ${t.event} twice in a row`);
            lastEvent.set(t.fingerprint, t.event);
          }
        }
        for (const [fp, state] of after) {
          check(changed.has(fp) || state === before.get(fp), `${where}: silent state change`);
        }
        const fps = out.instances.map((i) => i.fingerprint);
        check(fps.join() === [...fps].sort().join(), `${where}: not sorted`);
        for (const i of out.instances) {
          const firingLike = i.state === 'firing' || i.state === 'recovering';
          check(i.state !== 'normal', `${where}: a Normal instance kept`);
          check(!firingLike || i.firedAt !== null, `${where}: ${i.state} without firedAt`);
          check((lastEvent.get(i.fingerprint) === 'firing') === firingLike, `${where}: ${i.state} after a ${lastEvent.get(i.fingerprint)} event`);
          check(i.state !== 'pending' || i.activeAt !== null, `${where}: pending without activeAt`);
          check((i.recoveringSince !== null) === (i.state === 'recovering'), `${where}: recoveringSince in ${i.state}`);
        }
        prev = out.instances;
      }
    });
    expect(problems).toEqual([]);
  });

  it('a restart (instances through JSON) between any two steps changes nothing', () => {
    for (const { timing, timeline } of runs.slice(0, 100)) {
      const r = rule(timing);
      let live: AlertInstance[] = [];
      let restarted: AlertInstance[] = [];
      for (const [minute, input] of timeline) {
        const a = advance(r, live, result(minute, input));
        const b = advance(r, JSON.parse(JSON.stringify(restarted)) as AlertInstance[], result(minute, input));
        expect(b).toEqual(a);
        live = a.instances;
        restarted = b.instances;
      }
    }
  });
});
