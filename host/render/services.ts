/**
 * The services Grafana core registers with @grafana/runtime before any plugin code runs. A plugin that
 * calls `getBackendSrv()` or renders `<PluginPage>` gets these instead of Grafana's, with the same
 * contracts: requests go to the host server (which proxies the plugin route like Grafana's plugin proxy),
 * HTTP errors reject with a FetchError-shaped object, and PluginPage renders the page title from
 * `pageNav` or from the app's `includes` the way Grafana's page chrome does.
 */
import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import type { AppPluginMeta } from '@grafana/data';
import { ext, hostInternals, h } from './externals';

async function send(options: BackendSrvRequest): Promise<FetchResponse<any>> {
  const params = options.params ? `?${new URLSearchParams(options.params as Record<string, string>)}` : '';
  const headers: Record<string, string> = { 'X-Grafana-Org-Id': '1', ...(options.headers ?? {}) };
  let body: BodyInit | undefined;
  if (options.data !== undefined && options.data !== null) {
    if (typeof options.data === 'string' || options.data instanceof FormData) {
      body = options.data;
    } else {
      body = JSON.stringify(options.data);
      headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
    }
  }
  const res = await fetch(options.url + params, {
    method: options.method ?? 'GET',
    headers,
    body,
    credentials: 'same-origin',
  });
  const text = await res.text();
  let data: unknown = text;
  if (options.responseType !== 'text' && text !== '' && (res.headers.get('content-type') ?? '').includes('json')) {
    data = JSON.parse(text);
  }
  const response = {
    data,
    status: res.status,
    statusText: res.statusText,
    ok: res.ok,
    headers: res.headers,
    url: res.url,
    type: res.type,
    redirected: res.redirected,
    config: options,
  } as FetchResponse<any>;
  if (!res.ok) {
    // The shape @grafana/runtime's isFetchError() recognises.
    throw { status: res.status, statusText: res.statusText, data, config: options };
  }
  return response;
}

const backendSrv = {
  fetch: (options: BackendSrvRequest) =>
    new ext.rxjs.Observable<FetchResponse<any>>((sub) => {
      send(options).then(
        (r) => {
          sub.next(r);
          sub.complete();
        },
        (e) => sub.error(e)
      );
    }),
  request: (options: BackendSrvRequest) => send(options).then((r) => r.data),
  datasourceRequest: (options: BackendSrvRequest) => send(options),
  get: (url: string, params?: any, _requestId?: string, options?: Partial<BackendSrvRequest>) =>
    send({ ...options, url, params, method: 'GET' }).then((r) => r.data),
  delete: (url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
    send({ ...options, url, data, method: 'DELETE' }).then((r) => r.data),
  post: (url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
    send({ ...options, url, data, method: 'POST' }).then((r) => r.data),
  patch: (url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
    send({ ...options, url, data, method: 'PATCH' }).then((r) => r.data),
  put: (url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
    send({ ...options, url, data, method: 'PUT' }).then((r) => r.data),
};

const templateSrv = {
  getVariables: () => [],
  replace: (target?: string) => target ?? '',
  containsTemplate: () => false,
  updateTimeRange: () => {},
};

/** Grafana's page chrome, reduced to what a person sees: the title (h1), subtitle, actions, content. */
function hostPluginPage(meta: AppPluginMeta) {
  return function PluginPage(props: {
    pageNav?: { text?: string; subTitle?: string };
    subTitle?: unknown;
    actions?: unknown;
    children?: unknown;
  }) {
    const location = ext['react-router'].useLocation();
    const include = (meta.includes ?? []).find((i) => {
      const path = i.type === 'page' ? i.path?.replace('%PLUGIN_ID%', meta.id) : undefined;
      return path !== undefined && (location.pathname === path || location.pathname.startsWith(`${path}/`));
    });
    const title = props.pageNav?.text ?? include?.name ?? meta.name;
    const subTitle = props.subTitle ?? props.pageNav?.subTitle;
    return h(
      'div',
      { className: 'host-page', style: { padding: 24 } },
      h(
        'div',
        { style: { display: 'flex', alignItems: 'center', gap: 16, marginBottom: 16 } },
        h('h1', { style: { margin: 0, flex: 1 } }, title),
        props.actions as any
      ),
      subTitle ? h('div', { style: { marginBottom: 16, opacity: 0.8 } }, subTitle as any) : null,
      props.children as any
    );
  };
}

/** Registers the services with @grafana/runtime; call once, before the plugin module is evaluated. */
export function installServices(meta: AppPluginMeta): void {
  const runtime = ext['@grafana/runtime'];
  runtime.setBackendSrv(backendSrv as any);
  runtime.setTemplateSrv(templateSrv as any);
  hostInternals.setPluginPage(hostPluginPage(meta));
}
