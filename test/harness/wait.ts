import { sleep } from './process';

/**
 * Polls `probe` until it returns a value other than undefined/false, or throws after `timeoutMs` with
 * `what` and the last probe error in the message. For "until Prometheus has scraped X" style waits.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20000,
  intervalMs = 250
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) {
        return value;
      }
    } catch (err) {
      last = `: last error ${(err as Error).message}`;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${last}`);
}
