/** Streaming anomaly detection (the guide's AdvancedAnomalyDetector, made O(1) per point). */
export * from './types';
export * from './detector';
export * from './bank';
export * from './options';
export * from './rollingWindow';
export * from './seasonal';
export * from './trend';
export * from './scoring';
export * from './dailyProfile';
export * from './synthetic';
export * from './events';
export * from './incidents';
