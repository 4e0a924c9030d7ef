/**
 * Replays a scenario in compressed time into every side at once: each alert episode becomes a firing
 * update at its start and a resolving update at its end; updates due at the same moment go out as one
 * batch, to every side concurrently, at the same wall-clock time. One scenario minute lasts
 * `msPerMinute` ms on both sides, and so do the timers (group_wait, group_interval, the correlation
 * window): the replay keeps every ratio of the real incident.
 */
import type { Episode, Scenario } from './scenarios';

/** An alert update as both sides take it (Alertmanager's fields; `status` for the webhook body). */
export interface AlertUpdate {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339, wall clock. */
  startsAt: string;
  /** RFC 3339, set when resolving. */
  endsAt?: string;
}

/** A side's way in: sends one batch of updates; throws on a refused POST. */
export type PostBatch = (batch: AlertUpdate[]) => Promise<void>;

/** The labels of an episode's alert; the same on every update of it and on both sides. */
export function episodeLabels(e: Episode): Record<string, string> {
  return {
    alertname: e.alertname,
    service: e.service,
    severity: e.severity,
    cluster: 'prod',
    instance: e.instance,
  };
}

/** Timed updates of a scenario, oldest first: `at` in scenario minutes. */
export function updatesOf(s: Scenario): Array<{ at: number; status: 'firing' | 'resolved'; episode: Episode }> {
  const out = s.episodes.flatMap((episode) => [
    { at: episode.startsAt, status: 'firing' as const, episode },
    { at: episode.endsAt, status: 'resolved' as const, episode },
  ]);
  // Resolves before fires at the same moment: a flapping alert clears before it fires again.
  return out.sort((a, b) => a.at - b.at || (a.status === b.status ? 0 : a.status === 'resolved' ? -1 : 1));
}

/** What a replay did: when it started (wall clock of minute 0) and when it sent its last batch. */
export interface ReplayTimes {
  t0: number;
  lastSentAt: number;
  batches: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Replays `s` into every side: minute m is sent at t0 + m × msPerMinute. A side that refuses a batch
 * fails the run (a lost alert would make its figures meaningless).
 */
export async function replay(
  s: Scenario,
  sides: readonly PostBatch[],
  msPerMinute: number,
  /** Called before a batch goes out (e.g. to look at the incidents just before the first resolve). */
  beforeBatch?: (batch: readonly AlertUpdate[]) => Promise<void>
): Promise<ReplayTimes> {
  const updates = updatesOf(s);
  const t0 = Date.now() + 200;
  const wall = (minute: number) => t0 + Math.round(minute * msPerMinute);
  let batches = 0;
  for (let i = 0; i < updates.length;) {
    const at = updates[i].at;
    const batch: AlertUpdate[] = [];
    for (; i < updates.length && updates[i].at === at; i++) {
      const u = updates[i];
      batch.push({
        status: u.status,
        labels: episodeLabels(u.episode),
        annotations: { summary: u.episode.summary },
        startsAt: new Date(wall(u.episode.startsAt)).toISOString(),
        ...(u.status === 'resolved' ? { endsAt: new Date(wall(u.episode.endsAt)).toISOString() } : {}),
      });
    }
    await sleep(wall(at) - Date.now());
    await beforeBatch?.(batch);
    await Promise.all(sides.map((post) => post(batch)));
    batches++;
  }
  return { t0, lastSentAt: Date.now(), batches };
}
