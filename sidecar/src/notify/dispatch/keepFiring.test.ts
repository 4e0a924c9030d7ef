import { CORRELATION_DEFAULTS } from '@vigil/core';
import type { CorrelationSettings } from '../../config/correlationSchema';
import type { Store } from '../../store/store';
import {
  DispatchRig,
  FakeClock,
  inbound,
  payloadAlerts,
  resolvedOf,
  SECOND,
  T0,
  testNotifyConfig,
} from '../../testing/dispatch';
import { describeEachStore } from '../../testing/storeBackends';
import { correlateBatch, resolveHeld } from './correlation';

const MINUTE = 60 * SECOND;
const settings: CorrelationSettings = {
  enabled: true,
  config: CORRELATION_DEFAULTS,
  keepFiringForMs: 5 * MINUTE,
  topology: { dependsOn: {} },
};

/**
 * A check that fails, recovers just before the group's next flush, fails again a minute later and
 * recovers: passes at every change and at every flush (group_wait 30 s, group_interval 5 min).
 */
async function flap(rig: DispatchRig): Promise<void> {
  const check = inbound('chk', { labels: { alertname: 'ProbeFailed', severity: 'critical', service: 'shipping' } });
  await rig.push(check);
  await rig.passAt(1 * SECOND);
  await rig.passAt(31 * SECOND);
  rig.clock.at(5 * MINUTE);
  await rig.push(resolvedOf(check, rig.clock.now()));
  await rig.passAt(5 * MINUTE + 1 * SECOND);
  await rig.passAt(5 * MINUTE + 31 * SECOND);
  rig.clock.at(6 * MINUTE);
  await rig.push({ ...check, startsAt: rig.clock.now(), at: rig.clock.now() });
  for (const at of [6 * MINUTE + SECOND, 6 * MINUTE + 31 * SECOND, 10 * MINUTE]) {
    await rig.passAt(at);
  }
  await rig.push(resolvedOf(check, rig.clock.now()));
  for (let at = 10 * MINUTE + SECOND; at <= 25 * MINUTE; at += 30 * SECOND) {
    await rig.passAt(at);
  }
}

describeEachStore('correlation.keepFiringFor', ({ open }) => {
  let store: Store;

  const rigWith = async (keepIncidentsFiringForMs: number) => {
    store = await open();
    let n = 0;
    return new DispatchRig(store, testNotifyConfig(), new FakeClock(), {
      keepIncidentsFiringForMs,
      correlate: (entries, now) =>
        correlateBatch(entries, store, held(keepIncidentsFiringForMs), settings.topology, now, () => `inc-${++n}`),
      afterFlush: async (now) => {
        await resolveHeld(store, held(keepIncidentsFiringForMs), settings.topology, now);
      },
    });
  };
  // One settings object per hold (correlation keeps its state per store and settings).
  const bySetting = new Map<number, CorrelationSettings>();
  const held = (keepFiringForMs: number) => {
    if (!bySetting.has(keepFiringForMs)) {
      bySetting.set(keepFiringForMs, { ...settings, keepFiringForMs });
    }
    return bySetting.get(keepFiringForMs)!;
  };

  /** The incidents' states and their timelines' kinds (incident id → kinds) after the flap. */
  const incidentsAfter = async (rig: DispatchRig) => {
    const all = await store.listIncidents();
    return Promise.all(
      all.map(async (i) => ({
        id: i.id,
        state: i.state,
        resolvedAt: i.resolvedAt === null ? null : i.resolvedAt - T0,
        kinds: (await store.incidentTimeline(i.id)).map((t) => t.kind),
        at: rig.clock.now() - T0,
      }))
    );
  };

  it('pages a flapping incident once and resolves it once, keepFiringFor after its last recovery', async () => {
    const rig = await rigWith(5 * MINUTE);
    await flap(rig);
    const rows = await rig.outbox();
    expect(rows.map((r) => payloadAlerts(r.payload))).toEqual([
      [{ fingerprint: 'chk', status: 'firing' }],
      [{ fingerprint: 'chk', status: 'resolved' }],
    ]);
    // The resolve waited: sent at the first flush 5 min after the last recovery (10 min).
    expect(rows[1].createdAt - T0).toBeGreaterThanOrEqual(15 * MINUTE);
  });

  it('without it, Alertmanager semantics: every recovery seen at a flush is a resolve and every failure a page', async () => {
    const rig = await rigWith(0);
    await flap(rig);
    const rows = await rig.outbox();
    expect(rows.map((r) => payloadAlerts(r.payload)[0].status)).toEqual(['firing', 'resolved', 'firing', 'resolved']);
  });

  it('keeps the incident open while keepFiringFor holds its page, and resolves it when the hold ends', async () => {
    const rig = await rigWith(5 * MINUTE);
    const check = inbound('chk', { labels: { alertname: 'ProbeFailed', severity: 'critical', service: 'shipping' } });
    await rig.push(check);
    await rig.passAt(1 * SECOND);
    await rig.passAt(31 * SECOND);
    rig.clock.at(5 * MINUTE);
    await rig.push(resolvedOf(check, rig.clock.now()));
    await rig.passAt(5 * MINUTE + 1 * SECOND);
    await rig.passAt(5 * MINUTE + 31 * SECOND);
    // Every alert resolved, but the page holds until 10 min: the incident is still open.
    expect((await store.listIncidents()).map((i) => i.state)).toEqual(['open']);
    await rig.passAt(9 * MINUTE + 59 * SECOND);
    expect((await store.listIncidents()).map((i) => i.state)).toEqual(['open']);
    // The hold is over: the incident resolves at the next pass, the page at the group's next flush.
    await rig.passAt(10 * MINUTE + 1 * SECOND);
    expect(await incidentsAfter(rig)).toEqual([
      {
        id: 'inc-1',
        state: 'resolved',
        resolvedAt: 10 * MINUTE + 1 * SECOND,
        kinds: ['opened', 'alert_resolved', 'resolved'],
        at: 10 * MINUTE + 1 * SECOND,
      },
    ]);
    await rig.passAt(10 * MINUTE + 31 * SECOND);
    const rows = await rig.outbox();
    expect(rows.map((r) => payloadAlerts(r.payload))).toEqual([
      [{ fingerprint: 'chk', status: 'firing' }],
      [{ fingerprint: 'chk', status: 'resolved' }],
    ]);
  });

  it('a flapping incident stays one open incident through the flap, resolved once', async () => {
    const rig = await rigWith(5 * MINUTE);
    await flap(rig);
    const [incident, ...others] = await incidentsAfter(rig);
    expect(others).toEqual([]);
    expect(incident.state).toBe('resolved');
    // Never resolved (nor reopened) in between: one resolution, 5 min after the last recovery (10 min).
    expect(incident.kinds.filter((k) => k === 'resolved' || k === 'reopened')).toEqual(['resolved']);
    expect(incident.resolvedAt).toBeGreaterThanOrEqual(15 * MINUTE);
  });

  it('without it, the incident resolves at the first recovery (the next failure opens another)', async () => {
    const rig = await rigWith(0);
    await flap(rig);
    const incidents = await incidentsAfter(rig);
    expect(incidents.map((i) => [i.state, i.resolvedAt])).toEqual([
      ['resolved', 10 * MINUTE + SECOND],
      ['resolved', 5 * MINUTE + SECOND],
    ]);
  });
});
