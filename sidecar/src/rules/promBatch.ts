/**
 * Batching of Prometheus instant queries: the distinct queries of one tick at one time go out as one
 * request, `label_replace(<q1>, "__vigil_q", "0", "", "") or label_replace(<q2>, "__vigil_q", "1", …)`,
 * and the answer is split back by that label (then dropped). `or` keeps every element of both sides
 * when their label sets differ, which the added label guarantees, and `label_replace` keeps metric
 * names and values, so each query gets exactly what it would have got alone; the HTTP and JSON cost
 * is paid once per batch instead of once per query. A batch Prometheus refuses (a scalar or range
 * vector result, duplicate series, a bad query) is retried one query at a time, so every query gets
 * its own answer or its own error; a batch that fails for the datasource (timeout, unreachable) fails
 * all its queries with that error rather than multiplying the load on a struggling server.
 */
import { isVigilError } from '../errors';
import type { CallOptions, Series, Source } from '../sources';

/** The label that tells the queries of a batch apart. */
export const BATCH_LABEL = '__vigil_q';
/** Most queries in one request (a long `or` chain is one evaluation: keep it short enough to time out alone). */
export const MAX_BATCH = 32;

/** The batched expression. Newlines keep a query's trailing `# comment` from swallowing the rest. */
export function batchExpression(queries: readonly string[]): string {
  return queries.map((q, i) => `label_replace(\n${q}\n, "${BATCH_LABEL}", "${i}", "", "")`).join(' or ');
}

/** Splits a batch's answer by query index, removing the batch label. */
export function splitBatch(series: readonly Series[], n: number): Series[][] {
  const out: Series[][] = Array.from({ length: n }, () => []);
  for (const s of series) {
    const { [BATCH_LABEL]: index, ...labels } = s.labels;
    const i = Number(index);
    if (Number.isInteger(i) && i >= 0 && i < n) {
      out[i].push({ labels, points: s.points });
    }
  }
  return out;
}

/** The answer of one query of a batch. */
export type BatchAnswer = { ok: true; series: Series[] } | { ok: false; error: unknown };

const badQuery = (err: unknown) => isVigilError(err) && err.code === 'bad_query';

/**
 * Runs `queries` at `at` in one request (see the module comment), falling back to one request per
 * query when Prometheus refuses the batch. `solo` remembers queries that broke a batch, so later
 * ticks send them alone from the start. Resolves with one answer per query; never rejects.
 */
export async function runBatch(
  source: Source,
  queries: readonly string[],
  at: number,
  opts: CallOptions,
  solo: Set<string>,
  onRequest: () => void = () => undefined
): Promise<BatchAnswer[]> {
  const one = async (q: string): Promise<BatchAnswer> => {
    onRequest();
    try {
      return { ok: true, series: await source.queryInstant(q, at, opts) };
    } catch (error) {
      return { ok: false, error };
    }
  };
  if (queries.length === 1) {
    return [await one(queries[0])];
  }
  try {
    onRequest();
    const series = await source.queryInstant(batchExpression(queries), at, opts);
    return splitBatch(series, queries.length).map((s) => ({ ok: true, series: s }));
  } catch (err) {
    if (!badQuery(err)) {
      return queries.map(() => ({ ok: false, error: err }));
    }
  }
  const answers = await Promise.all(queries.map(one));
  answers.forEach((a, i) => {
    if (!a.ok && badQuery(a.error)) {
      solo.add(queries[i]);
    }
  });
  // A batch that failed although each query works alone (a sample limit, say): send them alone.
  if (answers.every((a) => a.ok)) {
    queries.forEach((q) => solo.add(q));
  }
  return answers;
}
