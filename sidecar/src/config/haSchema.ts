import { z } from 'zod';

/**
 * The `ha` section (issue 14): how replicas sharing a PostgreSQL store choose the one that evaluates
 * (sidecar/src/ha). With SQLite the process always leads and only `replicaId` is shown.
 */
export const haSchema = z
  .strictObject({
    /** This replica's id: the lease holder, the outbox worker's claim owner (default: hostname-pid). */
    replicaId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'expected 1-128 letters, digits, "_", ".", ":" or "-"')
      .optional(),
    /**
     * The lease's length, ms. A standby takes over at most a lease and a renew interval after the
     * leader died; keep it under twice the shortest evaluation interval minus `renewMs`.
     */
    leaseMs: z.number().int().min(300).max(600_000).default(15_000),
    /** Time between two claims of the lease, ms (default a third of the lease). */
    renewMs: z.number().int().positive().optional(),
    /** A leader that could not renew stops this long before its lease ends, ms (default a fifth). */
    marginMs: z.number().int().positive().optional(),
    /** How often the leader re-reads rules and SLOs other replicas' APIs changed, ms. */
    syncMs: z.number().int().min(100).default(5_000),
  })
  .superRefine((ha, ctx) => {
    const renew = ha.renewMs ?? ha.leaseMs / 3;
    const margin = ha.marginMs ?? ha.leaseMs / 5;
    if (renew + margin >= ha.leaseMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['renewMs'],
        message: 'renewMs plus marginMs must be shorter than leaseMs',
      });
    }
  })
  .prefault({});

/** The parsed `ha` section. */
export type HaConfig = z.infer<typeof haSchema>;
