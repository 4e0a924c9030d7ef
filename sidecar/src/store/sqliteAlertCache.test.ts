// The alert cache behind getNotifyAlerts (ingest's read of the alerts it updates), on real SQLite
// with two connections to one file: a read returns what the rows hold, never a kept record that
// another connection's write made stale, nor an update the upsert did not apply.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NotifyAlertRecord } from './notifyStore';
import { openSqliteStore } from './sqlite';
import type { Store } from './store';

const T0 = Date.UTC(2026, 11, 7, 6, 0, 0);

const alert = (fp: string, over: Partial<NotifyAlertRecord> = {}): NotifyAlertRecord => ({
  fingerprint: fp,
  source: 'alertmanager',
  status: 'firing',
  labels: { alertname: `A-${fp}` },
  annotations: { summary: fp },
  startsAt: T0,
  endsAt: null,
  value: null,
  threshold: null,
  actions: [],
  updatedAt: T0,
  ...over,
});

const write = (store: Store, ...alerts: NotifyAlertRecord[]) =>
  store.commitIngest({ inboxIds: [], alerts, groups: [], memberships: [] });

describe('getNotifyAlerts with the alert cache', () => {
  let dir: string;
  let a: Store;
  let b: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-alert-cache-'));
    a = openSqliteStore({ path: join(dir, 'vigil.db') });
    b = openSqliteStore({ path: join(dir, 'vigil.db') });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the alerts in the order asked, each once, leaving out unknown ones', async () => {
    await write(a, alert('x'), alert('y'));
    expect(await a.getNotifyAlerts(['y', 'nope', 'x', 'y'])).toEqual([alert('y'), alert('x')]);
    expect(await a.getNotifyAlerts([])).toEqual([]);
  });

  it('reads what the rows hold after the other connection wrote, and not an update that was not applied', async () => {
    await write(a, alert('x'));
    expect(await a.getNotifyAlerts(['x'])).toEqual([alert('x')]);
    const newer = alert('x', { status: 'resolved', endsAt: T0 + 5, labels: { alertname: 'B' }, updatedAt: T0 + 5 });
    await write(b, newer);
    expect(await a.getNotifyAlerts(['x'])).toEqual([newer]);
    // Older than the row: not applied, so not what either connection reads.
    await write(a, alert('x', { updatedAt: T0 + 1 }));
    expect(await a.getNotifyAlerts(['x'])).toEqual([newer]);
    expect(await b.getNotifyAlerts(['x'])).toEqual([newer]);
  });

  it('gives records that cannot be changed through the result', async () => {
    await write(a, alert('x'));
    const [read] = await a.getNotifyAlerts(['x']);
    expect(Object.isFrozen(read)).toBe(true);
    expect(Object.isFrozen(read.labels)).toBe(true);
  });
});
