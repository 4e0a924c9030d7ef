import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { Alert, Button, LoadingPlaceholder, RadioButtonGroup, Stack, Text, useStyles2 } from '@grafana/ui';
import type { PreviewResponse, RuleBody } from '@vigil/core';
import { testIds } from '../../../testIds';
import { buildChartModel } from './chartModel';
import { PreviewChart } from './PreviewChart';
import { summarizePreview } from './previewSummary';
import { type PreviewRange, usePreview } from './usePreview';

const RANGE_OPTIONS: Array<{ label: string; value: PreviewRange }> = [
  { label: 'Last 24 hours', value: '24h' },
  { label: 'Last 7 days', value: '7d' },
];
const RANGE_TEXT: Record<PreviewRange, string> = { '24h': 'the last 24 hours', '7d': 'the last 7 days' };

/** The answered backtest: summary, chart, warnings and the events list. */
export function PreviewResult({ preview, range }: { preview: PreviewResponse; range: PreviewRange }) {
  const ids = testIds.preview;
  const styles = useStyles2(getStyles);
  const summary = useMemo(() => summarizePreview(preview, RANGE_TEXT[range]), [preview, range]);
  const model = useMemo(() => buildChartModel(preview), [preview]);
  if (preview.series.length === 0) {
    return (
      <div data-testid={ids.empty}>
        <Text color="secondary">
          The query returned no series in {RANGE_TEXT[range]}: nothing to backtest. Check the metric name and labels.
        </Text>
      </div>
    );
  }
  return (
    <Stack direction="column" gap={1}>
      <span data-testid={ids.summary} data-fired={summary.fired}>
        <Text weight="medium" color={summary.fired > 0 ? 'error' : 'success'}>
          {summary.text}
        </Text>
      </span>
      <PreviewChart model={model} description={`${summary.text}. Pending intervals in orange, firing in red.`} />
      <Text color="secondary" variant="bodySmall">
        Solid: {model.unit === 'percent' ? '% change against the baseline' : 'the series'}; dashed: the threshold in
        force; shaded orange: pending, red: firing.
        {model.hiddenSeries > 0 ? ` ${model.hiddenSeries} more series not drawn.` : ''}
      </Text>
      {preview.warnings.map((w) => (
        <Alert key={w} severity="warning" title={w} />
      ))}
      {summary.events.length > 0 ? (
        <div className={styles.events}>
          <table className="filter-table" data-testid={ids.events}>
            <thead>
              <tr>
                <th>Time</th>
                <th>Event</th>
                <th>Series</th>
                <th>Value</th>
                <th>Threshold</th>
              </tr>
            </thead>
            <tbody>
              {summary.events.slice(0, 50).map((e) => (
                <tr key={e.key} data-testid={ids.event} data-event={e.event}>
                  <td>{e.at}</td>
                  <td>{e.event}</td>
                  <td className={styles.series}>{e.series}</td>
                  <td>{e.value}</td>
                  <td>{e.threshold}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Stack>
  );
}

// A series' labels can be long: they wrap in their cell, and the table scrolls inside the preview
// rather than running out of it.
const getStyles = () => ({
  events: css({ overflowX: 'auto', maxWidth: '100%' }),
  series: css({ overflowWrap: 'anywhere', minWidth: '16em' }),
});

/** Props of {@link Preview}. */
export interface PreviewProps {
  /** The form as a rule body, or null while it is incomplete. */
  body: RuleBody | null;
  /** Read-only rules are backtested as saved. */
  savedId?: string;
  debounceMs?: number;
}

/**
 * Live preview: backtests the rule as it is in the form over the last 24 hours or 7 days (the sidecar
 * runs the same code as live evaluation) whenever the form changes, or on "Run preview".
 */
export function Preview({ body, savedId, debounceMs }: PreviewProps) {
  const ids = testIds.preview;
  const [range, setRange] = useState<PreviewRange>('24h');
  const [state, run] = usePreview({ body, savedId, range }, debounceMs);
  return (
    <section data-testid={ids.container} aria-label="Preview">
      <Stack direction="column" gap={1}>
        <Stack gap={2} alignItems="center" wrap="wrap">
          <Text element="h3">Preview</Text>
          <div data-testid={ids.range}>
            <RadioButtonGroup options={RANGE_OPTIONS} value={range} onChange={setRange} size="sm" />
          </div>
          <Button
            type="button"
            size="sm"
            variant="secondary"
            icon="play"
            data-testid={ids.run}
            disabled={!body && !savedId}
            onClick={run}
          >
            Run preview
          </Button>
        </Stack>
        {state.status === 'idle' ? (
          <Text color="secondary">Fill in the query and the condition to see where this rule would have fired.</Text>
        ) : null}
        {state.status === 'loading' ? (
          <div data-testid={ids.loading}>
            <LoadingPlaceholder text={`Backtesting over ${RANGE_TEXT[range]}…`} />
          </div>
        ) : null}
        {state.status === 'error' ? (
          <div data-testid={ids.error}>
            <Alert severity="error" title="Could not run the preview">
              {state.error.message}
            </Alert>
          </div>
        ) : null}
        {state.status === 'done' ? <PreviewResult preview={state.value} range={range} /> : null}
      </Stack>
    </section>
  );
}
