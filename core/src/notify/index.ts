/** Notification routing (pure): matchers, routing tree, silences, inhibition, time intervals, group timing. */
export * from './matchers';
export * from './routing';
export * from './silences';
export * from './inhibition';
export * from './timeIntervals';
export * from './grouping';
export * from './api';
