// The SQLite store's alert cache behind getNotifyAlerts: the records it shares are frozen. What a
// read returns with two stores on one database runs on both backends in notifyAlertReads.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NotifyAlertRecord } from './notifyStore';
import { openSqliteStore } from './sqlite';
import type { Store } from './store';
import { notifyAlert } from '../testing/notifyRecords';

const T0 = Date.UTC(2026, 11, 7, 6, 0, 0);

const alert = (fp: string, over: Partial<NotifyAlertRecord> = {}) => notifyAlert(fp, T0, over);

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

  it('gives records that cannot be changed through the result', async () => {
    await write(a, alert('x'));
    const [read] = await a.getNotifyAlerts(['x']);
    expect(Object.isFrozen(read)).toBe(true);
    expect(Object.isFrozen(read.labels)).toBe(true);
  });
});
