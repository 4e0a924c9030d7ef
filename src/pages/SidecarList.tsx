import React from 'react';
import { getHealth } from '../api/client';
import { PageEmpty, PageError, PageLoading } from '../components/PageState/PageState';
import { useAsync } from '../hooks/useAsync';

/** Props of {@link SidecarList}. */
export interface SidecarListProps {
  /** What the page lists, in the plural ("alert rules"). */
  what: string;
  /** Shown under the empty-state title: how to get the first item. */
  emptyHint: string;
}

/**
 * Body shared by the list pages while the sidecar does not serve their lists yet: it checks that the
 * sidecar answers through the plugin proxy (its health endpoint) and then shows the empty state, or
 * a clear error when it cannot be reached.
 */
export function SidecarList({ what, emptyHint }: SidecarListProps) {
  const [state, reload] = useAsync(getHealth);
  if (state.status === 'loading') {
    return <PageLoading text={`Loading ${what}…`} />;
  }
  if (state.status === 'error') {
    return <PageError title={`Could not load ${what}`} error={state.error} onRetry={reload} />;
  }
  return <PageEmpty title={`No ${what} yet`}>{emptyHint}</PageEmpty>;
}
