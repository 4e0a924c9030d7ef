import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { Badge, type BadgeColor, Stack, Text } from '@grafana/ui';
import { getHealth } from '../api/client';
import type { HealthResponse, HealthStatus } from '../api/types';
import { PageError, PageLoading } from '../components/PageState/PageState';
import { useAsync } from '../hooks/useAsync';
import { testIds } from '../testIds';

const STATUS_COLOR: Record<HealthStatus, BadgeColor> = { healthy: 'green', degraded: 'orange', unhealthy: 'red' };

/** The sidecar's health report: overall status, each datasource and the store. */
export function HealthReport({ health }: { health: HealthResponse }) {
  // A sidecar of another version may omit parts: render what is there rather than throw.
  const datasources = Array.isArray(health.datasources) ? health.datasources : [];
  const store = health.store;
  return (
    <div data-testid={testIds.settings.health}>
      <Stack direction="column" gap={2}>
        <Stack gap={1} alignItems="center">
          <Text element="h3">Sidecar</Text>
          <span data-testid={testIds.settings.healthStatus}>
            <Badge text={health.status} color={STATUS_COLOR[health.status] ?? 'red'} />
          </span>
          <Text color="secondary">checked {health.timestamp}</Text>
        </Stack>
        {store ? (
          <Text>
            Store: {store.type}, {store.ok ? 'ok' : 'not ok'}, schema version {store.schemaVersion}
          </Text>
        ) : null}
        {datasources.length > 0 ? (
          <table className="filter-table">
            <thead>
              <tr>
                <th>Datasource</th>
                <th>Type</th>
                <th>URL</th>
                <th>Reachable</th>
                <th>Latency</th>
              </tr>
            </thead>
            <tbody>
              {datasources.map((ds) => (
                <tr key={ds.name} data-testid={testIds.settings.datasource}>
                  <td>{ds.name}</td>
                  <td>{ds.type}</td>
                  <td>{ds.url}</td>
                  <td>{ds.reachable ? 'yes' : `no${ds.error ? `: ${ds.error}` : ''}`}</td>
                  <td>{Math.round(ds.latencyMs)} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Text color="secondary">No datasources are configured.</Text>
        )}
      </Stack>
    </div>
  );
}

/** The app's "Settings" page (`/a/vigil-observability-app/settings`): the sidecar's health. */
export function Settings() {
  const [state, reload] = useAsync(getHealth);
  return (
    <PluginPage>
      <div data-testid={testIds.pages.settings}>
        {state.status === 'loading' ? <PageLoading text="Checking the sidecar…" /> : null}
        {state.status === 'error' ? (
          <PageError title="Could not reach the sidecar" error={state.error} onRetry={reload} />
        ) : null}
        {state.status === 'done' ? <HealthReport health={state.value} /> : null}
      </div>
    </PluginPage>
  );
}
