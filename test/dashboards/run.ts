// Runs a prepared query on the real server standing in for its datasource and turns the answer into
// data frames as Grafana's Prometheus and InfluxDB datasources shape them (host/testdata's format).
import type { LiveDatasources, PreparedQuery } from './query';
import { type Range, renderLegend } from './grafana';

/** A data frame as host/testdata fixtures hold it. */
export interface Frame {
  name?: string;
  refId: string;
  fields: Array<{
    name: string;
    type: 'time' | 'number' | 'string';
    values: unknown[];
    labels?: Record<string, string>;
    config?: Record<string, unknown>;
  }>;
}

/** GET a JSON API (Prometheus' envelope: `status`, `error`, `data`); throws on an HTTP or API error. */
export async function getJson(url: string): Promise<{ status?: string; error?: string; data?: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  const body = (await res.json().catch(() => ({}))) as { status?: string; error?: string; data?: unknown };
  if (!res.ok || (body.status && body.status !== 'success')) {
    throw new Error(`HTTP ${res.status} ${body.error ?? ''}`.trim());
  }
  return body;
}

const num = (v: unknown): number | null => {
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

type PromSeries = { metric: Record<string, string>; values?: Array<[number, string]>; value?: [number, string] };

/** Prometheus' answer as Grafana's frames: one per series, or one table frame for format "table". */
function promFrames(q: PreparedQuery, series: PromSeries[]): Frame[] {
  if (q.format === 'table') {
    const labels = [...new Set(series.flatMap((s) => Object.keys(s.metric)))].filter((l) => l !== '__name__').sort();
    const rows = series.flatMap((s) => (s.values ?? [s.value!]).map((v) => ({ s, v })));
    return [
      {
        refId: q.refId,
        name: q.refId,
        fields: [
          { name: 'Time', type: 'time', values: rows.map(({ v }) => Math.round(v[0] * 1000)) },
          ...labels.map((l) => ({ name: l, type: 'string' as const, values: rows.map(({ s }) => s.metric[l] ?? '') })),
          { name: 'Value', type: 'number', values: rows.map(({ v }) => num(v[1])) },
        ],
      },
    ];
  }
  return series.map((s) => {
    const points = s.values ?? [s.value!];
    const name = renderLegend(q.legend, s.metric);
    return {
      refId: q.refId,
      name,
      fields: [
        { name: 'Time', type: 'time', values: points.map(([t]) => Math.round(t * 1000)) },
        {
          name: 'Value',
          type: 'number',
          values: points.map(([, v]) => num(v)),
          labels: s.metric,
          config: { displayNameFromDS: name },
        },
      ],
    };
  });
}

type InfluxSeries = { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] };

/** InfluxQL's answer as Grafana's frames: one per series and value column, named by the alias. */
function influxFrames(q: PreparedQuery, series: InfluxSeries[]): Frame[] {
  return series.flatMap((s) =>
    s.columns.slice(1).map((col, i) => {
      const name = (q.legend ?? `${s.name}.${col}`)
        .replace(/\$tag_(\w+)/g, (_m, k: string) => s.tags?.[k] ?? '')
        .replace(/\$col/g, col)
        .replace(/\$m/g, s.name);
      return {
        refId: q.refId,
        name,
        fields: [
          { name: 'Time', type: 'time' as const, values: s.values.map((r) => Number(r[0])) },
          {
            name: 'Value',
            type: 'number' as const,
            values: s.values.map((r) => num(r[i + 1])),
            labels: s.tags,
            config: { displayNameFromDS: name },
          },
        ],
      };
    })
  );
}

/** Runs one prepared query on its real server; throws with the server's message when it refuses. */
export async function runQuery(q: PreparedQuery, ds: LiveDatasources, range: Range): Promise<Frame[]> {
  const base = ds.urls[q.dsUid];
  if (!base) {
    throw new Error(`no server stands in for datasource ${q.dsUid}`);
  }
  try {
    if (q.dsType === 'prometheus') {
      const end = range.toMs / 1000;
      const params = q.instant
        ? new URLSearchParams({ query: q.text, time: String(end) })
        : new URLSearchParams({
            query: q.text,
            start: String(range.fromMs / 1000),
            end: String(end),
            step: String(q.stepS),
          });
      const body = await getJson(`${base}/api/v1/${q.instant ? 'query' : 'query_range'}?${params}`);
      const data = body.data as { resultType: string; result: unknown };
      const result =
        data.resultType === 'scalar' ? [{ metric: {}, value: data.result as [number, string] }] : data.result;
      return promFrames(q, result as PromSeries[]);
    }
    if (q.dsType === 'influxdb') {
      const db = ds.provisioned.get(q.dsUid)?.jsonData?.dbName ?? '';
      const params = new URLSearchParams({ q: q.text, db, epoch: 'ms' });
      const res = await fetch(`${base}/query?${params}`, { signal: AbortSignal.timeout(15_000) });
      const body = (await res.json()) as {
        error?: string;
        results?: Array<{ error?: string; series?: InfluxSeries[] }>;
      };
      const error = body.error ?? body.results?.find((r) => r.error)?.error;
      if (!res.ok || error) {
        throw new Error(error ?? `HTTP ${res.status}`);
      }
      return influxFrames(q, body.results?.flatMap((r) => r.series ?? []) ?? []);
    }
    throw new Error(`datasource type ${q.dsType} is not supported by the dashboard test`);
  } catch (err) {
    throw new Error(
      `${q.dsType} query of panel ${q.panelId} "${q.panelTitle}" ${q.refId} (${q.text}): ${(err as Error).message}`
    );
  }
}

/** True when the frames hold at least one number (a table: at least one row). */
export function hasData(frames: Frame[]): boolean {
  return frames.some((f) => f.fields.some((x) => x.type === 'number' && x.values.some((v) => v !== null)));
}
