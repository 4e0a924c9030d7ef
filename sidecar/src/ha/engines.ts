/**
 * The leader-only engines behind handles that outlive leadership changes (issue 14). The API, the
 * rule files watcher and the SLO service hold one handle; behind it a rule engine is rebuilt at every
 * change — scheduled on the leader, loaded but idle on a standby — so a new leader starts from what
 * the store holds (alert states, Pending starts, statuses), never from a standby's stale memory.
 * Detectors run only on the leader and load their series state from the store when they start.
 */
import type { DetectionService } from '../detection/service';
import type { RuleEngineService } from '../rules/service';

/** A rule engine handle whose engine is replaced on leadership changes. */
export interface SwitchedRules extends RuleEngineService {
  /** Replaces the engine with a scheduled one (leading) or an idle one, stopping the old one at once. */
  lead(leading: boolean): Promise<void>;
}

/** Wraps `create(schedule)`: starts with `leading`'s engine. */
export function switchedRules(create: (schedule: boolean) => RuleEngineService, leading: boolean): SwitchedRules {
  let current = create(leading);
  let role = leading;
  let stopped = false;
  return {
    get ready() {
      return current.ready;
    },
    get ruleCount() {
      return current.ruleCount;
    },
    evaluateDue: (at) => current.evaluateDue(at),
    preview: (body, from, to) => current.preview(body, from, to),
    status: (id) => current.status(id),
    reload: () => current.reload(),
    async stop(graceMs) {
      stopped = true;
      await current.stop(graceMs);
    },
    async lead(next) {
      if (stopped || next === role) {
        return;
      }
      const old = current;
      role = next;
      // Stopped first: a deposed leader's evaluations are aborted (their commits are fenced anyway).
      await old.stop(0);
      if (!stopped) {
        current = create(next);
        await current.ready.catch(() => undefined);
      }
    },
  };
}

/**
 * A detection handle: the detectors run while leading; a standby reports them as `idle()` says (the
 * configured detectors, not running here), so the API lists the same detectors on every replica.
 */
export interface SwitchedDetection extends DetectionService {
  lead(leading: boolean): Promise<void>;
}

/** Wraps `create()`, started now when `leading`. */
export function switchedDetection(
  create: () => DetectionService,
  leading: boolean,
  idle: () => ReturnType<DetectionService['status']> = () => []
): SwitchedDetection {
  let current: DetectionService | undefined = leading ? create() : undefined;
  let stopped = false;
  return {
    status: () => current?.status() ?? idle(),
    async stop(graceMs) {
      stopped = true;
      await current?.stop(graceMs);
    },
    async lead(next) {
      if (stopped || next === (current !== undefined)) {
        return;
      }
      const old = current;
      current = undefined;
      // A deposed leader's final state save is refused by the fence: the next leader's state wins.
      await old?.stop(0);
      if (next && !stopped) {
        current = create();
      }
    },
  };
}
