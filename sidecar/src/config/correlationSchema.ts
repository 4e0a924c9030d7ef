import { z } from 'zod';
import { parseDuration, type CorrelationConfig, type Topology } from '@vigil/core';
import { durationText } from './notifySchema';

/**
 * The `correlation` section (issue 11): the guide's AlertCorrelationEngine settings and the service
 * topology. The topology is given inline (`topology.dependsOn`) and/or in a YAML file
 * (`topology.file`, the same `dependsOn` map, reloaded on change); alerts may add edges with their
 * `dependsOnLabel` label.
 */
const name = z.string().min(1, 'must not be empty');

export const correlationSchema = z
  .strictObject({
    /**
     * Opt-in for now: with it on, bench:notify's 10k-alert storm still costs about half again the CPU
     * (an incident alert row, a timeline row and a decision per alert, an incident row per incident
     * and batch) and takes about 40% longer (README, 2026-12-07); the goal for turning it on by default
     * is within ~15%. Off: every alert is routed on its own, with Alertmanager's grouping.
     */
    enabled: z.boolean().default(false),
    window: durationText.default('5m'),
    /**
     * An incident's alerts keep firing this long after they resolve (Prometheus' `keep_firing_for`):
     * a flapping alert continues its incident's page instead of resolving and paging again. Resolve
     * notifications come this much later. At most `window` (an incident reopens within the window).
     */
    keepFiringFor: durationText.default('0s'),
    serviceLabel: name.default('service'),
    dependsOnLabel: name.default('depends_on'),
    symptomGroups: z.array(z.strictObject({ name, members: z.array(name).min(2, 'at least two members') })).default([]),
    suppress: z
      .strictObject({ lowerSeverity: z.boolean().default(true), downstream: z.boolean().default(true) })
      .prefault({}),
    topology: z
      .strictObject({
        /** service → the services it depends on (calls). */
        dependsOn: z.record(name, z.array(name)).default({}),
        /** A YAML file holding `dependsOn:` (merged with the inline map; reloaded on change). */
        file: name.optional(),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    if (parseDuration(c.keepFiringFor) > parseDuration(c.window)) {
      ctx.addIssue({
        code: 'custom',
        path: ['keepFiringFor'],
        message: `must not exceed window (${c.window}): an incident reopens only within its window`,
      });
    }
  })
  .prefault({});

/** The parsed section. */
export type RawCorrelationConfig = z.infer<typeof correlationSchema>;

/** The resolved section: core settings, the inline topology, and the topology file to watch. */
export interface CorrelationSettings {
  enabled: boolean;
  config: CorrelationConfig;
  /** `keepFiringFor` in ms (0: off). */
  keepFiringForMs: number;
  /** The inline topology (the file's, if any, is merged in by the service that watches it). */
  topology: Topology;
  topologyFile?: string;
}
