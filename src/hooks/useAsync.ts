import { useCallback, useEffect, useRef, useState } from 'react';

/** State of one asynchronous load: the three states every page and panel renders explicitly. */
export type AsyncState<T> = { status: 'loading' } | { status: 'done'; value: T } | { status: 'error'; error: Error };

/**
 * Runs `load` on mount, and again on `reload()`; returns its state. A result that arrives after
 * unmount or after a newer run is dropped, so a slow answer never overwrites a newer one.
 * `load` is taken from the first render: pass a stable function (a module-level one).
 */
export function useAsync<T>(load: () => Promise<T>): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [run, setRun] = useState(0);
  const loadRef = useRef(load);

  useEffect(() => {
    let current = true;
    loadRef.current().then(
      (value) => current && setState({ status: 'done', value }),
      (err: unknown) =>
        current && setState({ status: 'error', error: err instanceof Error ? err : new Error(String(err)) })
    );
    return () => {
      current = false;
    };
  }, [run]);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setRun((n) => n + 1);
  }, []);
  return [state, reload];
}
