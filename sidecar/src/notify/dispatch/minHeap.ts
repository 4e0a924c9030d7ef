/** A binary min-heap: correlation's window expiry (the oldest start first) without sorting per batch. */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  /** How many items it holds. */
  get size(): number {
    return this.items.length;
  }

  /** The smallest item, or undefined when empty. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Adds an item. */
  push(item: T): void {
    const xs = this.items;
    xs.push(item);
    let i = xs.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(xs[i], xs[parent]) >= 0) {
        break;
      }
      [xs[i], xs[parent]] = [xs[parent], xs[i]];
      i = parent;
    }
  }

  /** Removes and returns the smallest item, or undefined when empty. */
  pop(): T | undefined {
    const xs = this.items;
    const top = xs[0];
    const last = xs.pop();
    if (xs.length > 0 && last !== undefined) {
      xs[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < xs.length && this.compare(xs[l], xs[m]) < 0) {
          m = l;
        }
        if (r < xs.length && this.compare(xs[r], xs[m]) < 0) {
          m = r;
        }
        if (m === i) {
          break;
        }
        [xs[i], xs[m]] = [xs[m], xs[i]];
        i = m;
      }
    }
    return top;
  }
}
