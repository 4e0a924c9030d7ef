import type Database from 'better-sqlite3';
import type { IncidentStore } from './incidentStore';

/**
 * Incident persistence on SQLite (migration 6).
 * TODO(issue 11, helper H9): implement.
 */
export function sqliteIncidentStore(_db: () => Database.Database): IncidentStore {
  const todo = (): never => {
    throw new Error('sqliteIncidentStore: not implemented');
  };
  return {
    listIncidents: async () => todo(),
    getIncident: async () => todo(),
    incidentAlerts: async () => todo(),
    incidentTimeline: async () => todo(),
    correlationCandidates: async () => todo(),
    activeIncidentOf: async () => todo(),
    commitIncidents: async () => todo(),
  };
}
