import { defaultRouteTree } from '@vigil/core';
import type { RawNotifyConfig, NotifyConfig } from './notifySchema';

/**
 * Resolves the `notify` section: reads secrets (inline, `…File`, `…Env`), parses matchers and
 * durations, builds the default tree when none is given, and checks that every receiver and time
 * interval named exists. Throws a ConfigError naming the key.
 * TODO(issue 9 helper): full implementation.
 */
export function resolveNotify(raw: RawNotifyConfig, _env: Record<string, string | undefined>): NotifyConfig {
  return {
    externalURL: raw.externalURL,
    channels: [],
    route: defaultRouteTree({}),
    inhibitRules: [],
    timeIntervals: {},
    delivery: { maxAgeMs: 3_600_000, timeoutMs: 10_000 },
  };
}
