/**
 * A tiny incident model for timeline tests, in the style of Alertmanager's acceptance tests: alerts
 * are pushed (fired, resolved) at times, each decision of `correlate` is applied the way the
 * dispatcher applies it (a new incident id, a join, a suppression; an incident resolves when all its
 * alerts have), and the incidents are summarised at the end as strings that diff well.
 */
import type { Severity } from '../../rules/types';
import { correlate, incidentSeverity, incidentTitle, rootCause } from '../correlate';
import {
  CORRELATION_DEFAULTS,
  type CorrelationAlert,
  type CorrelationConfig,
  type CorrelationDecision,
  type CorrelationReason,
  type IncidentState,
  type SuppressionReason,
  type Topology,
} from '../types';

/** Seconds. */
export const S = 1000;
/** The start of every timeline. */
export const T0 = Date.UTC(2026, 0, 5, 12);

/** The demo's topology (demo/workload/topology.ts EDGES): gateway → api → orders → payments/database. */
export const DEMO: Topology = {
  dependsOn: {
    gateway: ['api'],
    api: ['orders', 'database'],
    orders: ['payments', 'database'],
    payments: ['database'],
    database: [],
  },
};

/** An alert to fire: its fingerprint and labels; `service` and `name` are shorthands for labels. */
export interface AlertSpec {
  fp: string;
  service?: string;
  name?: string;
  severity?: Severity;
  labels?: Record<string, string>;
}

/** One step: at `at` seconds after T0, fire an alert, resolve one, or resolve an incident by hand. */
export type Step =
  | { at: number; fire: AlertSpec }
  | { at: number; resolve: string }
  /** Resolves (as a user would) the incident the named alert belongs to. */
  | { at: number; resolveIncidentOf: string };

interface ModelIncident {
  id: string;
  state: IncidentState;
  openedAt: number;
  alerts: string[];
  /** Its alerts as they were last seen in it (a fingerprint that re-fired elsewhere keeps its past here). */
  records: Map<string, CorrelationAlert>;
}

/** The incidents and alerts of a timeline. */
export class IncidentModel {
  readonly alerts = new Map<string, CorrelationAlert>();
  readonly incidents: ModelIncident[] = [];
  readonly decisions = new Map<string, CorrelationDecision>();

  constructor(
    readonly topology: Topology = { dependsOn: {} },
    readonly config: CorrelationConfig = CORRELATION_DEFAULTS
  ) {}

  /** Applies the steps in order. */
  run(steps: readonly Step[]): this {
    for (const step of steps) {
      const at = T0 + Math.round(step.at * S);
      if ('fire' in step) {
        this.fire(at, step.fire);
      } else if ('resolve' in step) {
        this.resolve(step.resolve);
      } else {
        this.incidentOf(step.resolveIncidentOf)!.state = 'resolved';
      }
    }
    return this;
  }

  /** Fires an alert at `at` (a no-op while it fires already) and applies the decision. */
  fire(at: number, spec: AlertSpec): CorrelationDecision | undefined {
    const before = this.alerts.get(spec.fp);
    if (before && before.status === 'firing') {
      return undefined;
    }
    const labels: Record<string, string> = { alertname: spec.name ?? spec.fp, ...spec.labels };
    if (spec.service !== undefined) {
      labels.service = spec.service;
    }
    const alert: CorrelationAlert = {
      fingerprint: spec.fp,
      labels,
      severity: spec.severity ?? 'warning',
      startsAt: at,
      status: 'firing',
      incidentId: null,
      suppressed: false,
    };
    // Everything the model knows, the alert's own resolved past included: correlate filters.
    const recent = [...this.alerts.values()];
    const open = this.incidents
      .filter((i) => i.state !== 'resolved')
      .map((i) => ({
        id: i.id,
        state: i.state,
        openedAt: i.openedAt,
        severity: incidentSeverity(this.members(i)),
        alerts: i.alerts.slice(),
      }));
    const d = correlate(alert, recent, open, this.topology, this.config, at);
    let incident = d.incidentId === null ? undefined : this.incidents.find((i) => i.id === d.incidentId);
    if (d.incidentId !== null && (incident === undefined || incident.state === 'resolved')) {
      throw new Error(`${spec.fp}: joined ${d.incidentId}, which is not an unresolved incident`);
    }
    if (incident === undefined) {
      incident = { id: `I${this.incidents.length + 1}`, state: 'open', openedAt: at, alerts: [], records: new Map() };
      this.incidents.push(incident);
    }
    if (incident.alerts.indexOf(spec.fp) < 0) {
      incident.alerts.push(spec.fp);
    }
    const record = { ...alert, incidentId: incident.id, suppressed: d.suppressed !== null };
    this.alerts.set(spec.fp, record);
    incident.records.set(spec.fp, record);
    this.decisions.set(spec.fp, d);
    return d;
  }

