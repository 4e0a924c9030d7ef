import { useCallback, useEffect, useRef, useState } from 'react';
import type { AsyncState } from '../../hooks/useAsync';

/** What {@link useLiveLoad} gives a section. */
export interface LiveLoad<T> {
  state: AsyncState<T>;
  /** Loads again in the background: what is shown stays until the answer replaces it. */
  refresh(): void;
  /** Loads again from the loading state (the error state's Retry). */
  retry(): void;
  /** Changes the loaded value in place (a stream event applied); nothing while not loaded. */
  update(change: (value: T) => T): void;
}

/**
 * `useAsync` for a live section: loads on mount and whenever `key` changes (the filter, the incident
 * id), and can reload in the background (a stream event or a poll) without the loading flash. Only the
 * newest run's answer is applied, so a slow answer never overwrites a newer one; a background reload
 * that fails keeps what is shown (the next event or poll tries again) — only a first load shows the
 * error state.
 */
export function useLiveLoad<T>(load: () => Promise<T>, key: string): LiveLoad<T> {
  // The state is kept with the key it belongs to: under a new key it reads as loading at once, without
  // a render of the old key's value (and without setting state inside the effect).
  const [slot, setSlot] = useState<{ key: string; state: AsyncState<T> }>({ key, state: { status: 'loading' } });
  const loadRef = useRef(load);
  const keyRef = useRef(key);
  const runRef = useRef(0);
  useEffect(() => {
    loadRef.current = load;
    keyRef.current = key;
  });

  const start = useCallback((k: string, mode: 'first' | 'background' | 'retry') => {
    const mine = ++runRef.current;
    loadRef.current().then(
      (value) => {
        if (mine === runRef.current) {
          setSlot({ key: k, state: { status: 'done', value } });
        }
      },
      (err: unknown) => {
        if (mine !== runRef.current) {
          return;
        }
        const error = err instanceof Error ? err : new Error(String(err));
        setSlot((s) =>
          mode === 'background' && s.key === k && s.state.status === 'done'
            ? s
            : { key: k, state: { status: 'error', error } }
        );
      }
    );
  }, []);

  useEffect(() => {
    const runs = runRef;
    start(key, 'first');
    // Unmounted or re-keyed: whatever is still in flight is dropped.
    return () => {
      runs.current++;
    };
  }, [key, start]);

  const refresh = useCallback(() => start(keyRef.current, 'background'), [start]);
  const retry = useCallback(() => {
    setSlot({ key: keyRef.current, state: { status: 'loading' } });
    start(keyRef.current, 'retry');
  }, [start]);
  const update = useCallback(
    (change: (value: T) => T) =>
      setSlot((s) =>
        s.state.status === 'done' ? { key: s.key, state: { status: 'done', value: change(s.state.value) } } : s
      ),
    []
  );
  const state: AsyncState<T> = slot.key === key ? slot.state : { status: 'loading' };
  return { state, refresh, retry, update };
}

/**
 * Runs `fn` `ms` after the first call of a burst; the calls in between join that run (an alert storm
 * sends many events, one reload for them is enough). The timer is cleared on unmount.
 */
export function useCoalesced(fn: () => void, ms: number): () => void {
  const fnRef = useRef(fn);
  useEffect(() => {
    fnRef.current = fn;
  });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current === undefined) {
      timer.current = setTimeout(() => {
        timer.current = undefined;
        fnRef.current();
      }, ms);
    }
  }, [ms]);
}
