// Incidents the workload can inject, how a request body is validated, and what each does to a service.
import { isService, SERVICES, ServiceName } from './topology';

/** Kinds of incident (values on the wire). */
export type IncidentType = 'latency_spike' | 'error_burst' | 'level_shift' | 'slow_drift' | 'service_down';

/** All incident types. */
export const INCIDENT_TYPES: readonly IncidentType[] = [
  'latency_spike',
  'error_burst',
  'level_shift',
  'slow_drift',
  'service_down',
];

/** What `POST /incidents` accepts. `durationSeconds` is wall-clock time, whatever the speed. */
export interface IncidentSpec {
  type: IncidentType;
  service: ServiceName;
  durationSeconds: number;
  /**
   * latency_spike: latency multiplier (default 5); error_burst: added error ratio in (0, 1] (default 0.3);
   * level_shift: relative traffic change, > -1 (default 0.5 = +50%); slow_drift: latency and memory growth
   * reached at the end (default 1 = +100%); service_down: ignored.
   */
  magnitude?: number;
}

/** An injected incident. */
export interface Incident extends Required<IncidentSpec> {
  id: string;
  source: 'api' | 'schedule';
  /** Epoch milliseconds. */
  startedAt: number;
  endsAt: number;
}

const DEFAULT_MAGNITUDE: Record<IncidentType, number> = {
  latency_spike: 5,
  error_burst: 0.3,
  level_shift: 0.5,
  slow_drift: 1,
  service_down: 1,
};

/** Why a spec was rejected; the message names the field. */
export class IncidentSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncidentSpecError';
  }
}

/** Validates an untrusted body (e.g. JSON from `POST /incidents`) and fills in the default magnitude. */
export function parseIncidentSpec(body: unknown): Required<IncidentSpec> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new IncidentSpecError('incident must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  const unknownKeys = Object.keys(b).filter((k) => !['type', 'service', 'durationSeconds', 'magnitude'].includes(k));
  if (unknownKeys.length) {
    throw new IncidentSpecError(`unknown field "${unknownKeys[0]}"`);
  }
  if (typeof b.type !== 'string' || !(INCIDENT_TYPES as readonly string[]).includes(b.type)) {
    throw new IncidentSpecError(`type must be one of ${INCIDENT_TYPES.join(', ')}; got ${JSON.stringify(b.type)}`);
  }
  const type = b.type as IncidentType;
  if (!isService(b.service)) {
    throw new IncidentSpecError(`service must be one of ${SERVICES.join(', ')}; got ${JSON.stringify(b.service)}`);
  }
  const d = b.durationSeconds;
  if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0 || d > 86400) {
    throw new IncidentSpecError(`durationSeconds must be a number in (0, 86400]; got ${JSON.stringify(d)}`);
  }
  const m = b.magnitude ?? DEFAULT_MAGNITUDE[type];
  if (typeof m !== 'number' || !Number.isFinite(m)) {
    throw new IncidentSpecError(`magnitude must be a finite number; got ${JSON.stringify(b.magnitude)}`);
  }
  const rangeError =
    (type === 'latency_spike' && m < 1 && 'at least 1 (a latency multiplier)') ||
    (type === 'error_burst' && (m <= 0 || m > 1) && 'in (0, 1] (an added error ratio)') ||
    (type === 'level_shift' && m <= -1 && 'above -1 (a relative traffic change)') ||
    (type === 'slow_drift' && m <= 0 && 'above 0 (the growth reached at the end)');
  if (rangeError) {
    throw new IncidentSpecError(`magnitude for ${type} must be ${rangeError}; got ${m}`);
  }
  return { type, service: b.service, durationSeconds: d, magnitude: m };
}

/** What the active incidents do to one service's own behaviour (before dependencies are considered). */
export interface ServiceEffect {
  latencyFactor: number;
  errorAdd: number;
  loadFactor: number;
  memoryFactor: number;
  down: boolean;
}

/** The effect of no incident. */
export const NO_EFFECT: Readonly<ServiceEffect> = {
  latencyFactor: 1,
  errorAdd: 0,
  loadFactor: 1,
  memoryFactor: 1,
  down: false,
};

/** Combines the incidents active at `nowMs` into one effect per service. */
export function effectsAt(incidents: readonly Incident[], nowMs: number): Record<ServiceName, ServiceEffect> {
  const out = Object.fromEntries(SERVICES.map((s) => [s, { ...NO_EFFECT }])) as Record<ServiceName, ServiceEffect>;
  for (const inc of incidents) {
    if (nowMs < inc.startedAt || nowMs >= inc.endsAt) {
      continue;
    }
    const e = out[inc.service];
    switch (inc.type) {
      case 'latency_spike':
        e.latencyFactor *= inc.magnitude;
        break;
      case 'error_burst':
        e.errorAdd += inc.magnitude;
        break;
      case 'level_shift':
        e.loadFactor *= 1 + inc.magnitude;
        break;
      case 'slow_drift': {
        // Grows linearly from nothing to the full magnitude over the incident (a leak, a filling queue).
        const progress = (nowMs - inc.startedAt) / (inc.endsAt - inc.startedAt);
        e.latencyFactor *= 1 + inc.magnitude * progress;
        e.memoryFactor *= 1 + inc.magnitude * progress;
        break;
      }
      case 'service_down':
        e.down = true;
        break;
    }
  }
  return out;
}
