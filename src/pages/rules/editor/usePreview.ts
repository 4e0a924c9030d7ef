import { useCallback, useEffect, useRef, useState } from 'react';
import type { PreviewResponse, RuleBody } from '@vigil/core';
import { previewRule, previewSavedRule } from '../../../api/rules';

/** The backtest ranges the editor offers. */
export type PreviewRange = '24h' | '7d';

/** Length of each range. */
export const RANGE_MS: Record<PreviewRange, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000 };

/** State of the preview: nothing to run yet (the form is incomplete), running, answered, or failed. */
export type PreviewState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; value: PreviewResponse }
  | { status: 'error'; error: Error };

/** What to backtest: an unsaved body (POST /rules/preview), or a saved rule by id (read-only rules). */
export interface PreviewRequest {
  body: RuleBody | null;
  savedId?: string;
  range: PreviewRange;
}

/**
 * Runs the backtest when the form changes, `debounceMs` after the last change (typing does not send a
 * request per key), and at once on `run()`. Only the newest run's answer is kept.
 */
export function usePreview({ body, savedId, range }: PreviewRequest, debounceMs = 800): [PreviewState, () => void] {
  const [state, setState] = useState<PreviewState>({ status: 'idle' });
  const [nonce, setNonce] = useState(0);
  const immediate = useRef(false);
  const key = savedId ? `saved:${savedId}` : body ? JSON.stringify(body) : '';
  const bodyRef = useRef(body);
  // Declared before the run effect, so it has updated the ref when that one reads it.
  useEffect(() => {
    bodyRef.current = body;
  });

  useEffect(() => {
    if (key === '') {
      return;
    }
    let current = true;
    const go = () => {
      setState({ status: 'loading' });
      // Whole minutes: two runs a few seconds apart backtest the same steps.
      const to = Math.floor(Date.now() / 60_000) * 60_000;
      const window = { from: to - RANGE_MS[range], to };
      const call = savedId ? previewSavedRule(savedId, window) : previewRule(bodyRef.current as RuleBody, window);
      call.then(
        (value) => current && setState({ status: 'done', value }),
        (e: unknown) => current && setState({ status: 'error', error: e instanceof Error ? e : new Error(String(e)) })
      );
    };
    const wait = immediate.current ? 0 : debounceMs;
    immediate.current = false;
    const timer = setTimeout(go, wait);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, savedId, range, nonce, debounceMs]);

  const run = useCallback(() => {
    immediate.current = true;
    setNonce((n) => n + 1);
  }, []);
  // An incomplete form shows the idle state, whatever the last run answered.
  return [key === '' ? { status: 'idle' } : state, run];
}
