import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadSlos } from './load';
import { importOpenSlo } from './openslo';
import { sloToOpenSLO } from './opensloExport';
import { importSloth } from './sloth';
import { parseSloFile } from './spec';
import { goldenJson, goldenText } from './testdata/golden';

const testdata = join(__dirname, 'testdata');
const specs = readdirSync(testdata).filter((f) => /^(openslo|sloth|vigil)-[^.]*\.yaml$/.test(f));
const read = (f: string) => readFileSync(join(testdata, f), 'utf8');

describe('loadSlos golden files (OpenSLO, Sloth and Vigil specs in, Vigil model out)', () => {
  it('finds the specs', () => {
    expect(specs.length).toBeGreaterThanOrEqual(9);
  });

  it.each(specs.filter((f) => !f.includes('-bad-')))('%s → .slos.json', (file) => {
    const { format, slos } = loadSlos(read(file));
    expect(format).toBe(file.split('-')[0]);
    goldenJson(join(testdata, file.replace(/\.yaml$/, '.slos.json')), slos);
  });

  it.each(specs.filter((f) => f.includes('-bad-')))('%s → .error.txt naming the field', (file) => {
    let message = '';
    try {
      loadSlos(read(file));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toBe('');
    goldenText(join(testdata, file.replace(/\.yaml$/, '.error.txt')), `${message}\n`);
  });
});

describe('format details', () => {
  it('reads Sloth queries with {{.window}} as they are and a raw error ratio as bad over one per series', () => {
    const [availability, latency, raw] = importSloth(parse(read('sloth-k8s-apiserver.yaml')));
    expect(availability.id).toBe('k8s-apiserver-requests-availability');
    expect(availability.labels).toEqual({ cluster: 'valhalla', component: 'kubernetes' });
    expect(latency.alerting).toEqual({ page: true, ticket: false });
    expect(raw.sli).toMatchObject({ kind: 'ratio', total: expect.stringMatching(/\) \* 0 \+ 1$/) });
    expect(raw.alerting).toEqual({ page: false, ticket: false });
  });

  it('names the Sloth field of a bad objective', () => {
    const doc = {
      version: 'prometheus/v1',
      service: 's',
      slos: [
        {
          name: 'a',
          objective: 100,
          sli: { events: { error_query: 'e[{{.window}}]', total_query: 't[{{.window}}]' } },
        },
      ],
    };
    expect(() => importSloth(doc)).toThrow(/^unsupported Sloth spec: slos.0.objective: must be a percentage/);
    const noTotal = {
      ...doc,
      slos: [{ name: 'a', objective: 99, sli: { events: { error_query: 'e[{{.window}}]' } } }],
    };
    expect(() => importSloth(noTotal)).toThrow('unsupported Sloth spec: slos.0.sli.events.total_query: required');
  });

  it('maps OpenSLO alert policies to page and ticket by severity', () => {
    const [checkout, payment] = loadSlos(read('openslo-v1-checkout.yaml')).slos;
    expect(checkout.alerting).toEqual({ page: true, ticket: false });
    expect(payment.alerting).toEqual({ page: false, ticket: true });
    expect(payment.sli).toMatchObject({ bad: 'sum(increase(payment_calls_total{outcome="error"}[$__range]))' });
  });

  it('exports to OpenSLO v1 and imports back to the same SLO', () => {
    const slos = [
      ...parseSloFile(parse(read('vigil-guide.yaml'))),
      ...loadSlos(read('openslo-v1-timeslices.yaml')).slos,
    ].filter((s) => s.sli.kind !== 'latency');
    const docs = slos.map(sloToOpenSLO);
    goldenText(
      join(testdata, 'vigil-guide.openslo.yaml'),
      docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n')
    );
    expect(importOpenSlo(parse(stringify(docs)) as unknown[])).toEqual(slos);
  });

  it('exports a latency SLI as the ratio of its bucket to its count', () => {
    const latency = parseSloFile(parse(read('vigil-guide.yaml')))[1];
    const back = importOpenSlo([sloToOpenSLO(latency)])[0];
    expect(back.sli).toEqual({
      kind: 'ratio',
      language: 'promql',
      good: 'sum(increase(http_request_duration_seconds_bucket{job="api",le="0.5"}[$__range]))',
      total: 'sum(increase(http_request_duration_seconds_count{job="api"}[$__range]))',
    });
    expect({ ...back, sli: latency.sli }).toEqual(latency);
  });

  it('reads a multi-document Sloth stream and refuses an id twice across documents', () => {
    const other = read('sloth-k8s-apiserver.yaml').replace('service: "k8s-apiserver"', 'service: "etcd"');
    const { format, slos } = loadSlos(`${read('sloth-k8s-apiserver.yaml')}\n---\n${other}`);
    expect(format).toBe('sloth');
    expect(slos.map((s) => s.id)).toContain('etcd-requests-latency');
    expect(slos).toHaveLength(6);
    expect(() => loadSlos(`${other}\n---\n${other}`)).toThrow(
      'invalid SLO file: id: duplicate SLO id etcd-requests-availability across documents'
    );
  });

  it('reports YAML syntax errors and unknown formats', () => {
    expect(() => loadSlos('id: [')).toThrow(/^invalid SLO file: \(yaml\): /);
    expect(() => loadSlos('apiVersion: openslo/v2\nkind: SLO\n')).toThrow(
      'unsupported OpenSLO spec: documents.0.apiVersion: expected openslo/v1 or openslo/v1alpha'
    );
  });
});
