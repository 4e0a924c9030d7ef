// Modules that host/build.mjs provides to esbuild at bundle time (they have no file of their own).

/** The line's own @grafana/runtime PluginPage module; Grafana core calls its setter at start-up. */
declare module 'vigil-host:plugin-page' {
  export function setPluginPage(component: unknown): void;
}
