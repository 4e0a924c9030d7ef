// getNotifyAlerts (ingest's read of the alerts it updates) with two stores on one database, on both
// backends (issue 14): a read returns what the rows hold, never a record another store's write made
// stale (SQLite keeps an alert cache, sqliteAlertCache.ts), nor an update the upsert did not apply.
import { describeEachStore } from '../testing/storeBackends';
import { sharedStoreDb, type SharedStoreDb } from '../testing/sharedStoreDb';
import type { NotifyAlertRecord } from './notifyStore';
import type { Store } from './store';
import { notifyAlert } from '../testing/notifyRecords';

const T0 = Date.UTC(2026, 11, 7, 6, 0, 0);

const alert = (fp: string, over: Partial<NotifyAlertRecord> = {}) => notifyAlert(fp, T0, over);

const write = (store: Store, ...alerts: NotifyAlertRecord[]) =>
  store.commitIngest({ inboxIds: [], alerts, groups: [], memberships: [] });

describeEachStore('getNotifyAlerts with two stores on one database', (suite) => {
  let shared: SharedStoreDb;
  let a: Store;
  let b: Store;
  beforeEach(async () => {
    shared = await sharedStoreDb(suite);
    a = await shared.open();
    b = await shared.open();
  });
  afterEach(async () => {
    await shared.close();
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
});
