/**
 * Runs a store test suite on both backends (issue 14): SQLite in memory, and a real PostgreSQL 15 on
 * loopback (one cluster per test file, a fresh database per `open()`), so both stores meet one contract.
 *
 *   describeEachStore('outbox', ({ open }) => {
 *     it('claims once', async () => { const store = await open(); ... });
 *   });
 */
import { startPostgres, type PostgresHandle } from '../../../test/harness';
import { openSqliteStore } from '../store/sqlite';
import { openPgStore } from '../store/pg/pgStore';
import type { Store } from '../store/store';

/** The store backends. */
export type StoreBackend = 'sqlite' | 'postgres';
export const STORE_BACKENDS: readonly StoreBackend[] = ['sqlite', 'postgres'];

/** What a suite body gets. */
export interface StoreSuite {
  backend: StoreBackend;
  /** A new, empty, migrated store; closed after the test. */
  open(): Promise<Store>;
  /**
   * The PostgreSQL server (postgres suites only, after beforeAll): for tests that need a second
   * connection to the same database, e.g. two replicas.
   */
  postgres(): PostgresHandle;
}

let databases = 0;

/** `describe` the body once per backend (titles `sqlite: …` and `postgres: …`). */
export function describeEachStore(title: string, body: (suite: StoreSuite) => void): void {
  describe.each(STORE_BACKENDS)(`%s: ${title}`, (backend) => {
    let pg: PostgresHandle | undefined;
    const opened: Store[] = [];
    if (backend === 'postgres') {
      beforeAll(async () => {
        pg = await startPostgres();
      }, 60000);
    }
    body({
      backend,
      postgres: () => {
        if (!pg) {
          throw new Error('storeBackends: postgres() is only available in postgres suites, after beforeAll');
        }
        return pg;
      },
      open: async () => {
        const store =
          backend === 'sqlite'
            ? openSqliteStore({ path: ':memory:' })
            : await openPgStore({ url: await pg!.createDatabase(`store_${process.pid}_${++databases}`) });
        opened.push(store);
        return store;
      },
    });
    // After the body's own hooks (Jest runs a block's after-hooks in the order they were declared): a
    // sidecar the body stops in its afterAll must not outlive its database.
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });
    afterAll(async () => {
      await pg?.stop();
    });
  });
}
