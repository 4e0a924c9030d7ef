/** Alert rules: model, conditions, state machine and backtest (pure, shared by sidecar and plugin). */
export * from './types';
export * from './api';
export * from './duration';
export * from './fingerprint';
export * from './conditions';
export * from './adaptive';
export * from './baseline';
export * from './anomaly';
export * from './template';
export { humanize, humanize1024, humanizeDuration, humanizePercentage } from './humanize';
export { goFormatG, goSprintf } from './goFormat';
export * from './state';
export * from './schedule';
export * from './backtest';
