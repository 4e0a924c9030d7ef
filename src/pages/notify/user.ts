import { config } from '@grafana/runtime';

/** The signed-in Grafana user as the Notifications page needs it. */
export interface PageUser {
  /** The login the plugin proxy sends as `X-Grafana-User` (the sidecar records it as a silence's author). */
  login: string | undefined;
  /**
   * False for Viewers (and users without an org role): the page hides its write buttons. The plugin
   * proxy's `reqRole` is what enforces it; this only spares a Viewer buttons that would answer 403.
   */
  canWrite: boolean;
}

/** Reads the user from Grafana's boot data; unknown roles are let through (the proxy decides). */
export function currentUser(): PageUser {
  const user = (config.bootData?.user ?? {}) as { login?: unknown; orgRole?: unknown };
  const role = typeof user.orgRole === 'string' ? user.orgRole : undefined;
  return {
    login: typeof user.login === 'string' && user.login !== '' ? user.login : undefined,
    canWrite: role !== 'Viewer' && role !== 'None',
  };
}
