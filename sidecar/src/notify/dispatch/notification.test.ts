// A group's alerts as the Notification the channels render (Alertmanager's webhook data shape).
import type { NotifyAlertRecord } from '../../store/notifyStore';
import { GO_ZERO_TIME } from '../types';
import { buildNotification, commonPairs } from './notification';

const T0 = Date.UTC(2026, 11, 7, 3, 0, 0);

const rec = (fp: string, over: Partial<NotifyAlertRecord> = {}): NotifyAlertRecord => ({
  fingerprint: fp,
  source: 'rule',
  status: 'firing',
  labels: { alertname: 'HighLatency', severity: 'critical', instance: fp },
  annotations: { summary: 'latency high', description: `on ${fp}` },
  startsAt: T0,
  endsAt: null,
  value: 1.5,
  threshold: 1,
  actions: [],
  updatedAt: T0,
  ...over,
});

describe('buildNotification', () => {
  const ctx = {
    groupKey: '{}:{alertname="HighLatency"}',
    receiver: 'pd',
    groupLabels: { alertname: 'HighLatency' },
    externalURL: 'http://x',
  };

  it('puts firing alerts first, in label order, with RFC 3339 times and Go zero time for a firing end', () => {
    const n = buildNotification(
      [rec('b'), rec('c', { status: 'resolved', endsAt: T0 + 60_000 }), rec('a', { generatorURL: 'http://gen' })],
      ctx
    );
    expect(n.status).toBe('firing');
    expect(n.alerts.map((a) => [a.fingerprint, a.status, a.endsAt])).toEqual([
      ['a', 'firing', GO_ZERO_TIME],
      ['b', 'firing', GO_ZERO_TIME],
      ['c', 'resolved', '2026-12-07T03:01:00.000Z'],
    ]);
    expect(n.alerts[0]).toMatchObject({
      startsAt: '2026-12-07T03:00:00.000Z',
      generatorURL: 'http://gen',
      value: 1.5,
      threshold: 1,
    });
    expect(n.alerts[1]).not.toHaveProperty('generatorURL');
    expect(n.commonLabels).toEqual({ alertname: 'HighLatency', severity: 'critical' });
    expect(n.commonAnnotations).toEqual({ summary: 'latency high' });
    expect(n).toMatchObject({
      groupKey: ctx.groupKey,
      receiver: 'pd',
      groupLabels: ctx.groupLabels,
      externalURL: 'http://x',
    });
  });

  it('orders by the sorted name=value text of each alert, whatever label names it has', () => {
    const labels: Array<Record<string, string>> = [
      { alertname: 'X', zone: 'b', instance: 'i1' }, // alertname=X,instance=i1,zone=b
      { instance: 'i1', alertname: 'X', zone: 'a' }, // alertname=X,instance=i1,zone=a
      { alertname: 'X', cluster: 'c' }, // alertname=X,cluster=c
      { alertname: 'X', zone: 'a', instance: 'i0' }, // alertname=X,instance=i0,zone=a
      { a: 'z', alertname: 'X' }, // a=z,alertname=X
    ];
    const n = buildNotification(
      labels.map((l, i) => rec(`f${i}`, { labels: l })),
      ctx
    );
    expect(n.alerts.map((a) => a.fingerprint)).toEqual(['f4', 'f2', 'f3', 'f1', 'f0']);
  });

  it('is resolved when every alert is, dating an end-less resolve at its update', () => {
    const n = buildNotification([rec('a', { status: 'resolved', endsAt: null, updatedAt: T0 + 5000 })], ctx);
    expect(n.status).toBe('resolved');
    expect(n.alerts[0].endsAt).toBe('2026-12-07T03:00:05.000Z');
  });

  it('keeps only pairs every record shares', () => {
    expect(commonPairs([])).toEqual({});
    expect(commonPairs([{ a: '1', b: '2' }, { a: '1', b: '3' }, { a: '1' }])).toEqual({ a: '1' });
  });
});
