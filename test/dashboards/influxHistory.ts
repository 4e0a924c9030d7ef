// The demo workload's past InfluxDB points (what its InfluxDB output would have written over the last
// hours), so InfluxQL panels have history too, not only the points written since the test started.
import { InfluxAggregator } from '../../demo/workload/influx';
import { type Incident, type IncidentSpec, parseIncidentSpec } from '../../demo/workload/incidents';
import { Model } from '../../demo/workload/model';
import { createRng } from '../../demo/workload/rng';
import { writeInfluxLines } from '../harness';

/** Writes `hours` of points ending before `endMs`, one flush per `stepSeconds`, with past incidents. */
export async function writeInfluxHistory(opts: {
  url: string;
  db: string;
  endMs: number;
  hours: number;
  stepSeconds?: number;
  seed?: number;
  incidents?: Array<IncidentSpec & { minutesAgo: number }>;
}): Promise<number> {
  const step = opts.stepSeconds ?? 10;
  const startMs = opts.endMs - opts.hours * 3_600_000;
  const model = new Model(createRng(opts.seed ?? 11), { realStartMs: startMs });
  const incidents: Incident[] = (opts.incidents ?? []).map(({ minutesAgo, ...spec }, i) => {
    const valid = parseIncidentSpec(spec);
    const startedAt = opts.endMs - minutesAgo * 60_000;
    return {
      ...valid,
      id: `past-${i + 1}`,
      source: 'schedule',
      startedAt,
      endsAt: startedAt + valid.durationSeconds * 1000,
    };
  });
  const agg = new InfluxAggregator();
  const lines: string[] = [];
  for (let ts = startMs + step * 1000; ts <= opts.endMs - step * 1000; ts += step * 1000) {
    agg.record(model.step(step, ts, incidents));
    lines.push(...agg.drain(ts));
  }
  for (let i = 0; i < lines.length; i += 5000) {
    await writeInfluxLines(opts.url, opts.db, lines.slice(i, i + 5000), 'ms');
  }
  return lines.length;
}
