import React from 'react';
import { Alert, Stack, Text } from '@grafana/ui';
import type { SloPreview } from '../../api/slos';
import { testIds } from '../../testIds';
import { BudgetBadge } from './SloList';
import { BurnDownChart } from './BurnDown';
import { formatBurnRate, formatRatio, formatTimeToExhaustion } from './sloRows';

/** What the spec in the editor would show now: SLI, budget, burn rate, firing alerts and the burn-down. */
export function SloPreviewBlock({ preview }: { preview: SloPreview }) {
  const s = preview.status;
  const firing = s.burnRates.filter((b) => b.firing).map((b) => b.name);
  return (
    <div data-testid={testIds.slos.preview}>
      <Alert severity="info" title="Preview: this spec on the datasource now (not saved)">
        <Stack direction="column" gap={1}>
          <Stack gap={3} wrap="wrap">
            <Text>SLI over the window: {formatRatio(s.sli)}</Text>
            <Text>SLI now: {formatRatio(s.sliNow)}</Text>
            <Text>
              Budget remaining:{' '}
              <BudgetBadge
                slo={{ status: s }}
                text={s.budgetRemaining == null ? undefined : formatRatio(s.budgetRemaining, 1)}
              />
            </Text>
            <Text>Burn rate (1h): {formatBurnRate(s.burnRate)}</Text>
            <Text>Time to exhaustion: {formatTimeToExhaustion(s)}</Text>
            <Text>Would fire: {firing.length ? firing.join(', ') : 'nothing'}</Text>
          </Stack>
          <BurnDownChart points={preview.burnDown} />
        </Stack>
      </Alert>
    </div>
  );
}
