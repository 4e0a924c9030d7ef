/**
 * Receivers first: while a storm's alert updates keep arriving, the dispatcher waits before routing them
 * (for a bounded time), so the receivers answer the senders at their own pace instead of taking turns
 * with routing steps. Safe for timing because a group is timed from when its alert was received, not
 * from when it was routed (ingest.ts): routing a little later moves none of its flushes.
 */

/** When the receivers last wrote to the inbox, and how to wait until they have been quiet. */
export class IntakeGate {
  /** `performance.now()` of the last {@link received} call. */
  private lastAt = -Infinity;

  /** @param quietMs how long without a received update counts as quiet */
  constructor(private readonly quietMs: number) {}

  /** A receiver just wrote alert updates to the inbox. */
  received(): void {
    this.lastAt = performance.now();
  }

  /**
   * Resolves once nothing was received for `quietMs`, once `budget.ms` is spent (it is reduced by the
   * wait: one budget serves a whole pass), or once `running()` is false; to how long it waited, ms.
   */
  async quiet(budget: { ms: number }, running: () => boolean): Promise<number> {
    const started = performance.now();
    for (;;) {
      const now = performance.now();
      const wait = Math.min(this.lastAt + this.quietMs - now, budget.ms);
      if (wait <= 0 || !running()) {
        return now - started;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
      budget.ms -= performance.now() - now;
    }
  }
}
