import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { isVigilError } from '../errors';
import { goldenJson } from './testdata/golden';
import { parseSloFile, parseSloSpec, sloToSpec, SloSpecError, slosToSpecFile } from './spec';

const testdata = join(__dirname, 'testdata');

const guideSpec = () => parse(readFileSync(join(testdata, 'vigil-guide.yaml'), 'utf8'));

/** The message of what `fn` throws. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

const base = {
  id: 'api',
  name: 'API',
  service: 'api',
  target: 99.9,
  sli: { ratio: { bad: 'sum(increase(e[$__range]))', total: 'sum(increase(t[$__range]))' } },
};

describe('parseSloSpec', () => {
  it('reads the guide SLOs into the golden Vigil model, defaults filled', () => {
    goldenJson(join(testdata, 'vigil-guide.slos.json'), parseSloFile(guideSpec()));
  });

  it('round-trips every SLO through sloToSpec, also through YAML text', () => {
    const slos = parseSloFile(guideSpec());
    for (const slo of slos) {
      expect(parseSloSpec(sloToSpec(slo))).toEqual(slo);
    }
    expect(parseSloFile(parse(stringify(slosToSpecFile(slos))))).toEqual(slos);
    expect(parseSloFile(parse(stringify(slosToSpecFile([slos[1]]))))).toEqual([slos[1]]);
  });

  it('leaves defaults out of the spec it writes', () => {
    expect(sloToSpec(parseSloSpec(base))).toEqual(base);
  });

  it('names the path of a missing or wrong field', () => {
    const noTotal = { ...base, sli: { ratio: { bad: 'sum(increase(e[$__range]))' } } };
    expect(errorOf(() => parseSloSpec(noTotal))).toBe('invalid SLO: sli.ratio.total: required');
    expect(errorOf(() => parseSloSpec({ ...base, target: 100 }))).toMatch(/^invalid SLO: target: must be a percentage/);
    expect(errorOf(() => parseSloSpec({ ...base, id: 'Bad Id' }))).toMatch(/^invalid SLO: id: expected lower-case/);
    expect(errorOf(() => parseSloSpec({ ...base, sli: {} }))).toMatch(
      /^invalid SLO: sli: expected exactly one of ratio, latency, timeslice/
    );
    expect(
      errorOf(() =>
        parseSloSpec({ ...base, sli: { ratio: { good: 'g[$__range]', bad: 'b[$__range]', total: 't[$__range]' } } })
      )
    ).toBe('invalid SLO: sli.ratio: expected exactly one of good, bad');
    expect(errorOf(() => parseSloSpec({ ...base, sli: { ratio: { bad: 'sum(e)', total: 't[$__range]' } } }))).toMatch(
      /^invalid SLO: sli.ratio.bad: must contain \$__range/
    );
    expect(errorOf(() => parseSloSpec({ ...base, window: { calendar: 'month', timeZone: 'Mars/Olympus' } }))).toBe(
      'invalid SLO: window.timeZone: unknown time zone "Mars/Olympus"'
    );
    expect(errorOf(() => parseSloSpec({ ...base, windw: '30d' }))).toBe('invalid SLO: windw: unknown field');
    expect(errorOf(() => parseSloSpec({ ...base, labels: { slo_id: 'x' } }))).toMatch(/^invalid SLO: labels.slo_id/);
    const latency = { ...base, language: 'influxql', sli: { latency: { histogram: 'h', threshold: '500ms' } } };
    expect(errorOf(() => parseSloSpec(latency))).toMatch(
      /^invalid SLO: language: a latency SLI reads a Prometheus histogram/
    );
  });

  it('throws a 400 invalid_slo VigilError listing every field', () => {
    let err: unknown;
    try {
      parseSloSpec({ id: 'x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SloSpecError);
    expect(isVigilError(err)).toBe(true);
    const e = err as SloSpecError;
    expect([e.code, e.status]).toEqual(['invalid_slo', 400]);
    expect(e.fields.map((f) => f.field).sort()).toEqual(['name', 'service', 'sli', 'target']);
  });

  it('prefixes paths in a list and refuses duplicate ids', () => {
    const list = { slos: [base, { ...base, id: 'b', sli: { latency: { threshold: '1s' } } }] };
    expect(errorOf(() => parseSloFile(list))).toBe('invalid SLO: slos.1.sli.latency.histogram: required');
    expect(errorOf(() => parseSloFile({ slos: [base, base] }))).toBe('invalid SLO: slos.1.id: duplicate id api');
    expect(errorOf(() => parseSloFile({ slos: [] }))).toBe('invalid SLO: slos: expected a non-empty list of SLOs');
  });
});
