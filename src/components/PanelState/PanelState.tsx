import React from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, LoadingState, type PanelData } from '@grafana/data';
import { Icon, LoadingPlaceholder, useStyles2 } from '@grafana/ui';

/** Which explicit state a panel shows instead of its visualization. */
export type PanelStateKind = 'loading' | 'empty' | 'error';

/** Props of {@link PanelState}. */
export interface PanelStateProps {
  kind: PanelStateKind;
  message: string;
  testId: string;
  width: number;
  height: number;
}

/**
 * A panel's loading, empty or error state, centred in the panel (Pyrra-style tiles always say why
 * they show no number rather than rendering a blank box).
 */
export function PanelState({ kind, message, testId, width, height }: PanelStateProps) {
  const styles = useStyles2(getStyles);
  return (
    <div
      className={styles.box}
      style={{ width, height }}
      data-testid={testId}
      role={kind === 'error' ? 'alert' : 'status'}
    >
      {kind === 'loading' ? <LoadingPlaceholder text={message} /> : null}
      {kind === 'empty' ? <span className={styles.empty}>{message}</span> : null}
      {kind === 'error' ? (
        <span className={styles.error}>
          <Icon name="exclamation-triangle" /> {message}
        </span>
      ) : null}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    textAlign: 'center',
    padding: theme.spacing(1),
    overflow: 'hidden',
  }),
  empty: css({ color: theme.colors.text.secondary }),
  error: css({ color: theme.colors.error.text }),
});

/** The first error message Grafana attached to a panel's data, if any. */
export function dataErrorMessage(data: {
  error?: { message?: string };
  errors?: Array<{ message?: string }>;
}): string | undefined {
  const err = data.errors?.[0] ?? data.error;
  if (!err) {
    return undefined;
  }
  return err.message || 'the query failed';
}

/**
 * What the query itself says, as a panel state: the error Grafana reported, or "loading" while
 * nothing has arrived yet. Null when the panel has data to draw.
 */
export function queryState(
  data: PanelData,
  ids: { error: string; loading: string },
  loadingMessage: string,
  width: number,
  height: number
): React.ReactElement | null {
  const queryError = dataErrorMessage(data);
  if (data.state === LoadingState.Error || queryError) {
    return (
      <PanelState
        kind="error"
        testId={ids.error}
        message={queryError ?? 'the query failed'}
        width={width}
        height={height}
      />
    );
  }
  if (data.state === LoadingState.Loading && data.series.length === 0) {
    return <PanelState kind="loading" testId={ids.loading} message={loadingMessage} width={width} height={height} />;
  }
  return null;
}
