import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { BackendSrvRequest } from '@grafana/runtime';
import { type CannedResponse, installFakeBackendSrv } from '../../../testing/fakeBackendSrv';
import { previewResponse, ruleResource } from '../../../testing/rules';
import { testIds } from '../../../testIds';
import { defaultFormValues, toFormValues } from './formModel';
import { RuleForm } from './RuleForm';

const ids = testIds.ruleEditor;
const datasources = [{ name: 'prometheus', type: 'prometheus', url: 'http://p' }];

function setup(
  respond: (req: BackendSrvRequest) => CannedResponse,
  props: Partial<React.ComponentProps<typeof RuleForm>> = {}
) {
  const fake = installFakeBackendSrv(respond);
  const onSaved = jest.fn();
  render(
    <RuleForm
      initial={{ ...defaultFormValues(), datasource: 'prometheus' }}
      readOnly={false}
      datasources={datasources}
      detectors={[]}
      onSaved={onSaved}
      onCancel={() => {}}
      previewDebounceMs={0}
      {...props}
    />
  );
  return { fake, onSaved };
}

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('RuleForm', () => {
  test('a complete form is backtested, then saved as a RuleBody', async () => {
    const { fake, onSaved } = setup((req) =>
      req.url.endsWith('/rules/preview')
        ? { status: 200, body: previewResponse() }
        : { status: 201, body: ruleResource({ id: 'high_cpu' }) }
    );
    expect(screen.getByText(/Fill in the query and the condition/)).toBeInTheDocument();
    type(ids.name, 'High CPU');
    type(ids.query, 'cpu_usage');
    type(ids.threshold, '80');
    await waitFor(() => expect(screen.getByTestId(testIds.preview.summary)).toHaveAttribute('data-fired', '1'));
    expect(screen.getByTestId(testIds.preview.summary)).toHaveTextContent('Would have fired once in the last 24 hours');
    expect(screen.getByTestId(testIds.preview.chart).tagName).toBe('CANVAS');
    expect(screen.getAllByTestId(testIds.preview.event)).toHaveLength(2);
    const preview = fake.requests.find((r) => r.url.endsWith('/rules/preview'));
    expect(preview?.params?.to - preview?.params?.from).toBe(86_400_000);

    fireEvent.click(screen.getByTestId(ids.save));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const post = fake.requests.find((r) => r.method === 'POST' && r.url.endsWith('/rules'));
    expect(post?.data).toMatchObject({
      name: 'High CPU',
      severity: 'warning',
      datasource: 'prometheus',
      query: 'cpu_usage',
      condition: { kind: 'threshold', op: '>', threshold: 80 },
      for: '5m',
      interval: '1m',
    });
  });

  test('missing fields are named and nothing is sent', async () => {
    const { fake } = setup(() => ({ status: 500, body: {} }));
    fireEvent.click(screen.getByTestId(ids.save));
    expect(await screen.findByText('A rule needs a name')).toBeInTheDocument();
    expect(screen.getByText('A rule needs a query')).toBeInTheDocument();
    expect(screen.getByTestId(ids.saveError)).toHaveTextContent('Some fields need attention');
    expect(fake.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/rules'))).toHaveLength(0);
  });

  test("the sidecar's query error is shown with a caret under its position", async () => {
    setup((req) =>
      req.url.endsWith('/rules/preview')
        ? { status: 200, body: previewResponse() }
        : {
            status: 400,
            body: {
              error: {
                code: 'invalid_rule',
                message: 'query: unexpected right parenthesis',
                fields: [{ field: 'query', message: 'unexpected right parenthesis ")"', position: 10 }],
              },
            },
          }
    );
    type(ids.name, 'Bad');
    type(ids.query, 'rate(x[5m]))');
    type(ids.threshold, '1');
    // Enter in a text field submits the form, as a keyboard user expects.
    fireEvent.submit(screen.getByTestId(ids.form));
    const error = await screen.findByTestId(ids.queryError);
    expect(error).toHaveTextContent('unexpected right parenthesis ")" (line 1, column 11)');
    expect(error.querySelector('pre')?.textContent).toBe('rate(x[5m]))\n          ^');
    expect(screen.getByTestId(ids.saveError)).toHaveTextContent('HTTP 400 query: unexpected right parenthesis');
    // Editing the query clears the caret.
    type(ids.query, 'rate(x[5m])');
    expect(screen.queryByTestId(ids.queryError)).not.toBeInTheDocument();
  });

  test('an edit sends PUT with the loaded version', async () => {
    const rule = ruleResource();
    const { fake, onSaved } = setup(
      (req) => (req.url.endsWith('/preview') ? { status: 200, body: previewResponse() } : { status: 200, body: rule }),
      { initial: toFormValues(rule), ruleId: rule.id, version: rule.version }
    );
    type(ids.threshold, '90');
    fireEvent.click(screen.getByTestId(ids.save));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const put = fake.requests.find((r) => r.method === 'PUT');
    expect(put?.url).toMatch(/\/rules\/high_cpu_usage$/);
    expect(put?.headers).toEqual({ 'If-Match': '3' });
    expect(put?.data).toMatchObject({ condition: { threshold: 90 } });
  });

  test('a read-only rule: inputs disabled, no save, the saved rule is backtested', async () => {
    const rule = ruleResource({ origin: 'file', readOnly: true });
    const { fake } = setup(() => ({ status: 200, body: previewResponse() }), {
      initial: toFormValues(rule),
      ruleId: rule.id,
      readOnly: true,
    });
    expect(screen.getByTestId(ids.name)).toBeDisabled();
    expect(screen.getByTestId(ids.query)).toBeDisabled();
    expect(screen.queryByTestId(ids.save)).not.toBeInTheDocument();
    await screen.findByTestId(testIds.preview.summary);
    expect(fake.requests.map((r) => `${r.method} ${r.url.split('/api/v1')[1]}`)).toEqual([
      'GET /rules/high_cpu_usage/preview',
    ]);
  });

  test('a failed preview shows its error state', async () => {
    setup(() => ({ status: 502, body: {} }));
    type(ids.query, 'up');
    type(ids.threshold, '1');
    expect(await screen.findByTestId(testIds.preview.error)).toHaveTextContent('could not be reached');
  });

  test('typing is debounced: one backtest after the last change, and Run preview runs at once', async () => {
    jest.useFakeTimers();
    try {
      const { fake } = setup(() => ({ status: 200, body: previewResponse() }), { previewDebounceMs: 800 });
      type(ids.query, 'cpu_usage');
      for (const t of ['8', '80', '800']) {
        type(ids.threshold, t);
        act(() => jest.advanceTimersByTime(300));
      }
      const previews = () => fake.requests.filter((r) => r.url.endsWith('/rules/preview')).length;
      expect(previews()).toBe(0);
      act(() => jest.advanceTimersByTime(500));
      expect(previews()).toBe(1);
      expect(fake.requests[0].data).toMatchObject({ condition: { threshold: 800 } });
      fireEvent.click(screen.getByTestId(testIds.preview.run));
      act(() => jest.advanceTimersByTime(0));
      expect(previews()).toBe(2);
      // Let the answers land inside act.
      await act(async () => {
        await Promise.resolve();
      });
    } finally {
      jest.useRealTimers();
    }
  });
});
