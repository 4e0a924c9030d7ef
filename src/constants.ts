import pluginJson from './plugin.json';

/** The app plugin id, as Grafana knows it (`plugin.json`). */
export const PLUGIN_ID = pluginJson.id;

/** Where Grafana mounts the app's pages. */
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

/**
 * The app's pages, relative to {@link PLUGIN_BASE_URL}. Kept in step with `includes` in plugin.json
 * (the browser test opens each of them).
 */
export const ROUTES = {
  rules: 'rules',
  /** The rule editor on a new rule (`?from=<id>` fills it from an existing rule: duplicate). */
  ruleNew: 'rules/new',
  /** The rule editor on an existing rule. */
  ruleEdit: 'rules/:id/edit',
  slos: 'slos',
  incidents: 'incidents',
  /** Channels, routing and silences (`?matchers=` opens the "New silence" form filled with them). */
  notifications: 'notifications',
  settings: 'settings',
} as const;

/** One of the app's page paths. */
export type RoutePath = (typeof ROUTES)[keyof typeof ROUTES];
