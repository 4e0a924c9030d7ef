import { formatMatchers } from '@vigil/core';
import { PLUGIN_BASE_URL, ROUTES } from '../../constants';

/**
 * Absolute URLs of the Notifications page (absolute for the reason given in rules/urls.ts). `silence`
 * opens its "New silence" form with one `name="value"` matcher per label, in label order — the
 * Rules page links an alert instance to it.
 */
export const notifyUrls = {
  page: () => `${PLUGIN_BASE_URL}/${ROUTES.notifications}`,
  silence: (labels: Record<string, string>) => {
    const matchers = Object.keys(labels)
      .sort()
      .map((name) => ({ name, op: '=' as const, value: labels[name] }));
    return `${PLUGIN_BASE_URL}/${ROUTES.notifications}?matchers=${encodeURIComponent(formatMatchers(matchers))}`;
  },
};
