/**
 * The SLO editor's form model (pure): Vigil's SLO spec ↔ form values, the few checks the form makes
 * before sending (the sidecar validates the rest and answers 400 `invalid_slo` naming each field), and
 * those field errors placed under the form's fields.
 */
import type { FieldError } from '@vigil/core';
import type { SloSpec } from '../../api/slos';

/** The SLI kinds Vigil's spec knows. */
export type SliKind = 'ratio' | 'latency' | 'timeslice';
/** Calendar windows. */
export type CalendarUnit = 'week' | 'month' | 'quarter';
/** Timeslice comparisons. */
export type SliceOp = '<' | '<=' | '>' | '>=';

/** What the form edits; numbers stay text until sent so a half-typed value is not lost. */
export interface SloFormValues {
  id: string;
  name: string;
  description: string;
  service: string;
  target: string;
  windowKind: 'rolling' | 'calendar';
  windowDuration: string;
  calendarUnit: CalendarUnit;
  timeZone: string;
  sliKind: SliKind;
  /** A ratio SLI counts good events or bad ones, over total. */
  ratioMode: 'good' | 'bad';
  ratioEvents: string;
  ratioTotal: string;
  histogram: string;
  matchers: string;
  latencyThreshold: string;
  sliceQuery: string;
  sliceOp: SliceOp;
  sliceThreshold: string;
  slice: string;
  datasource: string;
  alertPage: boolean;
  alertTicket: boolean;
  minEvents: string;
}

/** A form field name. */
export type SloFormField = keyof SloFormValues;
/** Problems by field; `general` holds what belongs to no field shown. */
export type SloFormErrors = Partial<Record<SloFormField | 'general', string>>;

/** A new SLO's form: a 99.9% ratio SLO over a rolling 30 days. */
export function defaultSloForm(datasource = ''): SloFormValues {
  return {
    id: '',
    name: '',
    description: '',
    service: '',
    target: '99.9',
    windowKind: 'rolling',
    windowDuration: '30d',
    calendarUnit: 'month',
    timeZone: 'UTC',
    sliKind: 'ratio',
    ratioMode: 'good',
    ratioEvents: '',
    ratioTotal: '',
    histogram: '',
    matchers: '',
    latencyThreshold: '500ms',
    sliceQuery: '',
    sliceOp: '<',
    sliceThreshold: '',
    slice: '5m',
    datasource,
    alertPage: true,
    alertTicket: true,
    minEvents: '0',
  };
}

const str = (v: unknown, fallback = ''): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The form of a stored SLO's spec (as `GET /slos/:id` returns it). */
export function sloFormFromSpec(spec: SloSpec): SloFormValues {
  const d = defaultSloForm(str(spec.datasource));
  const window = spec.window;
  const cal = obj(window);
  const sli = obj(spec.sli);
  const ratio = obj(sli.ratio);
  const latency = obj(sli.latency);
  const slice = obj(sli.timeslice);
  const alerting = obj(spec.alerting);
  return {
    ...d,
    id: str(spec.id),
    name: str(spec.name),
    description: str(spec.description),
    service: str(spec.service),
    target: str(spec.target, d.target),
    windowKind: typeof window === 'object' && window !== null ? 'calendar' : 'rolling',
    windowDuration: typeof window === 'string' ? window : d.windowDuration,
    calendarUnit: (str(cal.calendar) || d.calendarUnit) as CalendarUnit,
    timeZone: str(cal.timeZone) || d.timeZone,
    sliKind: sli.latency ? 'latency' : sli.timeslice ? 'timeslice' : 'ratio',
    ratioMode: ratio.bad !== undefined ? 'bad' : 'good',
    ratioEvents: str(ratio.bad ?? ratio.good),
    ratioTotal: str(ratio.total),
    histogram: str(latency.histogram),
    matchers: str(latency.matchers),
    latencyThreshold: str(latency.threshold, d.latencyThreshold),
    sliceQuery: str(slice.query),
    sliceOp: (str(slice.op) || d.sliceOp) as SliceOp,
    sliceThreshold: str(slice.threshold),
    slice: str(slice.slice, d.slice),
    alertPage: alerting.page !== false,
    alertTicket: alerting.ticket !== false,
    minEvents: str(spec.minEvents, d.minEvents),
  };
}

/** A number typed in a field, or the text itself when it is not one (the sidecar then names the field). */
function numberOr(text: string): number | string {
  const t = text.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
}

