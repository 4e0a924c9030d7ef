/**
 * The modules a Grafana server shares with plugins, for the host page.
 *
 * A built plugin (`dist/module.js`) is a webpack `amd` library whose `define([...deps])` names the
 * packages `.config/bundler/externals.ts` leaves external. Grafana resolves those names against its own
 * copies; the host page resolves them against `window.__grafanaExternals`, built from this file by
 * `host/build.mjs` once per Grafana line (12.4.x + React 18 from the root `node_modules`, 13.2.x + React
 * 19 from `host/grafana13/node_modules`).
 */
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as jsxDevRuntime from 'react/jsx-dev-runtime';
import * as GrafanaData from '@grafana/data';
import * as GrafanaUI from '@grafana/ui';
import * as GrafanaRuntime from '@grafana/runtime';
import * as GrafanaI18n from '@grafana/i18n';
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';
import * as lodash from 'lodash';
import moment from 'moment';
import * as ReactRouter from 'react-router';
import * as ReactRouterDom from 'react-router-dom';
import i18next from 'i18next';
// Not part of @grafana/runtime's public exports: Grafana core calls it at start-up to give plugins the
// real page chrome. build.mjs resolves this name to the line's own PluginPage module file, so the setter
// changes the very binding the plugin's `PluginPage` import reads.
import { setPluginPage } from 'vigil-host:plugin-page';

/** Name → module, exactly the names a plugin's AMD `define` asks for. */
const externals: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react-dom/client': ReactDOMClient,
  'react/jsx-runtime': jsxRuntime,
  'react/jsx-dev-runtime': jsxDevRuntime,
  '@grafana/data': GrafanaData,
  '@grafana/ui': GrafanaUI,
  '@grafana/runtime': GrafanaRuntime,
  '@grafana/i18n': GrafanaI18n,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  rxjs,
  'rxjs/operators': rxjsOperators,
  lodash,
  moment,
  'react-router': ReactRouter,
  'react-router-dom': ReactRouterDom,
  i18next,
};

const w = window as unknown as Record<string, unknown>;
w.__grafanaExternals = externals;
/** Host-only hooks that Grafana core would call itself (see render.ts). */
w.__grafanaHostInternals = { setPluginPage };
