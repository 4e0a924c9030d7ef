/** What the app stores in `jsonData` (readable by the browser: never a secret). */
export interface AppSettings {
  /** Base URL of the Vigil sidecar as Grafana's server reaches it, e.g. `http://vigil-sidecar:8787`. */
  sidecarUrl?: string;
}

/** What the app stores in `secureJsonData` (encrypted by Grafana, never sent back to the browser). */
export interface AppSecureSettings {
  /** Bearer token the plugin proxy adds to every sidecar call. */
  sidecarToken?: string;
}

/**
 * Checks a sidecar URL and returns what is wrong with it, or undefined when it is usable.
 * The URL must be absolute http(s) with a host; credentials, query strings and fragments are refused
 * because the proxy route appends API paths to it and jsonData is readable by every viewer.
 */
export function validateSidecarUrl(raw: string): string | undefined {
  const value = raw.trim();
  if (!value) {
    return 'Sidecar URL is required';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `Sidecar URL "${value}" is not an absolute URL (expected e.g. http://127.0.0.1:8787)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `Sidecar URL must use http or https, not ${url.protocol.replace(':', '')}`;
  }
  if (url.username || url.password) {
    return 'Sidecar URL must not contain credentials: put the token in the Sidecar token field';
  }
  if (url.search || url.hash) {
    return 'Sidecar URL must not contain a query string or fragment';
  }
  return undefined;
}

/** The URL as stored: trimmed, without a trailing slash (the proxy route appends `/api/v1/...`). */
export function normalizeSidecarUrl(raw: string): string {
  return raw.trim().replace(/\/+$/, '');
}
