import { act, renderHook } from '@testing-library/react';
import { config } from '@grafana/runtime';
import type { StreamEvent } from '@vigil/core';
import { FakeEventSource } from '../testing/eventSource';
import { incidentView } from '../testing/incidents';
import { parseStreamEvent, POLL_MS, STREAM_PATH, streamUrl, useSidecarStream } from './stream';

const AT = '2026-01-01T10:00:00.000Z';
const alertEvent = {
  type: 'alert',
  at: AT,
  fingerprint: 'fp-api',
  status: 'firing',
  labels: { alertname: 'HighErrorRate', service: 'api' },
  incidentId: 'inc-1',
};

describe('parseStreamEvent', () => {
  test('each kind the sidecar sends, by its event name or (unnamed) by its type', () => {
    expect(parseStreamEvent('alert', JSON.stringify(alertEvent))).toEqual(alertEvent);
    expect(parseStreamEvent('message', JSON.stringify(alertEvent))).toEqual(alertEvent);
    const incident = { type: 'incident', at: AT, incident: incidentView() };
    expect(parseStreamEvent('incident', JSON.stringify(incident))).toEqual(incident);
    const anomaly = {
      type: 'anomaly',
      at: AT,
      id: 'an-1',
      seriesKey: 'lat{service="api"}',
      severity: 'error',
      message: 'm',
    };
    expect(parseStreamEvent('anomaly', JSON.stringify(anomaly))).toEqual(anomaly);
    // The event name alone is enough when the JSON leaves `type` out.
    const { type: _, ...untyped } = alertEvent;
    expect(parseStreamEvent('alert', JSON.stringify(untyped))).toEqual(alertEvent);
    // An alert not (yet) in an incident.
    expect(parseStreamEvent('alert', JSON.stringify({ ...alertEvent, incidentId: null }))?.type).toBe('alert');
  });

  test.each([
    ['not JSON', 'alert', 'firing!'],
    ['JSON but not an object', 'alert', '[1,2]'],
    ['no time', 'alert', JSON.stringify({ ...alertEvent, at: undefined })],
    ['type contradicts the event name', 'incident', JSON.stringify(alertEvent)],
    ['a kind this page does not know', 'message', JSON.stringify({ type: 'slo', at: AT })],
    ['an alert with a bad status', 'alert', JSON.stringify({ ...alertEvent, status: 'pending' })],
    ['an alert with non-string labels', 'alert', JSON.stringify({ ...alertEvent, labels: { n: 1 } })],
    ['an incident without its incident', 'incident', JSON.stringify({ type: 'incident', at: AT })],
    [
      'an incident missing its root cause',
      'incident',
      JSON.stringify({ type: 'incident', at: AT, incident: { ...incidentView(), rootCause: null } }),
    ],
    [
      'an anomaly without a message',
      'anomaly',
      JSON.stringify({ type: 'anomaly', at: AT, id: 'a', seriesKey: 's', severity: 'info' }),
    ],
  ])('%s: ignored (null)', (_what, name, data) => {
    expect(parseStreamEvent(name, data)).toBeNull();
  });

  test("the URL goes through the plugin proxy, under Grafana's sub-path when there is one", () => {
    expect(STREAM_PATH).toBe('/api/plugin-proxy/vigil-observability-app/sidecar/api/v1/stream');
    expect(streamUrl()).toBe(STREAM_PATH);
    const before = config.appSubUrl;
    config.appSubUrl = '/grafana/';
    try {
      expect(streamUrl()).toBe(`/grafana${STREAM_PATH}`);
    } finally {
      config.appSubUrl = before;
    }
  });
});

