import { act, renderHook, waitFor } from '@testing-library/react';
import { useCoalesced, useLiveLoad } from './useLiveLoad';

/** A load whose answers the test releases one by one, in any order. */
function controlledLoad() {
  const pending: Array<{ resolve(v: string): void; reject(e: Error): void }> = [];
  const load = () => new Promise<string>((resolve, reject) => pending.push({ resolve, reject }));
  return { load, pending };
}

describe('useLiveLoad', () => {
  test('a background refresh keeps what is shown, and a slow older answer never overwrites a newer one', async () => {
    const { load, pending } = controlledLoad();
    const { result } = renderHook(() => useLiveLoad(load, 'k'));
    expect(result.current.state.status).toBe('loading');
    await act(async () => pending[0].resolve('first'));
    expect(result.current.state).toEqual({ status: 'done', value: 'first' });
    act(() => result.current.refresh());
    act(() => result.current.refresh());
    expect(result.current.state).toEqual({ status: 'done', value: 'first' });
    await act(async () => pending[2].resolve('newest'));
    await act(async () => pending[1].resolve('older'));
    expect(result.current.state).toEqual({ status: 'done', value: 'newest' });
  });

  test('a failed background refresh keeps the value; a failed first load or retry shows the error', async () => {
    const { load, pending } = controlledLoad();
    const { result } = renderHook(() => useLiveLoad(load, 'k'));
    await act(async () => pending[0].reject(new Error('sidecar down')));
    expect(result.current.state).toEqual({ status: 'error', error: new Error('sidecar down') });
    act(() => result.current.retry());
    expect(result.current.state.status).toBe('loading');
    await act(async () => pending[1].resolve('back'));
    act(() => result.current.refresh());
    await act(async () => pending[2].reject(new Error('blip')));
    expect(result.current.state).toEqual({ status: 'done', value: 'back' });
    act(() => result.current.update((v) => `${v}!`));
    expect(result.current.state).toEqual({ status: 'done', value: 'back!' });
  });

  test("a new key reads as loading at once and drops the old key's answer", async () => {
    const { load, pending } = controlledLoad();
    const { result, rerender } = renderHook(({ key }) => useLiveLoad(load, key), { initialProps: { key: 'a' } });
    await act(async () => pending[0].resolve('a1'));
    act(() => result.current.refresh());
    rerender({ key: 'b' });
    expect(result.current.state.status).toBe('loading');
    await act(async () => pending[1].resolve('a2 (late)'));
    expect(result.current.state.status).toBe('loading');
    await act(async () => pending[2].resolve('b1'));
    await waitFor(() => expect(result.current.state).toEqual({ status: 'done', value: 'b1' }));
  });
});

describe('useCoalesced', () => {
  test('a burst of calls runs once, after the delay; nothing runs after unmount', () => {
    jest.useFakeTimers();
    try {
      let runs = 0;
      const { result, unmount } = renderHook(() => useCoalesced(() => runs++, 300));
      result.current();
      result.current();
      jest.advanceTimersByTime(299);
      result.current();
      expect(runs).toBe(0);
      jest.advanceTimersByTime(1);
      expect(runs).toBe(1);
      result.current();
      unmount();
      jest.advanceTimersByTime(1000);
      expect(runs).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
