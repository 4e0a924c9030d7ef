/**
 * The memberships that flushes closing a group leave behind (flush.ts), released when the dispatcher
 * is idle: once no group is due within RELEASE_GAP_MS, or once the oldest has waited
 * RELEASE_MAX_WAIT_MS whatever is due. A storm's resolved notifications are sent first, the deletes of
 * its alerts after (NotifyStore.releaseClosedGroups).
 */
import type { NotifyStore } from '../../store/notifyStore';
import { yieldToEventLoop } from './eventLoop';

/** Released when no group is due within this, ms… */
const RELEASE_GAP_MS = 100;
/** …or once the oldest has waited this long, ms. */
const RELEASE_MAX_WAIT_MS = 5_000;
/** Closed groups released per transaction. */
const RELEASE_BATCH = 1_000;

/** The closed groups a dispatcher has not released yet. */
export class ClosedGroups {
  private readonly keys = new Set<string>();
  /** When the oldest of `keys` closed. */
  private since = 0;
  /** The next release is every closed group's: at first, and after each start. */
  private all = true;

  /** A new leader, or a restart: closed groups may have been left unreleased by another process. */
  releaseAllNext(): void {
    this.all = true;
  }

  /** A committed flush closed group `key` at `now`. */
  closed(key: string, now: number): void {
    if (this.keys.size === 0) {
      this.since = now;
    }
    this.keys.add(key);
  }

  /**
   * Releases what is pending when the dispatcher is idle at `now` (see the file comment); keys of a
   * failed release stay for the next call.
   */
  async releaseIfIdle(store: Pick<NotifyStore, 'nextGroupFlush' | 'releaseClosedGroups'>, now: number): Promise<void> {
    if (!this.all && this.keys.size === 0) {
      return;
    }
    const next = await store.nextGroupFlush();
    if (next !== null && next - now < RELEASE_GAP_MS && now - this.since < RELEASE_MAX_WAIT_MS) {
      return;
    }
    // The pass's last sends go out before the deletes' synchronous store work.
    await yieldToEventLoop();
    if (this.all) {
      await store.releaseClosedGroups();
      this.all = false;
      this.keys.clear();
      return;
    }
    while (this.keys.size > 0) {
      const batch = [...this.keys].slice(0, RELEASE_BATCH);
      await store.releaseClosedGroups(batch);
      batch.forEach((k) => this.keys.delete(k));
      if (this.keys.size > 0) {
        await yieldToEventLoop();
      }
    }
  }
}