/** The SLI part of the spec. */
function sliSpec(v: SloFormValues): Record<string, unknown> {
  if (v.sliKind === 'latency') {
    const threshold = numberOr(v.latencyThreshold);
    return {
      latency: {
        histogram: v.histogram.trim(),
        ...(v.matchers.trim() ? { matchers: v.matchers.trim() } : {}),
        threshold,
      },
    };
  }
  if (v.sliKind === 'timeslice') {
    return {
      timeslice: {
        query: v.sliceQuery.trim(),
        op: v.sliceOp,
        threshold: numberOr(v.sliceThreshold),
        slice: v.slice.trim(),
      },
    };
  }
  return { ratio: { [v.ratioMode]: v.ratioEvents.trim(), total: v.ratioTotal.trim() } };
}

/**
 * The spec to send. Fields the form does not edit (labels, measurement window, query language) are
 * kept from `base`, the SLO's stored spec, so saving from the form never drops them.
 */
export function sloSpecFromForm(v: SloFormValues, base: SloSpec = {}): SloSpec {
  const { id: _id, name: _n, description: _d, service: _s, target: _t, window: _w, sli: _sli, ...kept } = base;
  void [_id, _n, _d, _s, _t, _w, _sli];
  return {
    ...kept,
    id: v.id.trim(),
    name: v.name.trim(),
    ...(v.description.trim() ? { description: v.description.trim() } : {}),
    service: v.service.trim(),
    target: numberOr(v.target),
    window:
      v.windowKind === 'calendar'
        ? { calendar: v.calendarUnit, timeZone: v.timeZone.trim() || 'UTC' }
        : v.windowDuration.trim(),
    sli: sliSpec(v),
    datasource: v.datasource,
    minEvents: numberOr(v.minEvents || '0'),
    alerting: { page: v.alertPage, ticket: v.alertTicket },
  };
}

/** The checks made before sending: what the sidecar would refuse for a reason the form can say better. */
export function validateSloForm(v: SloFormValues): SloFormErrors {
  const errors: SloFormErrors = {};
  const required: SloFormField[] = ['id', 'name', 'service'];
  for (const f of required) {
    if (String(v[f]).trim() === '') {
      errors[f] = 'required';
    }
  }
  const target = Number(v.target);
  if (v.target.trim() === '' || !Number.isFinite(target) || target <= 0 || target >= 100) {
    errors.target = 'a percentage strictly between 0 and 100, such as 99.9';
  }
  if (!/^\d+$/.test(v.minEvents.trim() || '0')) {
    errors.minEvents = 'a whole number of events (0 for none)';
  }
  return errors;
}

/** Wire field paths (dotted, as the sidecar names them) → the form field that shows the problem. */
const WIRE_TO_FORM: Partial<Record<string, SloFormField>> = {
  id: 'id',
  name: 'name',
  description: 'description',
  service: 'service',
  target: 'target',
  window: 'windowDuration',
  'window.calendar': 'calendarUnit',
  'window.timeZone': 'timeZone',
  sli: 'sliKind',
  'sli.ratio': 'ratioEvents',
  'sli.ratio.good': 'ratioEvents',
  'sli.ratio.bad': 'ratioEvents',
  'sli.ratio.total': 'ratioTotal',
  'sli.latency': 'histogram',
  'sli.latency.histogram': 'histogram',
  'sli.latency.matchers': 'matchers',
  'sli.latency.threshold': 'latencyThreshold',
  'sli.timeslice': 'sliceQuery',
  'sli.timeslice.query': 'sliceQuery',
  'sli.timeslice.op': 'sliceOp',
  'sli.timeslice.threshold': 'sliceThreshold',
  'sli.timeslice.slice': 'slice',
  datasource: 'datasource',
  language: 'datasource',
  minEvents: 'minEvents',
  alerting: 'alertPage',
  'alerting.page': 'alertPage',
  'alerting.ticket': 'alertTicket',
};

/** The sidecar's 400 field errors placed on the form; a field the form does not show goes to `general`. */
export function sloFormErrorsFromSidecar(fields: readonly FieldError[]): SloFormErrors {
  const errors: SloFormErrors = {};
  for (const f of fields) {
    const target: SloFormField | 'general' = WIRE_TO_FORM[f.field] ?? 'general';
    const message = target === 'general' ? `${f.field}: ${f.message}` : f.message;
    errors[target] = errors[target] ? `${errors[target]}; ${message}` : message;
  }
  return errors;
}
