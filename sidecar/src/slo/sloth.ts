/**
 * Import of Sloth's `prometheus/v1` spec (https://github.com/slok/sloth, pkg/prometheus/api/v1):
 * `service`, `labels`, `slos[]` with `objective`, `sli.events.error_query / total_query` (templated
 * with `{{.window}}`, which core's queries read as they are) or `sli.raw.error_ratio_query`, and
 * `alerting.page_alert / ticket_alert.disable`. Sloth has no compliance window in the spec (its CLI
 * defaults to 30 days), so SLOs get Vigil's default. SLI plugins and anything else Vigil cannot
 * evaluate fail naming the field. Per-alert labels and annotations have no place in Vigil's model and
 * are dropped: the SLO's labels travel on every alert.
 */
import type { Slo } from '@vigil/core';
import { parseImportedSpec, SloSpecError } from './spec';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for a decoded document that declares Sloth's spec. */
export function isSlothSpec(doc: unknown): boolean {
  return isObj(doc) && doc.version === 'prometheus/v1';
}

/** Fails naming a field of the Sloth spec. */
function fail(field: string, message: string): never {
  throw new SloSpecError([{ field, message }], 'unsupported Sloth spec');
}

/** A Vigil id from Sloth's `<service>-<slo name>` (its `sloth_id`), lower-cased into `[a-z0-9_-]`. */
export function slothId(service: string, name: string): string {
  return `${service}-${name}`
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .slice(0, 128);
}

/** Where a Vigil spec field came from in the Sloth spec, for error messages. */
const FIELD_NAMES: Array<[RegExp, string]> = [
  [/^target$/, 'objective'],
  [/^sli\.ratio\.bad$/, 'sli.events.error_query'],
  [/^sli\.ratio\.total$/, 'sli.events.total_query'],
  [/^id$/, 'name'],
];

/** The SLI of one Sloth SLO as Vigil's `ratio` spec. */
function sliSpec(sli: unknown, at: string): Obj {
  if (!isObj(sli)) {
    return fail(`${at}.sli`, sli === undefined ? 'required' : 'expected an object');
  }
  if (sli.plugin !== undefined) {
    return fail(`${at}.sli.plugin`, 'SLI plugins run inside Sloth; write the queries as sli.events');
  }
  const kinds = ['events', 'raw'].filter((k) => sli[k] !== undefined);
  if (kinds.length !== 1) {
    return fail(`${at}.sli`, 'expected exactly one of events, raw');
  }
  if (isObj(sli.events)) {
    const q = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
    return { ratio: { bad: q(sli.events.error_query), total: q(sli.events.total_query) } };
  }
  const raw = isObj(sli.raw) ? (sli.raw.error_ratio_query ?? sli.raw.errorRatioQuery) : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') {
    return fail(`${at}.sli.raw.error_ratio_query`, 'required');
  }
  // An error ratio, not event counts: bad = the ratio, total = one per series (the ratio's own
  // labels, so the division matches), so bad / total is the ratio. It cannot be weighted by events.
  return { ratio: { bad: raw.trim(), total: `(${raw.trim()}) * 0 + 1` } };
}

/** One Sloth SLO as Vigil's spec, then Vigil's model. */
function importSlo(doc: Obj, slo: unknown, i: number): Slo {
  const at = `slos.${i}`;
  if (!isObj(slo)) {
    return fail(at, 'expected an object');
  }
  if (typeof slo.name !== 'string' || slo.name === '') {
    return fail(`${at}.name`, 'required');
  }
  const alerting = isObj(slo.alerting) ? slo.alerting : {};
  const disabled = (a: unknown) => isObj(a) && a.disable === true;
  const spec = {
    id: slothId(String(doc.service), slo.name),
    name: slo.name,
    description: typeof slo.description === 'string' ? slo.description.trim() : '',
    service: doc.service,
    target: slo.objective,
    sli: sliSpec(slo.sli, at),
    alerting: { page: !disabled(alerting.page_alert), ticket: !disabled(alerting.ticket_alert) },
    labels: { ...(isObj(doc.labels) ? doc.labels : {}), ...(isObj(slo.labels) ? slo.labels : {}) },
  };
  return parseImportedSpec(spec, at, FIELD_NAMES, 'unsupported Sloth spec');
}

/** Every SLO of a Sloth `prometheus/v1` document. Throws a {@link SloSpecError} naming the Sloth field. */
export function importSloth(doc: unknown): Slo[] {
  if (!isObj(doc) || doc.version !== 'prometheus/v1') {
    return fail('version', 'expected "prometheus/v1"');
  }
  if (typeof doc.service !== 'string' || doc.service === '') {
    return fail('service', 'required');
  }
  if (!Array.isArray(doc.slos) || doc.slos.length === 0) {
    return fail('slos', 'expected a non-empty list');
  }
  const slos = doc.slos.map((s, i) => importSlo(doc, s, i));
  slos.forEach((s, i) => {
    if (slos.findIndex((o) => o.id === s.id) !== i) {
      fail(`slos.${i}.name`, `duplicate SLO ${s.id}`);
    }
  });
  return slos;
}
