import { defaultSloForm, sloFormErrorsFromSidecar, sloFormFromSpec, sloSpecFromForm, validateSloForm } from './sloForm';

const guide = {
  latency: {
    id: 'api_response_time',
    name: 'API response time',
    service: 'api',
    target: 95,
    window: '28d',
    sli: { latency: { histogram: 'http_request_duration_seconds', matchers: 'job="api"', threshold: '500ms' } },
    datasource: 'prometheus',
    minEvents: 100,
    labels: { team: 'platform' },
    measurementWindow: '1h',
  },
  calendar: {
    id: 'data_pipeline_success',
    name: 'Data pipeline success',
    service: 'data-pipeline',
    target: 99.5,
    window: { calendar: 'month', timeZone: 'Europe/Berlin' },
    sli: { ratio: { bad: 'sum(increase(f[$__range]))', total: 'sum(increase(t[$__range]))' } },
    datasource: 'prometheus',
    alerting: { page: false, ticket: true },
  },
  timeslice: {
    id: 'checkout_p95',
    name: 'Checkout',
    service: 'checkout',
    target: 99,
    window: '30d',
    sli: { timeslice: { query: 'q', op: '<', threshold: 0.3, slice: '5m' } },
    datasource: 'prometheus',
  },
};

describe('SLO form model', () => {
  test.each(Object.entries(guide))(
    '%s: spec → form → spec keeps every field (and what the form does not edit)',
    (_k, spec) => {
      const back = sloSpecFromForm(sloFormFromSpec(spec), spec);
      expect(back).toEqual({
        minEvents: 0,
        alerting: { page: true, ticket: true },
        ...spec,
      });
    }
  );

  test('a new form is a valid 99.9% ratio SLO once named and queried', () => {
    const v = {
      ...defaultSloForm('prometheus'),
      id: 'a',
      name: 'A',
      service: 's',
      ratioEvents: ' good ',
      ratioTotal: 'total',
    };
    expect(validateSloForm(v)).toEqual({});
    expect(sloSpecFromForm(v)).toEqual({
      id: 'a',
      name: 'A',
      service: 's',
      target: 99.9,
      window: '30d',
      sli: { ratio: { good: 'good', total: 'total' } },
      datasource: 'prometheus',
      minEvents: 0,
      alerting: { page: true, ticket: true },
    });
  });

  test('the form names what it can check itself', () => {
    expect(validateSloForm({ ...defaultSloForm(), target: '100', minEvents: '1.5' })).toEqual({
      id: 'required',
      name: 'required',
      service: 'required',
      target: expect.stringMatching(/between 0 and 100/),
      minEvents: expect.stringMatching(/whole number/),
    });
  });

  test("the sidecar's field errors land under their fields; unknown ones in general, with their path", () => {
    expect(
      sloFormErrorsFromSidecar([
        { field: 'sli.ratio.total', message: 'required' },
        { field: 'window.timeZone', message: 'unknown time zone "Mars/Base"' },
        { field: 'datasource', message: 'unknown datasource "x"' },
        { field: 'labels.__x', message: 'reserved' },
        { field: 'measurementWindow', message: 'bad' },
      ])
    ).toEqual({
      ratioTotal: 'required',
      timeZone: 'unknown time zone "Mars/Base"',
      datasource: 'unknown datasource "x"',
      general: 'labels.__x: reserved; measurementWindow: bad',
    });
  });
});
