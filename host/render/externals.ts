/**
 * Typed access to the shared modules the host page put on `window.__grafanaExternals` (host/externals.ts).
 * render.js is bundled once and runs against either Grafana line, so it takes every runtime value from
 * there — the very copies the plugin's AMD `define` receives — and imports only types.
 */
import type * as GrafanaData from '@grafana/data';
import type * as GrafanaUI from '@grafana/ui';
import type * as GrafanaRuntime from '@grafana/runtime';
import type * as ReactNS from 'react';
import type * as ReactDOMClient from 'react-dom/client';
import type * as ReactRouter from 'react-router';
import type * as Rxjs from 'rxjs';

interface Externals {
  react: typeof ReactNS;
  'react-dom/client': typeof ReactDOMClient;
  '@grafana/data': typeof GrafanaData;
  '@grafana/ui': typeof GrafanaUI;
  '@grafana/runtime': typeof GrafanaRuntime;
  'react-router': typeof ReactRouter;
  rxjs: typeof Rxjs;
  lodash: { merge: (...objs: unknown[]) => any; cloneDeep: <T>(v: T) => T };
}

const w = window as unknown as {
  __grafanaExternals?: Externals;
  __grafanaHostInternals?: { setPluginPage: (c: ReactNS.ComponentType<any>) => void };
};
if (!w.__grafanaExternals) {
  throw new Error('host page: window.__grafanaExternals is missing (externals.js did not load)');
}

/** The shared modules, by the names plugins import them with. */
export const ext = w.__grafanaExternals;
/** Setters Grafana core calls at start-up that are not part of the public packages. */
export const hostInternals = w.__grafanaHostInternals!;
export const React = ext.react;
export const h = ext.react.createElement;
