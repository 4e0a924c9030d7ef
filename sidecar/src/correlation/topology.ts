/**
 * The service topology correlation uses: the config's inline `dependsOn` map merged with the YAML file
 * `correlation.topology.file` (the same `dependsOn:` map), which is re-read when its modification time
 * changes — an edited topology applies to the next batch without a restart. A file that cannot be read
 * or parsed keeps the last good topology and is logged once per change.
 */
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import type { Topology } from '@vigil/core';
import type { CorrelationSettings } from '../config/correlationSchema';

/** Merges two topologies (union of each service's dependencies). */
export function mergeTopology(a: Topology, b: Topology): Topology {
  const out: Record<string, string[]> = {};
  for (const t of [a, b]) {
    for (const [svc, deps] of Object.entries(t.dependsOn)) {
      out[svc] = [...new Set([...(out[svc] ?? []), ...deps])];
    }
  }
  return { dependsOn: out };
}

/** Parses a topology file's text: `dependsOn: { service: [dependency, …] }`; throws naming what is wrong. */
export function parseTopologyFile(text: string): Topology {
  const doc = parse(text) as unknown;
  const map = (doc as { dependsOn?: unknown } | null)?.dependsOn;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new Error('expected a mapping "dependsOn: { service: [dependency, ...] }"');
  }
  const dependsOn: Record<string, string[]> = {};
  for (const [svc, deps] of Object.entries(map)) {
    if (!Array.isArray(deps) || !deps.every((d) => typeof d === 'string' && d !== '')) {
      throw new Error(`dependsOn.${svc}: expected a list of service names`);
    }
    dependsOn[svc] = deps as string[];
  }
  return { dependsOn };
}

/** Returns the current topology; cheap to call per batch (one stat of the file). */
export function topologySource(
  settings: CorrelationSettings,
  warn: (msg: string, fields: Record<string, unknown>) => void
): () => Topology {
  let current = settings.topology;
  let seen: number | undefined;
  return () => {
    const file = settings.topologyFile;
    if (!file) {
      return current;
    }
    let mtime: number;
    try {
      mtime = statSync(file).mtimeMs;
    } catch (err) {
      if (seen !== -1) {
        seen = -1;
        warn('correlation topology file unreadable; keeping the last topology', { file, err: (err as Error).message });
      }
      return current;
    }
    if (mtime !== seen) {
      seen = mtime;
      try {
        current = mergeTopology(settings.topology, parseTopologyFile(readFileSync(file, 'utf8')));
      } catch (err) {
        warn('correlation topology file invalid; keeping the last topology', { file, err: (err as Error).message });
      }
    }
    return current;
  };
}
