import { DueQueue } from './dueQueue';

describe('DueQueue', () => {
  it('pops the keys due by a time, earliest first, and keeps the rest', () => {
    const q = new DueQueue();
    q.set('c', 30);
    q.set('a', 10);
    q.set('b', 20);
    q.set('d', 20);
    expect(q.peek()).toBe(10);
    expect(q.popDue(20).map((e) => e.key)).toEqual(['a', expect.any(String), expect.any(String)]);
    expect(q.size).toBe(1);
    expect(q.popDue(29)).toEqual([]);
    expect(q.popDue(30)).toEqual([{ key: 'c', at: 30 }]);
    expect(q.peek()).toBeUndefined();
  });

  it('re-schedules and deletes keys (stale heap entries are dropped)', () => {
    const q = new DueQueue();
    q.set('a', 10);
    q.set('b', 15);
    q.set('a', 40);
    q.delete('b');
    expect(q.get('a')).toBe(40);
    expect(q.peek()).toBe(40);
    expect(q.popDue(39)).toEqual([]);
    expect(q.popDue(100)).toEqual([{ key: 'a', at: 40 }]);
  });

  it('stays ordered under many re-schedules (heap rebuilds included)', () => {
    const q = new DueQueue();
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const expected = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const key = `k${Math.floor(rand() * 200)}`;
      const at = Math.floor(rand() * 1000);
      q.set(key, at);
      expected.set(key, at);
    }
    const popped = q.popDue(Infinity);
    expect(popped).toHaveLength(expected.size);
    expect(popped.map((p) => p.at)).toEqual([...popped.map((p) => p.at)].sort((a, b) => a - b));
    expect(new Map(popped.map((p) => [p.key, p.at]))).toEqual(expected);
  });
});
