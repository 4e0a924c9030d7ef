import { Scheduler } from './scheduler';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Scheduler', () => {
  it('never overlaps a job with itself: ticks during a run are skipped and counted', async () => {
    let active = 0;
    let maxActive = 0;
    const skipped: string[] = [];
    const s = new Scheduler({ random: () => 0, onSkip: (j) => skipped.push(j) });
    s.add({
      name: 'slow',
      intervalMs: 20,
      run: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(70); // spans three more ticks
        active--;
      },
    });
    await sleep(200);
    await s.stop();
    const stats = s.stats('slow');
    expect(maxActive).toBe(1);
    expect(stats?.runs).toBeGreaterThanOrEqual(2);
    expect(stats?.skips).toBeGreaterThanOrEqual(3);
    expect(skipped.length).toBe(stats?.skips);
  });

  it('stop() awaits the run in flight and no run starts afterwards', async () => {
    const events: string[] = [];
    const s = new Scheduler({ random: () => 0 });
    s.add({
      name: 'j',
      intervalMs: 10,
      run: async () => {
        events.push('start');
        await sleep(50);
        events.push('end');
      },
    });
    await sleep(15);
    await s.stop();
    expect(events).toEqual(['start', 'end']);
    await sleep(40);
    expect(events).toEqual(['start', 'end']);
  });

  it('aborts the run signal after the grace period', async () => {
    const s = new Scheduler({ random: () => 0 });
    let aborted = false;
    s.add({
      name: 'hung',
      intervalMs: 10,
      run: (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          })
        ),
    });
    await sleep(5);
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
    await sleep(45);
    await s.stop();
    expect(runs).toBeGreaterThanOrEqual(3);
    expect((errors[0] as Error).message).toBe('boom 1');
  });

  it('delays the first run by at most the jitter and rejects bad jobs', async () => {
    const s = new Scheduler({ random: () => 0.999, jitterFraction: 0.5 });
    const t0 = Date.now();
    let first = 0;
    s.add({ name: 'a', intervalMs: 100, run: async () => void (first ||= Date.now() - t0) });
    expect(() => s.add({ name: 'a', intervalMs: 100, run: async () => undefined })).toThrow('duplicate job "a"');
    expect(() => s.add({ name: 'b', intervalMs: 0, run: async () => undefined })).toThrow('interval must be positive');
    await sleep(80);
    await s.stop();
    expect(first).toBeGreaterThanOrEqual(40);
    expect(first).toBeLessThan(80);
  });
});
