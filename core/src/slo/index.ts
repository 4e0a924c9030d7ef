/** Service level objectives: the model, the budget math, compliance windows and burn-rate alerts. */
export * from './types';
export * from './budget';
export * from './windows';
export * from './burnRate';
export * from './queries';
export * from './prometheusRules';
