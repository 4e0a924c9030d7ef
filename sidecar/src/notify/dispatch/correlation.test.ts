// Correlation in the dispatcher, on a real store (SQLite and PostgreSQL: describeEachStore) with a fake clock: a cascade pages once, with
// its root cause; suppressed alerts are recorded, not routed; the incident resolves with its alerts;
// an unrelated failure is a second incident and a second page.
import { CORRELATION_DEFAULTS, incidentSeverity, incidentTitle, rootCause } from '@vigil/core';
import type { CorrelationSettings } from '../../config/correlationSchema';
import type { IncidentAlertRecord } from '../../store/incidentStore';
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
import { correlateBatch, newIncidentId, type CorrelatedBatch } from './correlation';

// The demo's call graph: gateway → api → orders → payments / database.
const settings: CorrelationSettings = {
  enabled: true,
  config: CORRELATION_DEFAULTS,
  keepFiringForMs: 0,
  topology: { dependsOn: { gateway: ['api'], api: ['orders'], orders: ['payments', 'database'] } },
};

const alert = (fp: string, service: string, severity: string, alertname: string) =>
  inbound(fp, { labels: { alertname, severity, service, instance: fp } });

describeEachStore('correlation in the dispatcher', ({ open }) => {
  let store: Store;
  let rig: DispatchRig;
  beforeEach(async () => {
    store = await open();
    let n = 0;
    rig = new DispatchRig(store, testNotifyConfig(), new FakeClock(), {
      correlate: (entries, now) => correlateBatch(entries, store, settings, settings.topology, now, () => `inc-${++n}`),
    });
  });
  it('pages a database-down cascade once, naming the database; the downstream alerts are suppressed', async () => {
    const db = alert('db', 'database', 'critical', 'ServiceDown');
    const cascade = [
      alert('orders', 'orders', 'error', 'HighErrorRate'),
      alert('api', 'api', 'error', 'HighErrorRate'),
      alert('gw', 'gateway', 'warning', 'HighLatency'),
    ];
    await rig.push(db);
    await rig.passAt(1 * SECOND);
    await rig.push(...cascade);
    await rig.passAt(5 * SECOND);
    await rig.passAt(31 * SECOND); // group_wait 30 s after the first alert
    const rows = await rig.outbox();
    expect(rows).toHaveLength(1);
    expect(payloadAlerts(rows[0].payload)).toEqual([{ fingerprint: 'db', status: 'firing' }]);
    expect(rows[0].groupKey).toBe('"hook":{alertname="ServiceDown"}');

    const [incident] = await store.listIncidents();
    expect(incident).toMatchObject({ id: 'inc-1', state: 'open', severity: 'critical' });
    expect(incident.rootCause).toMatchObject({ fingerprint: 'db', service: 'database' });
    const members = (await store.incidentAlerts(['inc-1'])).get('inc-1')!;
    expect(Object.fromEntries(members.map((m) => [m.fingerprint, [m.role, m.suppression?.kind ?? null]]))).toEqual({
      db: ['member', null],
      orders: ['suppressed', 'downstream'],
      api: ['suppressed', 'downstream'],
      gw: ['suppressed', 'downstream'],
    });

    // All resolve: the incident resolves, and the page resolves once.
    await rig.push(...[db, ...cascade].map((a) => resolvedOf(a, rig.clock.now())));
    await rig.passAt(40 * SECOND);
    await rig.passAt(5 * 60 * SECOND + 31 * SECOND);
    expect((await store.getIncident('inc-1'))?.state).toBe('resolved');
    const after = await rig.outbox();
    expect(after).toHaveLength(2);
    expect(payloadAlerts(after[1].payload)).toEqual([{ fingerprint: 'db', status: 'resolved' }]);
    // The timeline: each alert's joining or suppression, the root cause's recovery (not every alert's).
    expect((await store.incidentTimeline('inc-1')).map((t) => [t.kind, t.message])).toEqual([
      ['opened', 'opened by ServiceDown'],
      ['alert_suppressed', 'HighErrorRate suppressed (downstream)'],
      ['alert_suppressed', 'HighErrorRate suppressed (downstream)'],
      ['alert_suppressed', 'HighLatency suppressed (downstream)'],
      ['alert_resolved', 'ServiceDown resolved (root cause)'],
      ['resolved', 'every alert resolved'],
    ]);
  });

  it("pages an incident once although its alerts have different names: they join its first alert's groups", async () => {
    await rig.push(alert('cpu', 'api', 'warning', 'HighCpu'));
    await rig.passAt(1 * SECOND);
    await rig.push(alert('lat', 'api', 'warning', 'HighLatency'));
    await rig.passAt(31 * SECOND);
    const rows = await rig.outbox();
    expect(rows).toHaveLength(1);
    expect(
      payloadAlerts(rows[0].payload)
        .map((a) => a.fingerprint)
        .sort()
    ).toEqual(['cpu', 'lat']);
    expect(await store.listIncidents()).toHaveLength(1);
  });

  it('updates the page at once, cause first, when the root cause joins after the first notification, not a group_interval later', async () => {
    // The demo's order: the api's SLO burn pages first; the database's ServiceDown (its `for` longer)
    // joins a minute later and becomes the root cause.
    await rig.push(alert('slo', 'api', 'critical', 'ApiAvailabilityBurn'));
    await rig.passAt(31 * SECOND);
    expect(await rig.outbox()).toHaveLength(1);
    rig.clock.at(60 * SECOND);
    await rig.push(alert('db', 'database', 'critical', 'ServiceDown'));
    await rig.passAt(61 * SECOND);
    expect((await store.listIncidents())[0].rootCause).toMatchObject({ fingerprint: 'db', service: 'database' });
    const rows = await rig.outbox();
    expect(rows).toHaveLength(2);
    expect(rows[1].groupKey).toBe(rows[0].groupKey);
    expect(
      payloadAlerts(rows[1].payload)
        .map((a) => a.fingerprint)
        .sort()
    ).toEqual(['db', 'slo']);
    // The cause leads the message (its name, summary and service head the page), the symptom after it.
    expect(payloadAlerts(rows[1].payload)[0].fingerprint).toBe('db');
    // Then the group's cadence again: nothing new, nothing sent.
    await rig.passAt(6 * 60 * SECOND);
    expect(await rig.outbox()).toHaveLength(2);
  });

  it('keeps group_interval for an alert that joins without changing the root cause', async () => {
    await rig.push(alert('cpu', 'api', 'warning', 'HighCpu'));
    await rig.passAt(31 * SECOND);
    rig.clock.at(60 * SECOND);
    await rig.push(alert('lat', 'api', 'warning', 'HighLatency'));
    await rig.passAt(61 * SECOND);
    expect(await rig.outbox()).toHaveLength(1);
    await rig.passAt(31 * SECOND + 5 * 60 * SECOND); // group_interval 5 m after the first flush
    expect(await rig.outbox()).toHaveLength(2);
  });

  it('groups uncorrelated alerts as Alertmanager would: each its own incident, one page per group_by group', async () => {
    // No service label, no symptom group: nothing correlates them, but they share an alertname.
    await rig.push(
      ...['n1', 'n2', 'n3'].map((fp) => inbound(fp, { labels: { alertname: 'NodeDiskFull', severity: 'warning' } }))
    );
    await rig.passAt(31 * SECOND);
    expect(await store.listIncidents()).toHaveLength(3);
    const rows = await rig.outbox();
    expect(rows).toHaveLength(1);
    expect(payloadAlerts(rows[0].payload)).toHaveLength(3);
  });

  it('keeps naming the root cause after it recovers first', async () => {
    const db = alert('db', 'database', 'critical', 'ServiceDown');
    const api = alert('api', 'api', 'error', 'HighErrorRate');
    await rig.push(db, api);
    await rig.passAt(1 * SECOND);
    await rig.push(resolvedOf(db, rig.clock.now()));
    await rig.passAt(2 * SECOND);
    expect((await store.getIncident('inc-1'))?.rootCause.service).toBe('database');
    await rig.push(resolvedOf(api, rig.clock.now()));
    await rig.passAt(3 * SECOND);
    expect(await store.getIncident('inc-1')).toMatchObject({ state: 'resolved', rootCause: { service: 'database' } });
  });

  it('reopens the incident of an alert that flaps within the window; later it is a new incident', async () => {
    const flap = alert('chk', 'shipping', 'warning', 'CheckFailing');
    await rig.push(flap);
    await rig.passAt(1 * SECOND);
    await rig.push(resolvedOf(flap, rig.clock.now()));
    await rig.passAt(60 * SECOND);
    expect((await store.getIncident('inc-1'))?.state).toBe('resolved');
    await rig.push({ ...flap, startsAt: rig.clock.now(), at: rig.clock.now() });
    await rig.passAt(120 * SECOND);
    expect(await store.listIncidents()).toHaveLength(1);
    expect((await store.getIncident('inc-1'))?.state).toBe('open');
    expect((await store.incidentTimeline('inc-1')).map((t) => t.kind)).toContain('reopened');

    await rig.push(resolvedOf(flap, rig.clock.now()));
    await rig.passAt(121 * SECOND);
    // Fires again long after (past the 5-minute window): a new incident.
    await rig.push({ ...flap, startsAt: T0 + 20 * 60 * SECOND, at: T0 + 20 * 60 * SECOND });
    await rig.passAt(20 * 60 * SECOND);
    expect((await store.listIncidents()).map((i) => i.id).sort()).toEqual(['inc-1', 'inc-2']);
  });

  it('keeps two unrelated simultaneous failures apart: two incidents, two pages', async () => {
    await rig.push(
      // Different alert names: with group_by alertname they are two groups (one name would share one
      // notification, as in Alertmanager, though they stay two incidents).
      alert('pay', 'payments', 'critical', 'PaymentsDown'),
      alert('mail', 'mailer', 'critical', 'MailerDown')
    );
    await rig.passAt(31 * SECOND);
    expect((await store.listIncidents()).map((i) => i.rootCause.service).sort()).toEqual(['mailer', 'payments']);
    expect(await rig.outbox()).toHaveLength(2);
  });
});

