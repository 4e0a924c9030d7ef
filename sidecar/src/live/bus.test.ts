// The live bus alone: fan-out in order with increasing ids, type filters, a subscriber that falls
// behind dropped without holding the publisher or the others, unsubscribe, and close.
import type { StreamEvent } from '@vigil/core';
import { createLiveBus } from './bus';

const alert = (fp: string): StreamEvent => ({
  type: 'alert',
  at: '2026-12-07T03:00:00.000Z',
  fingerprint: fp,
  status: 'firing',
  labels: { alertname: fp },
  incidentId: null,
});
const anomaly = (id: string): StreamEvent => ({
  type: 'anomaly',
  at: '2026-12-07T03:00:00.000Z',
  id,
  seriesKey: 'cpu{service="api"}',
  severity: 'warning',
  message: 'cpu above its band',
});
const fp = (e: { event: StreamEvent } | null) => (e?.event.type === 'alert' ? e.event.fingerprint : e?.event.type);

describe('live bus', () => {
  it('hands every event to every subscriber in order, with increasing ids', async () => {
    const bus = createLiveBus();
    const a = bus.subscribe();
    const b = bus.subscribe();
    const waiting = a.next();
    bus.publish(alert('x'));
    bus.publish(alert('y'));
    expect(await waiting).toEqual({ id: 1, event: alert('x') });
    expect(await a.next()).toEqual({ id: 2, event: alert('y') });
    expect([fp(await b.next()), fp(await b.next())]).toEqual(['x', 'y']);
    expect(bus.subscribers).toBe(2);
  });

  it('filters by type (ids keep counting)', async () => {
    const bus = createLiveBus();
    const only = bus.subscribe({ types: ['anomaly'] });
    bus.publish(alert('x'));
    bus.publish(anomaly('a1'));
    expect(await only.next()).toEqual({ id: 2, event: anomaly('a1') });
  });

  it('drops a subscriber that falls behind; the publisher and the others go on', async () => {
    const bus = createLiveBus({ maxBuffered: 3 });
    const slow = bus.subscribe();
    const fast = bus.subscribe({ maxBuffered: 100 });
    for (let i = 0; i < 10; i++) {
      bus.publish(alert(`a${i}`));
    }
    expect(slow.ended).toBe('overflow');
    expect(await slow.done).toBe('overflow');
    expect(await slow.next()).toBeNull();
    expect(bus.dropped).toBe(1);
    expect(bus.subscribers).toBe(1);
    const got: unknown[] = [];
    for (let i = 0; i < 10; i++) {
      got.push(fp(await fast.next()));
    }
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
  });

  it('ends a waiting reader on close, and every subscription on bus close (also later ones)', async () => {
    const bus = createLiveBus();
    const a = bus.subscribe();
    const waiting = a.next();
    a.close();
    expect(await waiting).toBeNull();
    expect(a.ended).toBe('unsubscribed');
    const b = bus.subscribe();
    const bWaiting = b.next();
    bus.close();
    expect(await bWaiting).toBeNull();
    expect(await b.done).toBe('bus_closed');
    expect(bus.subscribers).toBe(0);
    const late = bus.subscribe();
    expect(late.ended).toBe('bus_closed');
    bus.publish(alert('after'));
    expect(await late.next()).toBeNull();
    expect(bus.dropped).toBe(0);
  });
});
