import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { testIds } from '../testIds';
import { SidecarList } from './SidecarList';

/** The app's "SLOs" page (`/a/vigil-observability-app/slos`). */
export function Slos() {
  return (
    <PluginPage>
      <div data-testid={testIds.pages.slos}>
        <SidecarList
          what="SLOs"
          emptyHint="SLOs with their error budgets and burn-rate alerts will be listed here once they are defined in the sidecar."
        />
      </div>
    </PluginPage>
  );
}
