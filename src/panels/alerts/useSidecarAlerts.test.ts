// The alert summary's sidecar list follows the live stream: an alert event (a burst of them) reloads
// the list once, after a short debounce; with the sidecar source off there is no stream at all.
import { act, renderHook, waitFor } from '@testing-library/react';
import { FakeEventSource } from '../../testing/eventSource';
import { STREAM_DEBOUNCE_MS, useSidecarAlerts } from './useSidecarAlerts';

jest.mock('../../api/rules', () => ({ listAlerts: jest.fn() }));
const { listAlerts } = require('../../api/rules') as { listAlerts: jest.Mock };

const alertEvent = (fp: string) => ({
  type: 'alert',
  at: '2026-12-07T03:00:00.000Z',
  fingerprint: fp,
  status: 'firing',
  labels: { alertname: 'A' },
  incidentId: null,
});

describe('useSidecarAlerts', () => {
  let restore: () => void;
  beforeEach(() => {
    restore = FakeEventSource.install();
    listAlerts.mockReset();
    listAlerts.mockResolvedValue({ alerts: [] });
  });
  afterEach(() => restore());

  it('reloads once for a burst of alert events', async () => {
    const hook = renderHook(() => useSidecarAlerts(true, 'range-1'));
    await waitFor(() => expect(hook.result.current.status).toBe('done'));
    expect(listAlerts).toHaveBeenCalledTimes(1);
    const es = FakeEventSource.last();
    jest.useFakeTimers();
    try {
      act(() => {
        for (const fp of ['a', 'b', 'c']) {
          es.emit('alert', alertEvent(fp));
        }
      });
      expect(listAlerts).toHaveBeenCalledTimes(1);
      await act(async () => {
        jest.advanceTimersByTime(STREAM_DEBOUNCE_MS);
      });
    } finally {
      jest.useRealTimers();
    }
    await waitFor(() => expect(listAlerts).toHaveBeenCalledTimes(2));
    hook.unmount();
    expect(es.closed).toBe(true);
  });

  it('opens no stream when the sidecar source is off', () => {
    const hook = renderHook(() => useSidecarAlerts(false, 'range-1'));
    expect(hook.result.current.status).toBe('off');
    expect(FakeEventSource.instances).toHaveLength(0);
    expect(listAlerts).not.toHaveBeenCalled();
  });
});
