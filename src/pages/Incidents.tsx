import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { testIds } from '../testIds';
import { SidecarList } from './SidecarList';

/** The app's "Incidents" page (`/a/vigil-observability-app/incidents`). */
export function Incidents() {
  return (
    <PluginPage>
      <div data-testid={testIds.pages.incidents}>
        <SidecarList what="incidents" emptyHint="Incidents appear here when correlated alerts open one." />
      </div>
    </PluginPage>
  );
}
