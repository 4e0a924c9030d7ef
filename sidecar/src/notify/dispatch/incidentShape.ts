/** What an incident's summary needs of its alerts, kept as they join (correlationModel.ts). */
import { incidentSeverity, type Severity } from '@vigil/core';
import type { IncidentAlertRecord } from '../../store/incidentStore';

/**
 * What an incident's summary needs of its alerts (incidentSummary.ts): the one service they name
 * (null: none) or that they name several, the earliest alert (by start, then fingerprint), and the
 * highest severity — kept as alerts join, instead of a pass over all of them per batch.
 */
export interface IncidentShape {
  service: string | null;
  several: boolean;
  earliest: IncidentAlertRecord;
  severity: Severity;
}

/** A label's value as core reads it (`labelOf`): an own property, not empty; null otherwise. */
export function labelValue(labels: Record<string, string>, name: string): string | null {
  const v = Object.prototype.hasOwnProperty.call(labels, name) ? labels[name] : undefined;
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Adds an alert to the shape of its incident. */
export function extendShape(shape: IncidentShape, a: IncidentAlertRecord, serviceLabel: string): void {
  const s = labelValue(a.labels, serviceLabel);
  if (s !== null) {
    if (shape.service === null) {
      shape.service = s;
    } else if (s !== shape.service) {
      shape.several = true;
    }
  }
  shape.severity = incidentSeverity([shape, a]);
  const e = shape.earliest;
  if (a.startsAt < e.startsAt || (a.startsAt === e.startsAt && a.fingerprint < e.fingerprint)) {
    shape.earliest = a;
  }
}
