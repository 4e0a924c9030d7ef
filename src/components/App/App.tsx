import React from 'react';
import { Navigate, Route, Routes, useResolvedPath } from 'react-router';
import type { AppRootProps } from '@grafana/data';
import { PLUGIN_BASE_URL, ROUTES } from '../../constants';
import { AlertRules } from '../../pages/AlertRules';
import { Incidents } from '../../pages/Incidents';
import { Notifications } from '../../pages/Notifications';
import { RuleEditorPage } from '../../pages/rules/editor/RuleEditorPage';
import { Settings } from '../../pages/Settings';
import { Slos } from '../../pages/Slos';

// Routes come from 'react-router' (shared by Grafana with plugins), not 'react-router-dom', so the
// plugin uses the host's router instead of bundling a second copy. No lazy pages: a lazy chunk is
// fetched relative to the page URL, which breaks outside Grafana's public path.
function AppRoutes({ base }: { base: string }) {
  return (
    <Routes>
      <Route path={ROUTES.rules} element={<AlertRules />} />
      <Route path={ROUTES.ruleNew} element={<RuleEditorPage />} />
      <Route path={ROUTES.ruleEdit} element={<RuleEditorPage />} />
      <Route path={ROUTES.slos} element={<Slos />} />
      <Route path={ROUTES.incidents} element={<Incidents />} />
      <Route path={ROUTES.notifications} element={<Notifications />} />
      <Route path={ROUTES.settings} element={<Settings />} />
      <Route path="*" element={<Navigate to={`${base}/${ROUTES.rules}`} replace />} />
    </Routes>
  );
}

/**
 * The app's root page. Grafana renders it under a route `/a/<plugin id>/*`, so the page routes are
 * relative. When no parent route exists (a bare router whose location is already under `basename`,
 * as in a host page), it mounts them under `basename` itself.
 */
export default function App({ basename }: AppRootProps) {
  const parentBase = useResolvedPath('.').pathname;
  // The fallback redirect is absolute: a relative one inside a splat route resolves differently in
  // react-router 7 (v7_relativeSplatPath) and could redirect to itself.
  const base = basename ? `/${basename.replace(/^\/+|\/+$/g, '')}` : PLUGIN_BASE_URL;
  if (parentBase === '/' && base !== '/') {
    return (
      <Routes>
        <Route path={`${base}/*`} element={<AppRoutes base={base} />} />
        <Route path="*" element={<Navigate to={`${base}/${ROUTES.rules}`} replace />} />
      </Routes>
    );
  }
  return <AppRoutes base={base} />;
}
