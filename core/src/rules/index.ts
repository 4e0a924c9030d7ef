/** Alert rules: model, conditions, state machine and backtest (pure, shared by sidecar and plugin). */
export * from './types';
export * from './api';
