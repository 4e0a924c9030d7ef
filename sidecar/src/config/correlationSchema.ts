import { z } from 'zod';
import type { CorrelationConfig, Topology } from '@vigil/core';
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
     * Opt-in for now: with it on, bench:notify's 10k-alert storm takes about twice as long (each batch
     * still does work over the whole window). Off: every alert is routed on its own, with
     * Alertmanager's grouping.
     */
    enabled: z.boolean().default(false),
    window: durationText.default('5m'),
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
  .prefault({});

/** The parsed section. */
export type RawCorrelationConfig = z.infer<typeof correlationSchema>;

/** The resolved section: core settings, the inline topology, and the topology file to watch. */
export interface CorrelationSettings {
  enabled: boolean;
  config: CorrelationConfig;
  /** The inline topology (the file's, if any, is merged in by the service that watches it). */
  topology: Topology;
  topologyFile?: string;
}
