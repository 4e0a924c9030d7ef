import React from 'react';

/** Props of {@link TestIdBox}: `invalid`, `disabled` and `loading` are what `<Field>` passes its child. */
export interface TestIdBoxProps {
  testId: string;
  children: React.ReactNode;
  invalid?: boolean;
  disabled?: boolean;
  loading?: boolean;
}

/**
 * A `data-testid` wrapper for inputs that take no test id of their own (RadioButtonGroup) or whose test
 * id would land on an inner element (Select). Placed as a `<Field>`'s child it swallows the props the
 * Field clones onto its child, which a bare `<div>` would pass to the DOM as unknown attributes.
 */
export function TestIdBox({ testId, children }: TestIdBoxProps) {
  return <div data-testid={testId}>{children}</div>;
}
