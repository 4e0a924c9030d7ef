import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { Field, FieldSet, Select, TextArea, useStyles2 } from '@grafana/ui';
import type { DatasourceInfo } from '../../../api/types';
import { testIds } from '../../../testIds';
import { queryCaret } from './queryCaret';
import type { SectionProps } from './sectionProps';
import { TestIdBox } from '../../../components/TestIdBox/TestIdBox';

/** Where the query comes from, and the sidecar's query problem with a caret under its position. */
export interface QuerySectionProps extends SectionProps {
  datasources: DatasourceInfo[];
  /** 0-based offset of the sidecar's parse error in the query, when it gave one. */
  queryPosition?: number;
}

/** Datasource and query (PromQL, or InfluxQL for an InfluxDB datasource). Anomaly rules have none. */
export function QuerySection({ values, errors, readOnly, onChange, datasources, queryPosition }: QuerySectionProps) {
  const styles = useStyles2(getStyles);
  const ids = testIds.ruleEditor;
  if (values.conditionKind === 'anomaly') {
    return null;
  }
  const options: Array<SelectableValue<string>> = datasources.map((d) => ({
    label: d.name,
    value: d.name,
    description: d.type,
  }));
  const selected = datasources.find((d) => d.name === values.datasource);
  const language = selected?.type === 'influxdb' ? 'InfluxQL (SELECT / SHOW only)' : 'PromQL';
  const caret = errors.query && queryPosition !== undefined ? queryCaret(values.query, queryPosition) : undefined;
  return (
    <FieldSet label="2. Query">
      <Field
        label="Datasource"
        htmlFor="rule-datasource"
        description="One of the sidecar's datasources; empty means its first one."
        invalid={Boolean(errors.datasource)}
        error={errors.datasource}
        disabled={readOnly}
      >
        <TestIdBox testId={ids.datasource}>
          <Select
            inputId="rule-datasource"
            aria-label="Datasource"
            htmlFor="rule-datasource"
            width={40}
            options={options}
            value={values.datasource || null}
            placeholder={datasources.length ? 'Choose a datasource' : 'No datasources configured in the sidecar'}
            disabled={readOnly}
            onChange={(v) => onChange('datasource', v?.value ?? '')}
          />
        </TestIdBox>
      </Field>
      <Field
        label={`Query (${language})`}
        description="Each series it returns is one alert instance, identified by its labels."
        required
        invalid={Boolean(errors.query)}
        error={caret ? undefined : errors.query}
        disabled={readOnly}
      >
        <TextArea
          id="rule-query"
          data-testid={ids.query}
          className={styles.query}
          rows={4}
          spellCheck={false}
          value={values.query}
          placeholder='sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))'
          onChange={(e) => onChange('query', e.currentTarget.value)}
        />
      </Field>
      {caret ? (
        <div className={styles.error} data-testid={ids.queryError} role="alert">
          <div>
            {errors.query} (line {caret.line}, column {caret.column})
          </div>
          <pre className={styles.caret} aria-hidden>
            {caret.text}
            {'\n'}
            {caret.caret}
          </pre>
        </div>
      ) : null}
    </FieldSet>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  query: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  error: css({ color: theme.colors.error.text, marginBottom: theme.spacing(2) }),
  caret: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    color: theme.colors.error.text,
    background: theme.colors.background.secondary,
    margin: theme.spacing(0.5, 0, 0, 0),
    padding: theme.spacing(0.5, 1),
    whiteSpace: 'pre',
    overflowX: 'auto',
  }),
});
