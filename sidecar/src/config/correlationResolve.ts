import { parseDuration } from '@vigil/core';
import type { CorrelationSettings, RawCorrelationConfig } from './correlationSchema';

/** Resolves the `correlation` section: the window in ms, core's setting names. */
export function resolveCorrelation(raw: RawCorrelationConfig): CorrelationSettings {
  return {
    enabled: raw.enabled,
    config: {
      windowMs: parseDuration(raw.window),
      serviceLabel: raw.serviceLabel,
      dependsOnLabel: raw.dependsOnLabel,
      symptomGroups: raw.symptomGroups,
      suppressLowerSeverity: raw.suppress.lowerSeverity,
      suppressDownstream: raw.suppress.downstream,
    },
    keepFiringForMs: parseDuration(raw.keepFiringFor),
    topology: { dependsOn: raw.topology.dependsOn },
    topologyFile: raw.topology.file,
  };
}
