import { PLUGIN_BASE_URL, ROUTES } from '../../constants';

/**
 * Absolute URLs of the rule pages. Absolute because the app's routes are relative to wherever Grafana
 * mounts the app (`/a/<plugin id>/*`), and a relative navigation from a nested page would resolve
 * against that page instead.
 */
export const ruleUrls = {
  list: () => `${PLUGIN_BASE_URL}/${ROUTES.rules}`,
  /** The list with its search box filled (an incident's alert links to its rule by `alertname`). */
  search: (text: string) => `${PLUGIN_BASE_URL}/${ROUTES.rules}?search=${encodeURIComponent(text)}`,
  create: () => `${PLUGIN_BASE_URL}/${ROUTES.ruleNew}`,
  edit: (id: string) => `${PLUGIN_BASE_URL}/${ROUTES.rules}/${encodeURIComponent(id)}/edit`,
  /** The editor on a new rule filled from `id`'s settings. */
  duplicate: (id: string) => `${PLUGIN_BASE_URL}/${ROUTES.ruleNew}?from=${encodeURIComponent(id)}`,
};