  /** Resolves an alert; its incident resolves when all its alerts have. */
  resolve(fp: string): void {
    const a = this.alerts.get(fp);
    if (!a) {
      throw new Error(`resolve ${fp}: never fired`);
    }
    const record: CorrelationAlert = { ...a, status: 'resolved' };
    this.alerts.set(fp, record);
    const incident = this.incidentOf(fp)!;
    incident.records.set(fp, record);
    if (this.members(incident).every((m) => m.status === 'resolved')) {
      incident.state = 'resolved';
    }
  }

  /** The incident an alert last joined. */
  incidentOf(fp: string): ModelIncident | undefined {
    const id = this.alerts.get(fp)?.incidentId;
    return this.incidents.find((i) => i.id === id);
  }

  /** An incident's alerts, as last seen in it. */
  members(incident: ModelIncident): CorrelationAlert[] {
    return [...incident.records.values()];
  }

  /** `open I1 [db orders api] root=db`: each incident, in opening order, its alerts in joining order. */
  summary(): string[] {
    return this.incidents.map((i) => {
      const root = rootCause(this.members(i), this.topology, this.config);
      return `${i.state} ${i.id} [${i.alerts.join(' ')}] root=${root.fingerprint}`;
    });
  }

  /** `orders downstream by db (database)` / `warn higher_severity by crit (critical)`, fingerprint order. */
  suppressions(): string[] {
    const out: string[] = [];
    for (const fp of [...this.decisions.keys()].sort()) {
      const s = this.decisions.get(fp)!.suppressed;
      if (s) {
        out.push(`${fp} ${describeSuppression(s)}`);
      }
    }
    return out;
  }

  /** `orders dependency with db`: why each joining alert joined, fingerprint order. */
  reasons(): string[] {
    const out: string[] = [];
    for (const fp of [...this.decisions.keys()].sort()) {
      const r = this.decisions.get(fp)!.reason;
      if (r) {
        out.push(`${fp} ${describeReason(r)}`);
      }
    }
    return out;
  }

  /** The title of the incident an alert is in. */
  title(fp: string): string {
    const members = this.members(this.incidentOf(fp)!);
    return incidentTitle(members, rootCause(members, this.topology, this.config), this.config);
  }
}

/** `downstream by db (database)` / `higher_severity by crit (critical)`. */
export function describeSuppression(s: SuppressionReason): string {
  return s.kind === 'downstream'
    ? `downstream by ${s.by} (${s.upstream})`
    : `higher_severity by ${s.by} (${s.severity})`;
}

/** `same_service with a (orders)` / `dependency with db (database → orders)` / `symptom with cpu (saturation)`. */
export function describeReason(r: CorrelationReason): string {
  switch (r.kind) {
    case 'same_service':
      return `same_service with ${r.with} (${r.service})`;
    case 'dependency':
      return `dependency with ${r.with} (${r.upstream} → ${r.downstream})`;
    case 'symptom':
      return `symptom with ${r.with} (${r.group})`;
  }
}
