/**
 * History for adaptive and baseline conditions. A profile is built per series from a range query over
 * the `baselineDays` before the start of the hour, so it changes at most hourly, and live evaluation
 * and the backtest build the profile of a given hour from the same points (range queries on one
 * epoch-aligned step grid return the same values at the same timestamps) with the same code below.
 */
import {
  ADAPTIVE_DEFAULTS,
  buildAdaptiveProfile,
  buildHourlyBaseline,
  type AdaptiveCondition,
  type AdaptiveProfile,
  type BaselineCondition,
  type ConditionContext,
  type HourlyBaseline,
  type RuleSpec,
} from '@vigil/core';
import type { CallOptions, Series, Source } from '../sources';
import { labelsKey } from './evaluation';
import type { Pool } from './queryBatch';

/** One hour. */
export const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Preferred step of the history query. */
export const PROFILE_STEP_MS = 5 * 60_000;
/** Points per series a history query may return (7 days at 5 minutes is 2016). */
export const MAX_PROFILE_POINTS = 2100;

/** Conditions that need history. */
export type HistoryCondition = AdaptiveCondition | BaselineCondition;

/** True for conditions that need a profile. */
export function needsHistory(cond: RuleSpec['condition']): cond is HistoryCondition {
  return cond.kind === 'adaptive' || cond.kind === 'baseline';
}

/** Days of history a condition looks at. */
export function baselineDays(cond: HistoryCondition): number {
  return cond.baselineDays ?? ADAPTIVE_DEFAULTS.baselineDays;
}

/** The hour whose profile applies at `at` (profiles are rebuilt at the top of each hour). */
export function profileHour(at: number): number {
  return Math.floor(at / HOUR_MS) * HOUR_MS;
}

/** The history step: 5 minutes, widened (in 5 minute units) so `days` fit in {@link MAX_PROFILE_POINTS}. */
export function profileStepMs(days: number): number {
  const units = Math.ceil((days * DAY_MS) / MAX_PROFILE_POINTS / PROFILE_STEP_MS);
  return Math.max(1, units) * PROFILE_STEP_MS;
}

/**
 * The range of the history query for profiles of the hours `firstHour`…`lastHour`: from
 * `firstHour − days` to just before `lastHour`, on the epoch-aligned step grid (so every caller
 * asks Prometheus for the same timestamps).
 */
export function historyRange(days: number, firstHour: number, lastHour: number) {
  const stepMs = profileStepMs(days);
  const start = Math.ceil((firstHour - days * DAY_MS) / stepMs) * stepMs;
  const end = Math.ceil(lastHour / stepMs) * stepMs - stepMs;
  return { start, end, stepMs };
}

/** The profiles of every series of a rule for one hour, by label set. */
export interface ProfileSet {
  hour: number;
  adaptive: Map<string, AdaptiveProfile>;
  baseline: Map<string, HourlyBaseline>;
}

/** Builds the profiles of one hour from history series (points outside [hour − days, hour) are ignored). */
export function buildProfiles(cond: HistoryCondition, series: readonly Series[], hour: number): ProfileSet {
  const set: ProfileSet = { hour, adaptive: new Map(), baseline: new Map() };
  const days = baselineDays(cond);
  for (const s of series) {
    const key = labelsKey(s.labels);
    if (cond.kind === 'adaptive') {
      set.adaptive.set(key, buildAdaptiveProfile(s.points, { baselineDays: days, at: hour }));
    } else {
      set.baseline.set(key, buildHourlyBaseline(s.points, days, hour));
    }
  }
  return set;
}

/** The condition context that looks samples up in a profile set (none: every series lacks history). */
export function profileContext(set: ProfileSet | undefined): ConditionContext {
  if (!set) {
    return {};
  }
  return {
    adaptiveProfile: (labels) => set.adaptive.get(labelsKey(labels)),
    hourlyBaseline: (labels) => set.baseline.get(labelsKey(labels)),
  };
}

/** Fetches the history series of a rule for a range. */
export async function fetchHistory(
  source: Source,
  query: string,
  range: { start: number; end: number; stepMs: number },
  opts: CallOptions
): Promise<Series[]> {
  return source.queryRange(query, range.start, range.end, range.stepMs / 1000, opts);
}

interface CacheEntry {
  hour: number;
  set: Promise<ProfileSet>;
}

/**
 * Live evaluation's profiles: one entry per (datasource, query, condition kind, days), rebuilt when
 * the hour changes; identical rules share one history query. A failed build is not kept, so the
 * next evaluation tries again.
 */
export class ProfileCache {
  private readonly entries = new Map<string, CacheEntry>();

  /** `pool` runs the history queries (the engine's query pool, so they count against its limit). */
  constructor(private readonly pool?: Pool) {}

  private fetch(source: Source, query: string, range: ReturnType<typeof historyRange>, opts: CallOptions) {
    const run = () => fetchHistory(source, query, range, opts);
    return this.pool ? this.pool.run(run) : run();
  }

  /** The condition context of `rule` at `at`, building its profiles for that hour if needed. */
  async context(rule: RuleSpec, at: number, source: Source, opts: CallOptions): Promise<ConditionContext> {
    const cond = rule.condition;
    if (!needsHistory(cond)) {
      return {};
    }
    const days = baselineDays(cond);
    const hour = profileHour(at);
    const key = `${rule.datasource}\u0000${cond.kind}\u0000${days}\u0000${rule.query}`;
    let entry = this.entries.get(key);
    if (!entry || entry.hour < hour) {
      const range = historyRange(days, hour, hour);
      const set = this.fetch(source, rule.query, range, opts).then((series) => buildProfiles(cond, series, hour));
      const fresh: CacheEntry = { hour, set };
      entry = fresh;
      this.entries.set(key, fresh);
      set.catch(() => {
        if (this.entries.get(key) === fresh) {
          this.entries.delete(key);
        }
      });
    } else if (entry.hour > hour) {
      // An evaluation of an earlier hour (a late tick, a test stepping back): build it apart.
      const range = historyRange(days, hour, hour);
      return profileContext(buildProfiles(cond, await this.fetch(source, rule.query, range, opts), hour));
    }
    return profileContext(await entry.set);
  }

  /** Forgets profiles no rule uses any more (after a reload). */
  retain(rules: Iterable<RuleSpec>): void {
    const keep = new Set<string>();
    for (const r of rules) {
      if (needsHistory(r.condition)) {
        keep.add(`${r.datasource}\u0000${r.condition.kind}\u0000${baselineDays(r.condition)}\u0000${r.query}`);
      }
    }
    for (const k of this.entries.keys()) {
      if (!keep.has(k)) {
        this.entries.delete(k);
      }
    }
  }
}
