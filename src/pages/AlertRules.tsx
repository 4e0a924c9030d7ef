import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { testIds } from '../testIds';
import { SidecarList } from './SidecarList';

/** The app's "Alert rules" page (`/a/vigil-observability-app/rules`). */
export function AlertRules() {
  return (
    <PluginPage>
      <div data-testid={testIds.pages.rules}>
        <SidecarList
          what="alert rules"
          emptyHint="Alert rules with severities, for durations and adaptive thresholds will be listed here once they are defined in the sidecar."
        />
      </div>
    </PluginPage>
  );
}
