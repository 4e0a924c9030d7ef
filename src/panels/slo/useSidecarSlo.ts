import { useEffect, useState } from 'react';
import { getSlo, type SloView } from '../../api/slos';

/** State of the sidecar SLO the panel shows. */
export type SidecarSloState =
  { status: 'off' } | { status: 'loading' } | { status: 'done'; slo: SloView } | { status: 'error'; error: Error };

/**
 * The sidecar's SLO `id` with its latest status (`GET /api/v1/slos/:id` through the app's plugin
 * proxy), fetched when `id` is set and again whenever `refreshKey` changes (the dashboard's time range
 * moves on each refresh; the sidecar evaluates every minute). The previous figures stay on screen
 * while a refresh is in flight, so the panel does not flicker.
 */
export function useSidecarSlo(id: string | undefined, refreshKey: string): SidecarSloState {
  const [state, setState] = useState<SidecarSloState>({ status: 'loading' });
  useEffect(() => {
    if (!id) {
      return;
    }
    let current = true;
    getSlo(id).then(
      (slo) => current && setState({ status: 'done', slo }),
      (e: unknown) => current && setState({ status: 'error', error: e instanceof Error ? e : new Error(String(e)) })
    );
    return () => {
      current = false;
    };
  }, [id, refreshKey]);
  return id ? state : { status: 'off' };
}
