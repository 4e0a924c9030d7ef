// The real Alertmanager (Debian package) delivering to a loopback webhook: every body it sends must
// parse, carry the pushed labels, and the resolve must arrive as status "resolved".
import {
  pushAlerts,
  startAlertmanager,
  startLoopbackServer,
  waitFor,
  type AlertmanagerHandle,
  type LoopbackServer,
} from '../../../test/harness';
import { parseAlertmanagerWebhook } from './alertmanager';
import type { ParseResult, ReceivedAlert } from './types';

jest.setTimeout(60000);

describe('parseAlertmanagerWebhook with the real Alertmanager', () => {
  let sink: LoopbackServer;
  let am: AlertmanagerHandle;
  const results: ParseResult[] = [];

  beforeAll(async () => {
    sink = await startLoopbackServer(({ body }) => {
      results.push(parseAlertmanagerWebhook(body));
      return { status: 200, body: 'ok' };
    });
    am = await startAlertmanager({ webhookUrl: `${sink.url}/hook` });
  });
  afterAll(async () => {
    await am?.stop();
    await sink?.stop();
  });

  /** Alerts from every parsed body so far; fails the test on any body that did not parse. */
  function delivered(): ReceivedAlert[] {
    for (const r of results) {
      if (!r.ok) {
        throw new Error(`Alertmanager sent a body Vigil refused: ${JSON.stringify(r.errors)}`);
      }
    }
    return results.flatMap((r) => (r.ok ? r.alerts : []));
  }

  it('parses what Alertmanager delivers, firing then resolved', async () => {
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const labels = [
      { alertname: 'VigilReceiverTest', instance: 'a:1', severity: 'critical', run: String(process.pid) },
      { alertname: 'VigilReceiverTest', instance: 'b:1', severity: 'info', run: String(process.pid) },
    ];
    await pushAlerts(
      am.url,
      labels.map((l) => ({ labels: l, annotations: { summary: `down ${l.instance}` }, startsAt }))
    );
    const firing = await waitFor('both alerts delivered firing', async () => {
      const got = delivered().filter((a) => a.status === 'firing');
      return labels.every((l) => got.some((a) => a.labels.instance === l.instance)) ? got : undefined;
    });
    for (const l of labels) {
      const a = firing.find((x) => x.labels.instance === l.instance)!;
      expect(a.labels).toEqual(l);
      expect(a.annotations).toEqual({ summary: `down ${l.instance}` });
      expect(a.startsAt).toBe(Date.parse(startsAt));
      expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(a.source).toBe('alertmanager');
    }
    expect(firing.find((a) => a.labels.instance === 'a:1')!.severity).toBe('critical');
    expect(firing.find((a) => a.labels.instance === 'b:1')!.severity).toBe('info');

    const endsAt = new Date(Date.now() - 1000).toISOString();
    await pushAlerts(am.url, [{ labels: labels[0], startsAt, endsAt }]);
    const resolved = await waitFor('the resolve delivered', async () =>
      delivered().find((a) => a.status === 'resolved' && a.labels.instance === 'a:1')
    );
    expect(resolved.endsAt).toBe(Date.parse(endsAt));
    expect(resolved.fingerprint).toBe(firing.find((a) => a.labels.instance === 'a:1')!.fingerprint);
    expect(sink.received().length).toBe(results.length);
  });
});
