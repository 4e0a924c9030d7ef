// The silence endpoints against a started sidecar: create (matchers as text or objects), list with
// state filters, read, replace, expire; the author comes from X-Grafana-User and every change is in the
// store's change log; a new silence mutes a received alert at the dispatcher's next pass.
import type { GroupsResponse, SilencesResponse, SilenceView } from '@vigil/core';
import { waitFor } from '../../../test/harness';
import { postJson, startNotifyTestServer, type NotifyTestServer } from '../testing/notifyFixtures';
import type { ErrorBody } from './errors';

let t: NotifyTestServer;
beforeAll(async () => {
  t = await startNotifyTestServer();
});
afterAll(() => t?.stop());

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const asUser = (user: string) => ({ 'x-grafana-user': user });

async function create(body: unknown, user = 'alice'): Promise<SilenceView> {
  const res = await postJson(t.srv, '/api/v1/silences', body, asUser(user));
  expect(res.status).toBe(201);
  const view = (await res.json()) as SilenceView;
  expect(res.headers.get('location')).toBe(`/api/v1/silences/${view.id}`);
  return view;
}

async function list(query = ''): Promise<SilenceView[]> {
  const res = await t.srv.call(`/api/v1/silences${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as SilencesResponse).silences;
}

describe('silences', () => {
  it('creates from an Alertmanager matcher string, with the Grafana user as author', async () => {
    const s = await create({
      matchers: '{alertname="Deploy", env=~"prod|stage"}',
      endsAt: inHours(2),
      comment: 'rollout',
    });
    expect(s).toMatchObject({
      matchers: [
        { name: 'alertname', op: '=', value: 'Deploy' },
        { name: 'env', op: '=~', value: 'prod|stage' },
      ],
      createdBy: 'alice',
      comment: 'rollout',
      state: 'active',
    });
    expect(Date.parse(s.startsAt)).toBeLessThanOrEqual(Date.now());
    expect(await (await t.srv.call(`/api/v1/silences/${s.id}`)).json()).toEqual(s);
    const changes = await t.srv.store.listChanges('silence', s.id);
    expect(changes.map((c) => [c.action, c.user])).toEqual([['create', 'alice']]);
  });

  it('lists by state: a future silence is pending', async () => {
    const pending = await create({
      matchers: [{ name: 'alertname', op: '=', value: 'Later' }],
      startsAt: inHours(1),
      endsAt: inHours(3),
      comment: 'maintenance window',
    });
    expect(pending.state).toBe('pending');
    expect((await list('?state=pending')).map((s) => s.id)).toEqual([pending.id]);
    expect((await list('?state=active')).map((s) => s.id)).not.toContain(pending.id);
    expect((await list()).map((s) => s.id)).toContain(pending.id);
    expect((await list('?state=active,pending')).map((s) => s.id)).toContain(pending.id);
    const bad = await t.srv.call('/api/v1/silences?state=gone');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.message).toBe(
      'state: unknown value "gone" (expected pending, active, expired)'
    );
  });

  it('replaces a silence by id (recorded as an update by the new author), 404 for an unknown id', async () => {
    const s = await create({ matchers: 'alertname=Flappy', endsAt: inHours(1), comment: 'first' });
    const res = await postJson(
      t.srv,
      '/api/v1/silences',
      { id: s.id, matchers: 'alertname=Flappy', endsAt: inHours(5), comment: 'longer' },
      asUser('bob')
    );
    expect(res.status).toBe(200);
    const replaced = (await res.json()) as SilenceView;
    expect(replaced).toMatchObject({ id: s.id, startsAt: s.startsAt, comment: 'longer', createdBy: 'bob' });
    expect((await t.srv.store.listChanges('silence', s.id)).map((c) => [c.action, c.user]).sort()).toEqual([
      ['create', 'alice'],
      ['update', 'bob'],
    ]);
    const unknown = await postJson(t.srv, '/api/v1/silences', {
      id: 'nope',
      matchers: 'a=b',
      endsAt: inHours(1),
      comment: 'x',
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'not_found', message: 'silence "nope" not found' } });
  });

  it('expires a silence with DELETE; an expired one cannot be changed; 404 for unknown ids', async () => {
    const s = await create({ matchers: 'alertname=Expiring', endsAt: inHours(1), comment: 'short' });
    const res = await t.srv.call(`/api/v1/silences/${s.id}`, { method: 'DELETE', headers: asUser('carol') });
    expect(res.status).toBe(200);
    const expired = (await res.json()) as SilenceView;
    // The author stays; the change log records who expired it.
    expect(expired).toMatchObject({ id: s.id, state: 'expired', createdBy: s.createdBy });
    expect(Date.parse(expired.endsAt)).toBeLessThan(Date.parse(s.endsAt));
    // Still listed (expired ones stay visible for a day).
    await waitFor('the silence to be expired', async () => (await list('?state=expired')).some((x) => x.id === s.id));
    const again = await t.srv.call(`/api/v1/silences/${s.id}`, { method: 'DELETE' });
    expect(again.status).toBe(200);
    const changes = await t.srv.store.listChanges('silence', s.id);
    expect(changes.map((c) => [c.action, c.user]).sort()).toEqual([
      ['create', s.createdBy],
      ['expire', 'carol'],
    ]);

    const change = await postJson(t.srv, '/api/v1/silences', {
      id: s.id,
      matchers: 'alertname=X',
      endsAt: inHours(1),
      comment: 'c',
    });
    expect(change.status).toBe(400);
    expect(((await change.json()) as ErrorBody).error.message).toMatch(/has expired and cannot be changed/);

    for (const init of [{}, { method: 'DELETE' }]) {
      const missing = await t.srv.call('/api/v1/silences/does-not-exist', init);
      expect(missing.status).toBe(404);
    }
  });

  it('400 with every field problem, nothing stored', async () => {
    const before = (await list()).length;
    const res = await postJson(t.srv, '/api/v1/silences', {
      matchers: [{ name: 'alertname', op: '~', value: 'x' }],
      endsAt: 'soon',
      comment: 3,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'invalid_silence',
        message: 'invalid silence: matchers[0].op: expected one of = != =~ !~ (and 2 more)',
        fields: [
          { field: 'matchers[0].op', message: 'expected one of = != =~ !~' },
          { field: 'endsAt', message: 'expected an RFC 3339 time such as "2026-12-07T10:00:00Z", got "soon"' },
          { field: 'comment', message: 'expected a string of at most 4096 characters' },
        ],
      },
    });
    const everything = await postJson(t.srv, '/api/v1/silences', {
      matchers: 'alertname=~".*"',
      endsAt: inHours(1),
      comment: 'all',
    });
    expect(((await everything.json()) as { error: { fields: unknown[] } }).error.fields).toEqual([
      { field: 'matchers', message: 'at least one matcher must not match the empty string' },
    ]);
    const notJson = await t.srv.call('/api/v1/silences', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'a=b',
    });
    expect(notJson.status).toBe(400);
    expect((await list()).length).toBe(before);
  });

  it('mutes a received alert: the group shows it silenced, and nothing is sent for it', async () => {
    const s = await create({ matchers: 'alertname="Muted"', endsAt: inHours(1), comment: 'known issue' });
    const res = await postJson(t.srv, '/api/v1/receivers/alertmanager', {
      version: '4',
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'Muted', severity: 'critical' },
          annotations: {},
          startsAt: new Date().toISOString(),
          fingerprint: 'abcdefabcdef0001',
        },
      ],
    });
    expect(res.status).toBe(200);
    const alert = await waitFor('the alert in a group', async () => {
      const { groups } = (await (await t.srv.call('/api/v1/notify/groups')).json()) as GroupsResponse;
      return groups.flatMap((g) => g.alerts).find((a) => a.fingerprint === 'abcdefabcdef0001');
    });
    expect(alert.silencedBy).toEqual([s.id]);
    // An unsilenced critical alert sent after it reaches PagerDuty; the muted one never does.
    await postJson(t.srv, '/api/v1/receivers/alertmanager', {
      version: '4',
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'NotMuted', severity: 'critical' },
          startsAt: new Date().toISOString(),
        },
      ],
    });
    await waitFor('the unsilenced alert at PagerDuty', async () =>
      t.pd.received().some((r) => JSON.stringify(r.body).includes('NotMuted'))
    );
    expect(t.pd.received().filter((r) => JSON.stringify(r.body).includes('"Muted"'))).toEqual([]);
  });
});
