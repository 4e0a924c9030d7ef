/** Resolves after the event loop has run once (timers, I/O, immediates): lets sends and receivers go on between store steps. */
export const yieldToEventLoop = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