describeEachStore('correlation kept between batches', ({ open }) => {
  /** A small deterministic PRNG (mulberry32). */
  const rng = (seed: number) => {
    let t = seed >>> 0;
    return () => {
      t = (t + 0x6d2b79f5) >>> 0;
      let x = Math.imul(t ^ (t >>> 15), 1 | t);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
  };
  const services = ['gateway', 'api', 'orders', 'payments', 'database', 'cache', 'search'];
  const severities = ['critical', 'error', 'warning', 'info'];

  // A storm writes per alert; what did not change is not written again: an alert sent again as it was,
  // and an incident whose alerts only resolved (its record would differ in updatedAt alone).
  it('writes neither an alert sent again unchanged nor an incident whose alerts only resolved', async () => {
    const s = await open();
    let n = 0;
    const batch = async (alerts: Array<ReturnType<typeof alert>>, now: number) => {
      const entries = alerts.map((a, i) => ({ id: `${now}-${i}`, receivedAt: now, alert: { ...a, at: now } }));
      const c = await correlateBatch(entries, s, settings, settings.topology, now, () => `inc-${++n}`);
      await s.commitIncidents(c.writes);
      return c;
    };
    try {
      const [a, b, c] = ['a', 'b', 'c'].map((fp) => alert(fp, 'orders', 'error', 'HighErrorRate'));
      const first = await batch([a, b, c], T0 + SECOND);
      expect(first.writes.incidents.map((i) => i.id)).toEqual(['inc-1']);
      expect(first.writes.alerts).toHaveLength(3);

      const again = await batch([a, b], T0 + 2 * SECOND);
      expect(again.writes).toMatchObject({ incidents: [], alerts: [], statuses: [], timeline: [] });
      expect(again.entries.map((e) => e.alert.labels.vigil_incident)).toEqual(['inc-1', 'inc-1']);

      const resolving = await batch([resolvedOf(a, T0 + 3 * SECOND)], T0 + 3 * SECOND);
      expect(resolving.writes.incidents).toEqual([]);
      expect(resolving.writes.statuses).toEqual([
        { incidentId: 'inc-1', fingerprint: 'a', status: 'resolved', endsAt: T0 + 3 * SECOND },
      ]);
      // Published as stored.
      expect(resolving.incidents().map((p) => p.incident)).toEqual([await s.getIncident('inc-1')]);
      expect((await s.getIncident('inc-1'))?.updatedAt).toBe(T0 + SECOND);

      // Its resolution sent again: nothing written, the root cause's recovery noted once.
      const resent = await batch([resolvedOf(a, T0 + 3 * SECOND)], T0 + 3500);
      expect(resent.writes).toMatchObject({ incidents: [], alerts: [], statuses: [], timeline: [] });
      expect((await s.incidentTimeline('inc-1')).filter((t) => t.kind === 'alert_resolved')).toHaveLength(1);

      const last = await batch(
        [b, c].map((x) => resolvedOf(x, T0 + 4 * SECOND)),
        T0 + 4 * SECOND
      );
      expect(last.writes.incidents).toMatchObject([{ id: 'inc-1', state: 'resolved', updatedAt: T0 + 4 * SECOND }]);
      expect(await s.getIncident('inc-1')).toMatchObject({ state: 'resolved', resolvedAt: T0 + 4 * SECOND });

      // A changed alert is written again (its annotations here).
      const reopened = await batch([{ ...a, annotations: { summary: 'worse' } }], T0 + 5 * SECOND);
      expect(reopened.writes.alerts.map((x) => [x.fingerprint, x.annotations.summary])).toEqual([['a', 'worse']]);
      expect(reopened.writes.incidents.map((i) => [i.id, i.state])).toEqual([['inc-1', 'open']]);
    } finally {
      await s.close();
    }
  });

  // The same batches through a store whose state is kept between batches and through one that starts
  // afresh every batch (a new object over the same store each time); some batches' writes are not
  // committed (their commit failed), and a user acknowledges or resolves incidents in between. Every
  // decision must be the same; the incidents a batch publishes must be what the store then holds; and
  // the kept side must load its state again only when it has to.
  it.each([1, 2, 3, 4])('decides as a fresh index would, batch after batch (seed %i)', async (seed) => {
    const r = rng(seed);
    const kept = await open();
    const fresh = await open();
    let loads = 0;
    let expectedLoads = 0;
    let stale = true; // nothing kept yet
    const counting = Object.create(kept) as Store;
    counting.correlationCandidates = (since) => {
      loads++;
      return kept.correlationCandidates(since);
    };
    let n = 0;
    let m = 0;
    const strip = ({ token, ...writes }: CorrelatedBatch['writes']) => ({ ...writes, token: typeof token });
    try {
      let now = T0;
      for (let batch = 0; batch < 60; batch++) {
        now += Math.floor(r() * 90 * SECOND);
        const entries = Array.from({ length: 1 + Math.floor(r() * 8) }, (_, i) => {
          const fp = `f${Math.floor(r() * 40)}`;
          const service = services[Number(fp.slice(1)) % services.length];
          const alert = inbound(fp, {
            labels: { alertname: `A${Number(fp.slice(1)) % 5}`, service, severity: severities[Math.floor(r() * 4)] },
            status: r() < 0.3 ? 'resolved' : 'firing',
            startsAt: now - Math.floor(r() * 60 * SECOND),
            at: now,
          });
          return { id: `b${batch}-${i}`, receivedAt: now, alert };
        });
        expectedLoads += stale ? 1 : 0;
        stale = false;
        const a = await correlateBatch(entries, counting, settings, settings.topology, now, () => `inc-${++n}`);
        const b = await correlateBatch(
          entries,
          Object.create(fresh) as Store,
          settings,
          settings.topology,
          now,
          () => `inc-${++m}`
        );
        const sortAlerts = (alerts: IncidentAlertRecord[]) =>
          alerts.slice().sort((x, y) => x.startsAt - y.startsAt || (x.fingerprint < y.fingerprint ? -1 : 1));
        const view = (c: CorrelatedBatch) => ({
          ...c,
          suppressed: [...c.suppressed],
          groupingLabels: [...c.groupingLabels],
          writes: strip(c.writes),
          incidents: c.incidents(),
          touched: c.touched().map(({ incident, alerts }) => ({ incident, alerts: sortAlerts(alerts) })),
        });
        expect({ batch, ...view(a) }).toEqual({ batch, ...view(b) });
        expect(loads).toBe(expectedLoads);
        if (r() < 0.85) {
          await kept.commitIncidents(a.writes);
          await fresh.commitIncidents(b.writes);
          const published = a.incidents();
          // The live stream's unsorted view holds the same incidents and alerts.
          expect(a.touched().map(({ incident, alerts }) => ({ incident, alerts: sortAlerts(alerts) }))).toEqual(
            published
          );
          const stored = await kept.incidentAlerts(published.map((p) => p.incident.id));
          for (const p of published) {
            expect({ incident: await kept.getIncident(p.incident.id), alerts: stored.get(p.incident.id) }).toEqual(p);
            // The summary's shortcuts answer as core does over all the incident's alerts.
            const all = p.alerts.map((x) => ({ ...x, suppressed: x.role === 'suppressed' }));
            const root = rootCause(
              all.map((x) => ({ ...x, status: 'firing' as const })),
              settings.topology,
              settings.config
            );
            expect(p.incident).toMatchObject({
              rootCause: root,
              title: incidentTitle(all, root, settings.config),
              severity: incidentSeverity(all),
            });
          }
        } else {
          stale = true; // not committed: the next batch loads again
        }
        const open = await kept.listIncidents({ states: ['open', 'acknowledged'] });
        if (open.length > 0 && r() < 0.15) {
          // A user acknowledges or resolves one (the API's writes, without a token): both load again.
          const i = open[Math.floor(r() * open.length)];
          const user =
            r() < 0.5
              ? { ...i, state: 'acknowledged' as const, acknowledgedAt: now, acknowledgedBy: 'ann', updatedAt: now }
              : { ...i, state: 'resolved' as const, resolvedAt: now, resolvedBy: 'ann', updatedAt: now };
          for (const s of [kept, fresh]) {
            await s.commitIncidents({ incidents: [user], alerts: [], timeline: [] });
          }
          stale = true;
        }
      }
    } finally {
      await kept.close();
      await fresh.close();
    }
  });
});

describe('newIncidentId', () => {
  it('is short, URL-safe, unique, and sorts by creation time', () => {
    const ids = [T0, T0, T0 + 1, T0 + 60 * SECOND, Date.UTC(2059, 0, 1)].map((t) => newIncidentId(t));
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-z]{9}[A-Za-z0-9_-]{8}$/);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(1).every((id, i) => id.slice(0, 9) >= ids[i].slice(0, 9))).toBe(true);
    expect(newIncidentId(T0 + 1).slice(0, 9) > newIncidentId(T0).slice(0, 9)).toBe(true);
  });
});
