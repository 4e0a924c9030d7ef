import { useEffect, useRef, useState } from 'react';
import type { AlertView } from '@vigil/core';
import { listAlerts } from '../../api/rules';
import { useSidecarStream, type EventSourceFactory } from '../../api/stream';

/** Alert events arriving within this are answered with one reload (an alert storm is one refresh). */
export const STREAM_DEBOUNCE_MS = 500;

/** State of the sidecar's alert list as the panel sees it. */
export type SidecarAlertsState =
  | { status: 'off' }
  | { status: 'loading' }
  | { status: 'done'; alerts: AlertView[] }
  | { status: 'error'; error: Error };

/**
 * The sidecar's alert instances (`GET /api/v1/alerts` through the app's plugin proxy), fetched when
 * `enabled`, again whenever `refreshKey` changes (the dashboard's time range moves on each refresh),
 * and when the sidecar's live stream reports an alert firing or resolving (debounced), rather than
 * waiting for the dashboard's next refresh. The previous list stays on screen while a refresh is in
 * flight, so the panel does not flicker.
 */
export function useSidecarAlerts(
  enabled: boolean,
  refreshKey: string,
  eventSource?: EventSourceFactory
): SidecarAlertsState {
  const [state, setState] = useState<SidecarAlertsState>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const bump = () => {
    if (pending.current === undefined) {
      pending.current = setTimeout(() => {
        pending.current = undefined;
        setVersion((v) => v + 1);
      }, STREAM_DEBOUNCE_MS);
    }
  };
  useEffect(() => () => clearTimeout(pending.current), []);
  useSidecarStream(bump, { types: ['alert'], enabled, onResync: bump, eventSource });
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
  }, [enabled, refreshKey, version]);
  return enabled ? state : { status: 'off' };
}
