/**
 * A user's acknowledge or resolve as incident writes (`IncidentStore.actOnIncident`), decided from the
 * incident as stored: both stores read it under a write lock (SQLite's IMMEDIATE transaction,
 * PostgreSQL's `FOR UPDATE`) and write what this returns, so two users acting at once change and
 * record it once.
 */
import type { IncidentState } from '@vigil/core';
import { type IncidentAction, type IncidentRecord, type IncidentWrites, newTimelineId } from './incidentStore';

/** The states each action leaves. */
const LEAVES: Record<IncidentAction['action'], readonly IncidentState[]> = {
  acknowledge: ['open'],
  resolve: ['open', 'acknowledged'],
};

/**
 * The writes of `action` on `current` (the incident as stored, locked), or null when the incident is
 * not in a state the action leaves: the incident, one timeline entry, one change log entry.
 */
export function actionWrites(
  current: IncidentRecord,
  action: IncidentAction
): { next: IncidentRecord; writes: IncidentWrites } | null {
  if (!LEAVES[action.action].includes(current.state)) {
    return null;
  }
  const { at, user, comment } = action;
  const updatedAt = Math.max(at, current.updatedAt);
  const next: IncidentRecord =
    action.action === 'acknowledge'
      ? { ...current, state: 'acknowledged', updatedAt, acknowledgedAt: at, acknowledgedBy: user }
      : { ...current, state: 'resolved', updatedAt, resolvedAt: at, resolvedBy: user };
  const verb = action.action === 'acknowledge' ? 'acknowledged' : 'resolved';
  return {
    next,
    writes: {
      incidents: [next],
      alerts: [],
      timeline: [
        {
          id: newTimelineId(at),
          incidentId: current.id,
          at,
          kind: verb,
          message: comment ? `${verb}: ${comment}` : verb,
          user,
        },
      ],
      changes: [
        {
          at,
          user,
          action: action.action,
          objectType: 'incident',
          objectId: current.id,
          detail: { from: current.state, to: next.state, comment },
        },
      ],
    },
  };
}
