import React from 'react';
import { Badge, Stack, Text, useTheme2 } from '@grafana/ui';
import type { RoutingResponse } from '@vigil/core';
import { testIds } from '../../testIds';
import { toInhibitRows, toIntervalRows, toRouteRows } from './routeRows';

const ids = testIds.notify;

/**
 * "Routes at a glance": the routing tree as an indented list (matchers → receiver, grouping, timers,
 * continue, time intervals), then the inhibition rules and the time intervals with "active now".
 */
export function RoutingSection({ routing }: { routing: RoutingResponse }) {
  const theme = useTheme2();
  const routes = toRouteRows(routing.route);
  const inhibit = toInhibitRows(routing.inhibitRules);
  const intervals = toIntervalRows(routing);
  return (
    <Stack direction="column" gap={2}>
      <ul data-testid={ids.routes} aria-label="Routing tree" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {routes.map((r) => (
          <li
            key={r.id}
            data-testid={ids.route}
            data-route-id={r.id}
            data-depth={r.depth}
            data-receiver={r.receiver}
            // Indentation is the tree: each level one step in, with a guide line on the left.
            style={{
              marginLeft: r.depth * 24,
              padding: '6px 8px',
              borderLeft: r.depth ? `2px solid ${theme.colors.border.medium}` : undefined,
            }}
          >
            <Stack gap={1} alignItems="center" wrap="wrap">
              {r.matchers.length ? r.matchers.map((m) => <code key={m}>{m}</code>) : <Text italic>no matchers</Text>}
              <span aria-label="goes to">→</span>
              <Text weight="medium">{r.receiver}</Text>
              {r.continue ? (
                <Badge text="continue" color="purple" tooltip="Matching alerts also try the next routes" />
              ) : null}
            </Stack>
            <Text color="secondary" variant="bodySmall">
              group by {r.groupBy} · {r.timers}
              {r.muteTimeIntervals.length ? ` · muted during ${r.muteTimeIntervals.join(', ')}` : ''}
              {r.activeTimeIntervals.length ? ` · active only during ${r.activeTimeIntervals.join(', ')}` : ''}
            </Text>
          </li>
        ))}
      </ul>
      <Text element="h4">Inhibition rules</Text>
      {inhibit.length === 0 ? (
        <Text color="secondary">None: no alert mutes another.</Text>
      ) : (
        <table className="filter-table" data-testid={ids.inhibitRules}>
          <thead>
            <tr>
              <th>While an alert matching</th>
              <th>mute alerts matching</th>
              <th>with equal labels</th>
            </tr>
          </thead>
          <tbody>
            {inhibit.map((r) => (
              <tr key={r.key} data-testid={ids.inhibitRule}>
                <td>
                  <code>{r.source}</code>
                </td>
                <td>
                  <code>{r.target}</code>
                </td>
                <td>{r.equal}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Text element="h4">Time intervals</Text>
      {intervals.length === 0 ? (
        <Text color="secondary">None configured.</Text>
      ) : (
        <ul data-testid={ids.timeIntervals} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {intervals.map((t) => (
            <li key={t.name} data-testid={ids.timeInterval} data-active={String(t.activeNow)}>
              <Stack gap={1} alignItems="center">
                <Text weight="medium">{t.name}</Text>
                <Badge text={t.activeNow ? 'active now' : 'not active'} color={t.activeNow ? 'orange' : 'darkgrey'} />
                <Text color="secondary" variant="bodySmall">
                  {t.usedBy.length ? t.usedBy.join(', ') : 'used by no route'}
                </Text>
              </Stack>
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}
