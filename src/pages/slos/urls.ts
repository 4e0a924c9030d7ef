import { PLUGIN_BASE_URL, ROUTES } from '../../constants';

/**
 * Absolute URLs of the SLOs page (absolute for the reason given in rules/urls.ts). One SLO's detail,
 * its editor and a new SLO are the same page with `?slo=<id>`, `?edit=<id>` or `?new`, so each can be
 * linked and the browser's Back button returns to the list.
 */
export const sloUrls = {
  list: () => `${PLUGIN_BASE_URL}/${ROUTES.slos}`,
  detail: (id: string) => `${PLUGIN_BASE_URL}/${ROUTES.slos}?slo=${encodeURIComponent(id)}`,
  edit: (id: string) => `${PLUGIN_BASE_URL}/${ROUTES.slos}?edit=${encodeURIComponent(id)}`,
  create: () => `${PLUGIN_BASE_URL}/${ROUTES.slos}?new=1`,
};

/** Which view a page URL's query string asks for. */
export type SloPageView =
  { kind: 'list' } | { kind: 'detail'; id: string } | { kind: 'edit'; id: string } | { kind: 'new' };

/** The view of `?slo=`, `?edit=`, `?new` (the list otherwise). */
export function sloViewFromSearch(search: string): SloPageView {
  const q = new URLSearchParams(search);
  const pick = (k: string) => {
    const v = q.get(k);
    return v && v.trim() !== '' ? v : null;
  };
  const edit = pick('edit');
  if (edit) {
    return { kind: 'edit', id: edit };
  }
  const slo = pick('slo');
  if (slo) {
    return { kind: 'detail', id: slo };
  }
  return q.has('new') ? { kind: 'new' } : { kind: 'list' };
}
