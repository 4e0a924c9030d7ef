// boundedMemo: remembers what `keep` allows, up to its bound, and gives the function's result either way.
import { boundedMemo } from './boundedMemo';

describe('boundedMemo', () => {
  it('calls the function once per kept input, every time for the others, and starts over past the bound', () => {
    const calls: string[] = [];
    const len = boundedMemo(
      (s) => {
        calls.push(s);
        return s.length;
      },
      2,
      (n) => n > 0
    );
    expect([len('ab'), len('ab'), len(''), len('')]).toEqual([2, 2, 0, 0]);
    expect(calls).toEqual(['ab', '', '']);
    len('c'); // second kept input: at the bound
    len('de'); // past it: the memo starts over with 'de'
    len('ab');
    expect(calls).toEqual(['ab', '', '', 'c', 'de', 'ab']);
  });
});
