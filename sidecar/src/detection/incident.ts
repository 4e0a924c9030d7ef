/**
 * The incident tracker lives in @vigil/core (`core/src/detection/incidents.ts`), so the overlay panel
 * and the sidecar group anomalies into the same incidents; re-exported here under the names the
 * runner and the event builder use.
 */
export {
  IncidentTracker,
  incidentGapMs,
  type AnomalyIncident as Incident,
  type IncidentChange,
  type IncidentTrackerState,
} from '@vigil/core';
