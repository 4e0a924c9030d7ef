import { useEffect, useState } from 'react';
import type { AlertView } from '@vigil/core';
import { listAlerts } from '../../api/rules';

/** State of the sidecar's alert list as the panel sees it. */
export type SidecarAlertsState =
  | { status: 'off' }
  | { status: 'loading' }
  | { status: 'done'; alerts: AlertView[] }
  | { status: 'error'; error: Error };

/**
 * The sidecar's alert instances (`GET /api/v1/alerts` through the app's plugin proxy), fetched when
 * `enabled` and again whenever `refreshKey` changes (the dashboard's time range moves on each refresh).
 * The previous list stays on screen while a refresh is in flight, so the panel does not flicker.
 */
export function useSidecarAlerts(enabled: boolean, refreshKey: string): SidecarAlertsState {
  const [state, setState] = useState<SidecarAlertsState>({ status: 'loading' });
  useEffect(() => {
    if (!enabled) {
      return;
    }
    let current = true;
    listAlerts().then(
      (r) => current && setState({ status: 'done', alerts: r.alerts }),
      (e: unknown) => current && setState({ status: 'error', error: e instanceof Error ? e : new Error(String(e)) })
    );
    return () => {
      current = false;
    };
  }, [enabled, refreshKey]);
  return enabled ? state : { status: 'off' };
}
