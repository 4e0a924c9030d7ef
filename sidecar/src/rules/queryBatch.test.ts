import { instantKey, Pool, QueryBatch } from './queryBatch';

/** A task that finishes when the test says so. */
function gate<T>() {
  let open!: (v: T) => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    open = res;
    fail = rej;
  });
  return { promise, open, fail };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('Pool', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order', async () => {
    const pool = new Pool(2);
    const gates = [0, 1, 2, 3].map(() => gate<number>());
    const started: number[] = [];
    const results = gates.map((g, i) =>
      pool.run(() => {
        started.push(i);
        return g.promise;
      })
    );
    await flush();
    expect(started).toEqual([0, 1]);
    gates[1].open(1);
    await flush();
    expect(started).toEqual([0, 1, 2]);
    const rejected = expect(results[0]).rejects.toThrow('boom');
    gates[0].fail(new Error('boom'));
    await flush();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(pool.running).toBe(2);
    gates[2].open(2);
    gates[3].open(3);
    await rejected;
    expect(await Promise.all(results.slice(1))).toEqual([1, 2, 3]);
    expect(pool.running).toBe(0);
  });
});

describe('QueryBatch', () => {
  it('sends identical keys once and shares the answer (and the error)', async () => {
    const counts = { sent: 0, deduplicated: 0 };
    const batch = new QueryBatch<string>(new Pool(4), {
      sent: () => counts.sent++,
      deduplicated: () => counts.deduplicated++,
    });
    let runs = 0;
    const run = (v: string) => async () => {
      runs++;
      return v;
    };
    const k1 = instantKey('prom', 'up', 1000);
    const k2 = instantKey('prom', 'up', 2000);
    const answers = await Promise.all([batch.get(k1, run('a')), batch.get(k1, run('b')), batch.get(k2, run('c'))]);
    expect(answers).toEqual(['a', 'a', 'c']);
    expect(runs).toBe(2);
    expect(counts).toEqual({ sent: 2, deduplicated: 1 });
    expect(batch.size).toBe(2);

    const failing = batch.get('x', async () => {
      throw new Error('down');
    });
    await expect(failing).rejects.toThrow('down');
    await expect(batch.get('x', run('never'))).rejects.toThrow('down');
    expect(instantKey('a', 'q', 1)).not.toBe(instantKey('a', 'q', 2));
  });
});
