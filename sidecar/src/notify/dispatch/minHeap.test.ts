import { MinHeap } from './minHeap';

describe('MinHeap', () => {
  it('pops in order, whatever the order of the pushes (duplicates kept)', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 1000;
    const xs = Array.from({ length: 500 }, next);
    const heap = new MinHeap<number>((a, b) => a - b);
    xs.forEach((x) => heap.push(x));
    expect(heap.size).toBe(500);
    const out: number[] = [];
    while (heap.peek() !== undefined) {
      out.push(heap.pop()!);
    }
    expect(out).toEqual([...xs].sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
  });
});
