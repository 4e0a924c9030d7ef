/** @vigil/core: pure TypeScript shared by the sidecar and the Grafana plugin. No I/O. */
export * from './detection';
export * from './rules';
export * from './notify';
export * from './correlation';
export * from './slo';
