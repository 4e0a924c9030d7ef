import { Scheduler } from './scheduler';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a condition (timers are late on a loaded machine: wait for what must happen, not for a time). */
async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await sleep(5);
  }
}

describe('Scheduler', () => {
  it('never overlaps a job with itself: ticks during a run are skipped and counted', async () => {
    let active = 0;
    let maxActive = 0;
    let release: () => void = () => undefined;
    const skipped: string[] = [];
    const s = new Scheduler({ random: () => 0, onSkip: (j) => skipped.push(j) });
    s.add({
      name: 'slow',
      intervalMs: 10,
      run: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((r) => (release = r)); // held until the test has seen skipped ticks
        active--;
      },
    });
    await until(() => skipped.length >= 3);
    expect(s.stats('slow')).toEqual({ runs: 1, skips: skipped.length, running: true });
    release();
    await until(() => (s.stats('slow')?.runs ?? 0) >= 2);
    release();
    await s.stop();
    expect(maxActive).toBe(1);
    expect(skipped.every((j) => j === 'slow')).toBe(true);
  });

  it('stop() awaits the run in flight and no run starts afterwards', async () => {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const s = new Scheduler({ random: () => 0 });
    s.add({
      name: 'j',
      intervalMs: 10,
      run: async () => {
        events.push('start');
        // held until stop() is under way, so a late timer on a loaded machine cannot end it first
        await new Promise<void>((r) => (release = r));
        events.push('end');
      },
    });
    await until(() => events.length > 0);
    const stopping = s.stop();
    await sleep(20);
    expect(events).toEqual(['start']);
    release();
    await stopping;
    expect(events).toEqual(['start', 'end']);
    await sleep(40);
    expect(events).toEqual(['start', 'end']);
  });

  it('aborts the run signal after the grace period', async () => {
    const s = new Scheduler({ random: () => 0 });
    let aborted = false;
    let started = false;
    s.add({
      name: 'hung',
      intervalMs: 10,
      run: (signal) =>
        new Promise<void>((resolve) => {
          started = true;
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
    });
    await until(() => started);
    await s.stop(20);
    expect(aborted).toBe(true);
  });

  it('keeps running after a failing run and reports the error', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const s = new Scheduler({ random: () => 0, onError: (_j, e) => errors.push(e) });
    s.add({
      name: 'flaky',
      intervalMs: 10,
      run: async () => {
        runs++;
        throw new Error(`boom ${runs}`);
      },
    });
    await until(() => runs >= 3);
    await s.stop();
    expect((errors[0] as Error).message).toBe('boom 1');
  });

  it('delays the first run by at most the jitter and rejects bad jobs', async () => {
    const s = new Scheduler({ random: () => 0.999, jitterFraction: 0.5 });
    const t0 = Date.now();
    let first = 0;
    s.add({ name: 'a', intervalMs: 100, run: async () => void (first ||= Date.now() - t0) });
    expect(() => s.add({ name: 'a', intervalMs: 100, run: async () => undefined })).toThrow('duplicate job "a"');
    expect(() => s.add({ name: 'b', intervalMs: 0, run: async () => undefined })).toThrow('interval must be positive');
    await until(() => first > 0);
    await s.stop();
    // 0.999 × min(0.5 × 100 ms, 5 s) = 49.95 ms; Node may fire a timer a millisecond or two early
    expect(first).toBeGreaterThanOrEqual(47);
  });
});
