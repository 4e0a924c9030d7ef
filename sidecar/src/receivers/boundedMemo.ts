/**
 * A function's results for recent inputs, remembered up to `max` inputs (past the bound the memo starts
 * over: the inputs come from senders, so it must not grow without end). `keep` says which results are
 * worth remembering. For checks a storm repeats in every alert: the same label names, the same times.
 */
export function boundedMemo<R>(
  f: (input: string) => R,
  max: number,
  keep: (result: R) => boolean = () => true
): (input: string) => R {
  const memo = new Map<string, R>();
  return (input) => {
    if (memo.has(input)) {
      return memo.get(input) as R;
    }
    const result = f(input);
    if (keep(result)) {
      if (memo.size >= max) {
        memo.clear();
      }
      memo.set(input, result);
    }
    return result;
  };
}
