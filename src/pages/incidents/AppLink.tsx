import React from 'react';
import { useNavigate } from 'react-router';
import { locationUtil } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';

/** Props of {@link AppLink}. */
export interface AppLinkProps {
  /** An absolute path of the app (`/a/<plugin id>/…`, with its query). */
  to: string;
  children: React.ReactNode;
  'data-testid'?: string;
}

/**
 * A link to another view of the app that navigates in place (the router, no page load) on a plain click
 * and is a real link otherwise (new tab, copy link address). `react-router`'s own `Link` is not in the
 * react-router 6 that Grafana 12 shares with plugins (it lives in react-router-dom there), so this is the
 * part of it the pages need. `assureBaseUrl` adds Grafana's sub-path when it is served under one.
 */
export function AppLink({ to, children, 'data-testid': testId }: AppLinkProps) {
  const navigate = useNavigate();
  const theme = useTheme2();
  const onClick = (e: React.MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.defaultPrevented) {
      return;
    }
    e.preventDefault();
    navigate(to);
  };
  return (
    <a
      href={locationUtil.assureBaseUrl(to)}
      onClick={onClick}
      data-testid={testId}
      style={{ color: theme.colors.text.link, fontWeight: theme.typography.fontWeightMedium }}
    >
      {children}
    </a>
  );
}
