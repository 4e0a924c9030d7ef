/**
 * Leadership on `/metrics` (issue 14): `vigil_ha_leader` (0/1), `vigil_ha_term`,
 * `vigil_ha_lease_age_seconds` (since the lease was last renewed, by whoever holds it) and
 * `vigil_ha_leadership_changes_total`, read from {@link Leadership.status} at scrape time.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { HaStatus } from './leadership';

/** Registers the HA gauges on `registry`, reading `status()` at each scrape. */
export function registerHaMetrics(registry: Registry, status: () => HaStatus): void {
  const labels = ['replica'] as const;
  new Gauge({
    name: 'vigil_ha_leader',
    help: '1 while this replica holds the leader lease and evaluates, else 0.',
    labelNames: labels,
    registers: [registry],
    collect() {
      const s = status();
      this.reset();
      this.set({ replica: s.replicaId }, s.leader ? 1 : 0);
    },
  });
  new Gauge({
    name: 'vigil_ha_term',
    help: "The leader lease's fencing term as this replica last read it (+1 at every takeover).",
    labelNames: labels,
    registers: [registry],
    collect() {
      const s = status();
      this.reset();
      this.set({ replica: s.replicaId }, s.term);
    },
  });
  new Gauge({
    name: 'vigil_ha_lease_age_seconds',
    help: 'Seconds since the leader lease was last renewed, by whichever replica holds it.',
    labelNames: labels,
    registers: [registry],
    collect() {
      const s = status();
      this.reset();
      if (s.leaseAgeSeconds !== null) {
        this.set({ replica: s.replicaId }, s.leaseAgeSeconds);
      }
    },
  });
  // Counted in Leadership; the counter catches up at each scrape.
  let seen = 0;
  new Counter({
    name: 'vigil_ha_leadership_changes_total',
    help: 'Times this replica started or stopped leading.',
    labelNames: labels,
    registers: [registry],
    collect() {
      const s = status();
      this.inc({ replica: s.replicaId }, Math.max(0, s.changes - seen));
      seen = Math.max(seen, s.changes);
    },
  });
}
