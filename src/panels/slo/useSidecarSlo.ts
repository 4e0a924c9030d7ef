import { useEffect, useRef, useState } from 'react';
import type { AsyncState } from '../../hooks/useAsync';
import { getSlo, getSloBurnDown, listSlos, type BurnDownPoint, type SloView } from '../../api/slos';

/** The dashboard's time range as a key: a refresh moves it, and the panel reads the sidecar again. */
export const refreshKeyOf = (timeRange: { from?: { valueOf(): number }; to?: { valueOf(): number } } | undefined) =>
  `${timeRange?.from?.valueOf() ?? ''}-${timeRange?.to?.valueOf() ?? ''}`;

/** State of one read from the sidecar the panel shows (the pages' load state). */
export type SidecarRead<T> = AsyncState<T>;

/** State of the sidecar SLO the panel shows. */
export type SidecarSloState =
  { status: 'off' } | { status: 'loading' } | { status: 'done'; slo: SloView } | { status: 'error'; error: Error };

/**
 * Runs `load` when `key` is set and again whenever `refreshKey` changes (the dashboard's time range
 * moves on each refresh; the sidecar evaluates every minute). The previous figures stay on screen
 * while a refresh is in flight, so the panel does not flicker; a late answer for an old key is dropped.
 */
function useSidecarRead<T>(key: string | undefined, refreshKey: string, load: () => Promise<T>): SidecarRead<T> {
  const [state, setState] = useState<SidecarRead<T>>({ status: 'loading' });
  // `load` is rebuilt on each render; `key` names what it reads, so the latest one is used when it changes.
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load; // runs before the effect below (effects run in order)
  });
  useEffect(() => {
    if (key === undefined) {
      return;
    }
    let current = true;
    loadRef.current().then(
      (value) => current && setState({ status: 'done', value }),
      (e: unknown) => current && setState({ status: 'error', error: e instanceof Error ? e : new Error(String(e)) })
    );
    return () => {
      current = false;
    };
  }, [key, refreshKey]);
  return state;
}

/** The sidecar's SLO `id` with its latest status (`GET /api/v1/slos/:id` through the app's plugin proxy). */
export function useSidecarSlo(id: string | undefined, refreshKey: string): SidecarSloState {
  const state = useSidecarRead(id || undefined, refreshKey, () => getSlo(id!));
  if (!id) {
    return { status: 'off' };
  }
  return state.status === 'done' ? { status: 'done', slo: state.value } : state;
}

/** The SLO's burn-down since its compliance window started (`GET /api/v1/slos/:id/budget`). */
export function useSidecarBurnDown(id: string, refreshKey: string): SidecarRead<BurnDownPoint[]> {
  return useSidecarRead(id, refreshKey, () => getSloBurnDown(id));
}

/** Every SLO of the sidecar with its latest status (`GET /api/v1/slos`), or only `service`'s. */
export function useSidecarSloList(service: string, refreshKey: string): SidecarRead<SloView[]> {
  return useSidecarRead(`list:${service}`, refreshKey, () =>
    listSlos().then((slos) => (service ? slos.filter((s) => s.service === service) : slos))
  );
}
