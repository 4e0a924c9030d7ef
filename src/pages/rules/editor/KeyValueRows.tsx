import React from 'react';
import { Button, FieldValidationMessage, IconButton, Input, Stack } from '@grafana/ui';
import type { KeyValueRow } from './formModel';

/** Props of {@link KeyValueRows}. */
export interface KeyValueRowsProps {
  /** Singular noun for labels and buttons ("label", "annotation"). */
  noun: string;
  rows: KeyValueRow[];
  /** Problem of each row, by index. */
  errorOf(index: number): string | undefined;
  readOnly: boolean;
  onChange(rows: KeyValueRow[]): void;
  keyTestId: string;
  valueTestId: string;
  addTestId: string;
}

/** Editable key/value rows with add and remove buttons (labels and custom annotations). */
export function KeyValueRows({
  noun,
  rows,
  errorOf,
  readOnly,
  onChange,
  keyTestId,
  valueTestId,
  addTestId,
}: KeyValueRowsProps) {
  const set = (i: number, patch: Partial<KeyValueRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack direction="column" gap={1}>
      {rows.map((row, i) => (
        <div key={i}>
          <Stack gap={1} alignItems="center">
            {/* Explicit ids: inside a Field, Grafana 13 would give every input the field's one id. */}
            <Input
              id={`${noun}-${i}-name`}
              aria-label={`${noun} ${i + 1} name`}
              data-testid={keyTestId}
              placeholder="name"
              width={24}
              disabled={readOnly}
              invalid={Boolean(errorOf(i))}
              value={row.key}
              onChange={(e) => set(i, { key: e.currentTarget.value })}
            />
            <Input
              id={`${noun}-${i}-value`}
              aria-label={`${noun} ${i + 1} value`}
              data-testid={valueTestId}
              placeholder="value"
              disabled={readOnly}
              value={row.value}
              onChange={(e) => set(i, { value: e.currentTarget.value })}
            />
            {readOnly ? null : (
              <IconButton
                name="trash-alt"
                tooltip={`Remove this ${noun}`}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              />
            )}
          </Stack>
          {errorOf(i) ? <FieldValidationMessage>{errorOf(i)}</FieldValidationMessage> : null}
        </div>
      ))}
      {readOnly ? null : (
        <div>
          <Button
            type="button"
            size="sm"
            variant="secondary"
            icon="plus"
            data-testid={addTestId}
            onClick={() => onChange([...rows, { key: '', value: '' }])}
          >
            Add {noun}
          </Button>
        </div>
      )}
    </Stack>
  );
}
