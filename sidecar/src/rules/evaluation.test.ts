import type { RuleSpec } from '@vigil/core';
import { evaluationAt, labelsKey, samplesAt } from './evaluation';
import { gridKey, lastRuleTime, ruleOffset, ruleTimesBetween } from './grid';
import { buildProfiles, historyRange, HOUR_MS, profileContext, profileHour, profileStepMs } from './profiles';

const rule = (over: Partial<RuleSpec> = {}): RuleSpec => ({
  id: 'r',
  name: 'R',
  description: '',
  severity: 'warning',
  datasource: 'prom',
  query: 'up',
  condition: { kind: 'threshold', op: '>', threshold: 1 },
  intervalMs: 60_000,
  forMs: 0,
  keepFiringForMs: 0,
  noDataState: 'NoData',
  execErrState: 'Error',
  missingSeriesEvalsToResolve: 2,
  labels: {},
  annotations: {},
  actions: [],
  enabled: true,
  ...over,
});

describe('samplesAt', () => {
  it('takes each series’ point at exactly the time, skipping series without one', () => {
    const points: Array<[number, number]> = Array.from({ length: 1000 }, (_, i) => [i * 10, i]);
    const series = [
      { labels: { a: '1' }, points },
      { labels: { a: '2' }, points: [[5, 7]] as Array<[number, number]> },
    ];
    expect(samplesAt(series, 9990)).toEqual([{ labels: { a: '1' }, value: 999 }]);
    expect(samplesAt(series, 5)).toEqual([{ labels: { a: '2' }, value: 7 }]);
    expect(samplesAt(series, 0)).toEqual([{ labels: { a: '1' }, value: 0 }]);
    expect(samplesAt(series, 11)).toEqual([]);
  });
});

describe('evaluationAt', () => {
  it('turns a query error or too many series into an error result, else applies the condition', () => {
    const r = rule();
    expect(evaluationAt(r, 5, { ok: false, message: 'boom' }, {}, 10)).toEqual({
      kind: 'error',
      at: 5,
      message: 'boom',
    });
    const samples = [
      { labels: { s: 'a' }, value: 2 },
      { labels: { s: 'b' }, value: 0 },
    ];
    expect(evaluationAt(r, 5, { ok: true, samples }, {}, 1)).toEqual({
      kind: 'error',
      at: 5,
      message: 'rule "r": query returned 2 series, more than maxSeriesPerRule (1)',
    });
    expect(evaluationAt(r, 5, { ok: true, samples }, {}, 2)).toEqual({
      kind: 'ok',
      at: 5,
      samples: [
        { labels: { s: 'a' }, value: 2, active: true, threshold: 1 },
        { labels: { s: 'b' }, value: 0, active: false, threshold: 1 },
      ],
    });
  });
});

describe('grid', () => {
  it('puts rules with the same datasource, query and interval on the same instants', () => {
    const a = rule({ id: 'warn' });
    const b = rule({ id: 'crit', condition: { kind: 'threshold', op: '>', threshold: 5 } });
    const c = rule({ id: 'other', query: 'up == 0' });
    expect(gridKey(a)).toBe(gridKey(b));
    expect(ruleOffset(a)).toBe(ruleOffset(b));
    expect(ruleOffset(a)).not.toBe(ruleOffset(c));
    const times = ruleTimesBetween(a, 1_000_000, 1_200_000);
    expect(times.every((t) => (t - ruleOffset(a)) % 60_000 === 0)).toBe(true);
    expect(lastRuleTime(a, times[1] + 59_999)).toBe(times[1]);
    expect(gridKey(rule({ condition: { kind: 'anomaly', detector: 'lat', minConfidence: 0.5 } }))).toBe(
      'anomaly\u0000lat'
    );
  });
});

describe('profiles', () => {
  it('asks for history on one epoch-aligned grid of at most ~2100 points', () => {
    expect(profileStepMs(7)).toBe(300_000);
    expect(profileStepMs(30)).toBe(1_500_000);
    const h = profileHour(Date.UTC(2026, 0, 8, 13, 42));
    expect(h).toBe(Date.UTC(2026, 0, 8, 13));
    const live = historyRange(7, h, h);
    expect(live).toEqual({ start: h - 7 * 86_400_000, end: h - 300_000, stepMs: 300_000 });
    const preview = historyRange(30, h - 5 * HOUR_MS, h);
    expect(preview.start % preview.stepMs).toBe(0);
    expect(preview.end).toBeLessThan(h);
    expect((historyRange(30, h, h).end - historyRange(30, h, h).start) / 1_500_000 + 1).toBeLessThanOrEqual(2100);
  });

  it("builds one hour's profiles per label set and looks samples up by labels", () => {
    const hour = Date.UTC(2026, 0, 8, 0);
    const pts: Array<[number, number]> = Array.from({ length: 2016 }, (_, i) => [hour - (2016 - i) * 300_000, 10]);
    const set = buildProfiles(
      { kind: 'adaptive', op: '>', threshold: 5 },
      [{ labels: { b: '2', a: '1' }, points: pts }],
      hour
    );
    const ctx = profileContext(set);
    expect(ctx.adaptiveProfile?.({ a: '1', b: '2' })).toMatchObject({ samples: 2016, mean: 10, at: hour });
    expect(ctx.adaptiveProfile?.({ a: '1' })).toBeUndefined();
    expect(labelsKey({ b: '2', a: '1' })).toBe(labelsKey({ a: '1', b: '2' }));
    expect(profileContext(undefined)).toEqual({});
  });
});
