// Batched Prometheus instant queries against a real Prometheus: each query of a batch gets exactly
// what it gets alone (metric names, labels, values), a batch Prometheus refuses (a scalar, a range
// vector, a parse error) falls back to one request per query with each its own answer or error, and
// an unreachable server fails the batch once instead of once per query.
import { remoteWrite, startPrometheus, type PrometheusHandle } from '../../../test/harness';
import { isVigilError } from '../errors';
import { createSource, type Source } from '../sources';
import { closedPort } from '../testing/fixtures';
import { ruleTestConfig } from '../testing/ruleEngine';
import { batchExpression, BATCH_LABEL, runBatch, splitBatch } from './promBatch';

jest.setTimeout(60_000);

const STEP = 15_000;
const now = Math.floor(Date.now() / STEP) * STEP;
const times = Array.from({ length: 30 }, (_, i) => now - (29 - i) * STEP);

let prom: PrometheusHandle;
let src: Source;

function source(url: string): Source {
  return createSource(ruleTestConfig({ datasources: [{ name: 'prom', type: 'prometheus', url }] }).datasources[0]);
}

beforeAll(async () => {
  prom = await startPrometheus({ remoteWrite: true });
  await remoteWrite(
    prom.url,
    ['a', 'b', 'c'].map((instance, k) => ({
      labels: { __name__: 'vigil_batch_it', instance, job: 'node' },
      samples: times.map((timestamp, i) => ({ timestamp, value: k * 100 + i })),
    }))
  );
  src = source(prom.url);
});
afterAll(() => prom?.stop());

describe('batchExpression / splitBatch', () => {
  it('tags each query with its index and splits the answer back, label removed', () => {
    expect(batchExpression(['up', 'x # c'])).toBe(
      `label_replace(\nup\n, "${BATCH_LABEL}", "0", "", "") or label_replace(\nx # c\n, "${BATCH_LABEL}", "1", "", "")`
    );
    expect(
      splitBatch(
        [
          { labels: { a: '1', [BATCH_LABEL]: '1' }, points: [[1, 2]] },
          { labels: { [BATCH_LABEL]: '0' }, points: [[1, 3]] },
          { labels: { [BATCH_LABEL]: '7' }, points: [[1, 4]] },
        ],
        2
      )
    ).toEqual([[{ labels: {}, points: [[1, 3]] }], [{ labels: { a: '1' }, points: [[1, 2]] }]]);
  });
});

describe('runBatch against Prometheus', () => {
  const queries = [
    'vigil_batch_it',
    'vigil_batch_it{instance="b"} * 2 # doubled',
    'sum by (job) (rate(vigil_batch_it[1m]))',
    'vigil_batch_it > 1000',
    'vector(5)',
  ];
  const sortSeries = (s: Array<{ labels: Record<string, string> }>) =>
    [...s].sort((x, y) => JSON.stringify(x.labels).localeCompare(JSON.stringify(y.labels)));

  it('answers each query of one request exactly as it is answered alone', async () => {
    const at = times[20] + 3_000;
    let requests = 0;
    const answers = await runBatch(src, queries, at, {}, new Set(), () => requests++);
    expect(requests).toBe(1);
    for (let i = 0; i < queries.length; i++) {
      const alone = await src.queryInstant(queries[i], at);
      const a = answers[i];
      expect(a.ok && sortSeries(a.series)).toEqual(sortSeries(alone));
    }
    expect(answers[0].ok && answers[0].series).toHaveLength(3);
    expect(answers[3].ok && answers[3].series).toEqual([]);
  });

  it('falls back to one request per query when Prometheus refuses the batch, and remembers the culprit', async () => {
    const solo = new Set<string>();
    let requests = 0;
    const mixed = [
      'vigil_batch_it{instance="a"}',
      'scalar(vigil_batch_it{instance="c"})',
      'rate(vigil_batch_it[',
      'vigil_batch_it[1m]',
    ];
    const answers = await runBatch(src, mixed, times[25], {}, solo, () => requests++);
    expect(requests).toBe(1 + mixed.length);
    expect(answers[0]).toEqual({
      ok: true,
      series: [{ labels: { __name__: 'vigil_batch_it', instance: 'a', job: 'node' }, points: [[times[25], 25]] }],
    });
    expect(answers[1]).toEqual({ ok: true, series: [{ labels: {}, points: [[times[25], 225]] }] });
    const errors = answers.slice(2).map((a) => (!a.ok && isVigilError(a.error) ? a.error.code : 'ok'));
    expect(errors).toEqual(['bad_query', 'bad_query']);
    expect([...solo].sort()).toEqual(['rate(vigil_batch_it[', 'vigil_batch_it[1m]']);
  });

  it('fails every query of the batch with one request when Prometheus is unreachable', async () => {
    const down = source(`http://127.0.0.1:${await closedPort()}`);
    let requests = 0;
    const answers = await runBatch(down, queries, now, {}, new Set(), () => requests++);
    expect(requests).toBe(1);
    expect(answers.map((a) => !a.ok && isVigilError(a.error) && a.error.code)).toEqual(
      queries.map(() => 'datasource_unreachable')
    );
  });
});
