import { resolveDetectorOptions } from '@vigil/core';
import { Router } from 'express';
import { z } from 'zod';
import { detectorOptionsSchema } from '../config/detectorSchema';
import { parseDuration } from '../config/duration';
import { detectSeries, fromSources } from '../detection/adhoc';
import { queryRangeChunked } from '../detection/query';
import { badRequest } from '../errors';
import type { Source } from '../sources';

/** Most points one request may judge in total (series × points), and most series. */
export const MAX_DETECT_POINTS = 100_000;
export const MAX_DETECT_SERIES = 100;

const time = z.union([
  z.number().int(),
  z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected epoch milliseconds or an ISO 8601 time'),
]);
const toMs = (t: number | string) => (typeof t === 'number' ? t : Date.parse(t));

const seriesBody = z.strictObject({
  series: z
    .array(
      z.strictObject({
        labels: z.record(z.string(), z.string()).default({}),
        points: z.array(z.tuple([z.number().int(), z.number().nullable()])).min(1),
      })
    )
    .min(1)
    .max(MAX_DETECT_SERIES),
  options: detectorOptionsSchema.optional(),
});

const queryBody = z.strictObject({
  datasource: z.string().min(1),
  query: z.string().min(1),
  from: time,
  to: time,
  /** Seconds (as Prometheus' query_range), or a duration such as "30s". */
  step: z.union([
    z.number().positive(),
    z.string().refine((s) => parseDuration(s) !== null, 'expected seconds or a duration such as "30s"'),
  ]),
  options: detectorOptionsSchema.optional(),
});

function issues(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message.replace(/^Invalid input: /, '')}`)
    .join('; ');
}

function options(o: z.infer<typeof detectorOptionsSchema> | undefined) {
  try {
    return resolveDetectorOptions(o ?? {});
  } catch (err) {
    throw badRequest(`options: ${(err as Error).message}`);
  }
}

/**
 * `POST /api/v1/detect`: runs the detector on demand, for the overlay panel and ad-hoc use. Body:
 * either `{ series: [{ labels?, points: [[tsMs, value|null], ...] }], options? }` or
 * `{ datasource, query, from, to, step, options? }`. Answers per series per point the expected band,
 * score and verdict, plus the anomalous points explained. Bounded by {@link MAX_DETECT_POINTS}.
 */
export function detectRouter(sources: readonly Source[]): Router {
  const router = Router();
  router.post('/api/v1/detect', async (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('body: expected a JSON object with "series" or "datasource"');
    }
    if ('series' in body) {
      const parsed = seriesBody.safeParse(body);
      if (!parsed.success) {
        throw badRequest(issues(parsed.error));
      }
      const total = parsed.data.series.reduce((n, s) => n + s.points.length, 0);
      if (total > MAX_DETECT_POINTS) {
        throw badRequest(`series: ${total} points in total, at most ${MAX_DETECT_POINTS}`);
      }
      parsed.data.series.forEach((s, i) => {
        const bad = s.points.findIndex((p, j) => j > 0 && p[0] <= s.points[j - 1][0]);
        if (bad > 0) {
          throw badRequest(`series.${i}.points.${bad}: timestamps must increase`);
        }
      });
      res.json(detectSeries(parsed.data.series, options(parsed.data.options)));
      return;
    }
    const parsed = queryBody.safeParse(body);
    if (!parsed.success) {
      throw badRequest(issues(parsed.error));
    }
    const q = parsed.data;
    const source = sources.find((s) => s.name === q.datasource);
    if (!source) {
      throw badRequest(
        `datasource: unknown datasource "${q.datasource.slice(0, 64)}" (configured: ${sources.map((s) => s.name).join(', ') || 'none'})`
      );
    }
    const stepMs = typeof q.step === 'number' ? Math.round(q.step * 1000) : (parseDuration(q.step) as number);
    if (stepMs < 1) {
      throw badRequest('step: must be at least 1 ms');
    }
    const from = toMs(q.from);
    const to = toMs(q.to);
    if (from > to) {
      throw badRequest('from: must not be after to');
    }
    const perSeries = Math.floor((to - from) / stepMs) + 1;
    if (perSeries > MAX_DETECT_POINTS) {
      throw badRequest(`step: the range has ${perSeries} steps, at most ${MAX_DETECT_POINTS}; use a larger step`);
    }
    const opts = options(q.options);
    const series = await queryRangeChunked(source, q.query, from, to, stepMs);
    if (series.length > MAX_DETECT_SERIES) {
      throw badRequest(`query: returned ${series.length} series, at most ${MAX_DETECT_SERIES}`);
    }
    const total = series.reduce((n, s) => n + s.points.length, 0);
    if (total > MAX_DETECT_POINTS) {
      throw badRequest(`query: ${total} points in total, at most ${MAX_DETECT_POINTS}`);
    }
    res.json(detectSeries(fromSources(series), opts));
  });
  return router;
}
