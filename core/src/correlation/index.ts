/** Alert correlation (pure): incidents from related alerts, suppression, root cause. */
export * from './types';
export * from './correlate';
export * from './api';
