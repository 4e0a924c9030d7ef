import { PLUGIN_BASE_URL, ROUTES } from '../../constants';

/**
 * Absolute URLs of the Incidents page (absolute for the reason given in rules/urls.ts). An incident's
 * detail is the same page with `?incident=<id>`, so it can be linked (a notification, a chat message)
 * and the browser's Back button returns to the list.
 */
export const incidentUrls = {
  list: () => `${PLUGIN_BASE_URL}/${ROUTES.incidents}`,
  detail: (id: string) => `${PLUGIN_BASE_URL}/${ROUTES.incidents}?incident=${encodeURIComponent(id)}`,
};

/** The incident id a page URL's query string (`?incident=`) names; null for the list. */
export function incidentIdFromSearch(search: string): string | null {
  const id = new URLSearchParams(search).get('incident');
  return id && id.trim() !== '' ? id : null;
}

/**
 * A link an alert carries (generator URL, `dashboard_url`, `runbook_url`) made safe to put in an
 * `href`: absolute http(s) URLs and same-site paths pass; anything else (`javascript:`, `data:`, a
 * protocol-relative `//host`) is dropped, because these values come from whoever sent the alert.
 */
export function safeHref(url: string | null | undefined): string | null {
  if (typeof url !== 'string') {
    return null;
  }
  const u = url.trim();
  if (u.startsWith('/') && !u.startsWith('//')) {
    return u;
  }
  try {
    const parsed = new URL(u);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}
