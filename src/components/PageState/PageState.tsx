import React from 'react';
import { Alert, Button, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import { testIds } from '../../testIds';

/** Shown while a page's first sidecar request is in flight. */
export function PageLoading({ text }: { text: string }) {
  return (
    <div data-testid={testIds.pages.loading}>
      <LoadingPlaceholder text={text} />
    </div>
  );
}

/** Shown when the sidecar answered and there is nothing to list. */
export function PageEmpty({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div data-testid={testIds.pages.empty}>
      <Stack direction="column" gap={1}>
        <Text element="h3">{title}</Text>
        {children ? <Text color="secondary">{children}</Text> : null}
      </Stack>
    </div>
  );
}

/** Shown when the sidecar could not be reached or answered an error; names what failed. */
export function PageError({ title, error, onRetry }: { title: string; error: Error; onRetry?: () => void }) {
  return (
    <div data-testid={testIds.pages.error}>
      <Alert severity="error" title={title}>
        <Stack direction="column" gap={1} alignItems="flex-start">
          <span>{error.message}</span>
          {onRetry ? (
            <Button size="sm" variant="secondary" icon="sync" onClick={onRetry}>
              Retry
            </Button>
          ) : null}
        </Stack>
      </Alert>
    </div>
  );
}