describe('useSidecarStream', () => {
  let restore: () => void;
  beforeEach(() => {
    jest.useFakeTimers();
    restore = FakeEventSource.install();
  });
  afterEach(() => {
    restore();
    jest.useRealTimers();
  });

  function mount(types?: Array<StreamEvent['type']>) {
    const events: StreamEvent[] = [];
    const resyncs = { n: 0 };
    const hook = renderHook(() => useSidecarStream((e) => events.push(e), { types, onResync: () => resyncs.n++ }));
    return { events, resyncs, hook };
  }

  test('opens the proxy URL, is live once open (reloading once), and hands over the wanted events only', () => {
    const { events, resyncs, hook } = mount(['alert', 'incident']);
    const es = FakeEventSource.last();
    expect(es.url).toBe(STREAM_PATH);
    expect(hook.result.current).toBe('connecting');
    act(() => es.open());
    expect(hook.result.current).toBe('live');
    expect(resyncs.n).toBe(1);
    act(() => {
      es.emit('alert', alertEvent);
      es.emit('anomaly', { type: 'anomaly', at: AT, id: 'a', seriesKey: 's', severity: 'info', message: 'm' });
      es.emit('alert', 'garbage');
      es.emit('incident', { type: 'incident', at: AT, incident: incidentView() });
    });
    expect(events.map((e) => e.type)).toEqual(['alert', 'incident']);
    hook.unmount();
    expect(es.closed).toBe(true);
  });

  test('a dropped connection: polls every 30 s while the browser retries, and reloads once it is back', () => {
    const { resyncs, hook } = mount();
    const es = FakeEventSource.last();
    act(() => es.open());
    act(() => es.fail(true));
    expect(hook.result.current).toBe('polling');
    expect(FakeEventSource.instances).toHaveLength(1); // the browser reconnects this one itself
    act(() => jest.advanceTimersByTime(2 * POLL_MS));
    expect(resyncs.n).toBe(1 + 2);
    act(() => es.open());
    expect(hook.result.current).toBe('live');
    expect(resyncs.n).toBe(4);
    act(() => jest.advanceTimersByTime(3 * POLL_MS));
    expect(resyncs.n).toBe(4); // no polling while live
  });

  test('a stream the browser gave up on (HTTP error) is reopened after 1 s, 2 s, 5 s…, polling meanwhile', () => {
    const { events, resyncs, hook } = mount();
    const first = FakeEventSource.last();
    act(() => first.fail(false));
    expect(first.closed).toBe(true);
    expect(hook.result.current).toBe('polling');
    act(() => jest.advanceTimersByTime(999));
    expect(FakeEventSource.instances).toHaveLength(1);
    act(() => jest.advanceTimersByTime(1));
    expect(FakeEventSource.instances).toHaveLength(2);
    act(() => FakeEventSource.last().fail(false));
    act(() => jest.advanceTimersByTime(1999));
    expect(FakeEventSource.instances).toHaveLength(2);
    act(() => jest.advanceTimersByTime(1));
    expect(FakeEventSource.instances).toHaveLength(3);
    act(() => FakeEventSource.last().open());
    expect(hook.result.current).toBe('live');
    expect(resyncs.n).toBe(1);
    act(() => FakeEventSource.last().emit('alert', alertEvent));
    expect(events).toHaveLength(1);
    // Open again: the next failure waits 1 s again.
    act(() => FakeEventSource.last().fail(false));
    act(() => jest.advanceTimersByTime(1000));
    expect(FakeEventSource.instances).toHaveLength(4);
    hook.unmount();
    act(() => jest.advanceTimersByTime(60_000));
    expect(FakeEventSource.instances).toHaveLength(4); // nothing reopens after unmount
  });

  test('without EventSource (an old browser) the page polls', () => {
    restore();
    const w = window as unknown as { EventSource?: unknown };
    const before = w.EventSource;
    delete w.EventSource;
    try {
      const { resyncs, hook } = mount();
      expect(hook.result.current).toBe('polling');
      act(() => jest.advanceTimersByTime(POLL_MS));
      expect(resyncs.n).toBe(1);
      hook.unmount();
    } finally {
      w.EventSource = before;
      restore = FakeEventSource.install();
    }
  });
});
