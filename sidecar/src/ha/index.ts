/**
 * High availability (issue 14): replicas sharing a PostgreSQL store, one of them evaluating at a time.
 * `startHa` claims the lease once (so the server knows its role before it starts the engines), then
 * keeps claiming; `attach` wires the leader-only engines to leadership changes. With SQLite the lease
 * lives in the process and is never lost: the same code path, always leading.
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { HaConfig } from '../config/haSchema';
import type { LiveBus } from '../live/bus';
import type { SidecarMetrics } from '../metrics';
import type { NotifyService } from '../notify/service';
import type { Store } from '../store';
import { pgLease } from '../store/pg/pgLease';
import { OUTBOX_CHANNEL } from '../store/pg/pgOutboxBatch';
import type { SwitchedDetection, SwitchedRules } from './engines';
import { fencedStore } from './fence';
import { inProcessLease, type LeaseBackend } from './lease';
import { Leadership, type HaStatus } from './leadership';
import { relayLive, type LiveRelay } from './liveRelay';
import { registerHaMetrics } from './metrics';

export { switchedDetection, switchedRules } from './engines';
export type { HaStatus } from './leadership';

/** The store settings HA reads: a PostgreSQL store's connection (P1's `store` schema). */
interface StoreSettings {
  type: string;
  url?: string;
  password?: string;
}

/** What {@link startHa} needs. */
export interface HaDeps {
  ha?: Partial<HaConfig>;
  store: StoreSettings;
  logger: Logger;
  metrics: SidecarMetrics;
  /** The lease backend (tests); default: PostgreSQL's for a postgres store, else in-process. */
  backend?: LeaseBackend;
}

/** The engines that follow leadership. */
export interface LeaderEngines {
  rules: SwitchedRules;
  detection: SwitchedDetection;
  notify: NotifyService;
  /** Re-reads SLOs (and re-derives their rules) — the SLO service's `start`. */
  syncSlos?: () => Promise<void>;
}

/** A running HA member. */
export interface HaHandle {
  replicaId: string;
  /** True for a replicated store (postgres): the role can change at run time. */
  readonly replicated: boolean;
  leadership: Leadership;
  isLeader(): boolean;
  status(): HaStatus;
  /** The store as the leader-only engines must use it (leader writes fenced). */
  fence(store: Store): Store;
  /** Follows leadership with these engines from now on. */
  attach(engines: LeaderEngines): void;
  /**
   * The notify service as the API and the receivers use it: on a standby, alerts received into the
   * inbox also wake the leader's dispatcher (which would otherwise find them at its next poll, ≤ 1 s).
   */
  served(notify: NotifyService): NotifyService;
  /**
   * The live bus as the replicas share it (PostgreSQL: each replica's changes relayed to the others'
   * streams, liveRelay.ts); `local` itself with one process.
   */
  relay(local: LiveBus): LiveBus;
  /** Steps down (handing the lease over) and stops claiming. */
  stop(): Promise<void>;
}

/** The default replica id: host and process, unique among live replicas. */
export function defaultReplicaId(): string {
  return `${hostname()}-${process.pid}`;
}

/** The lease of evaluation (the only one). */
const LEASE_NAME = 'evaluation';

/** The channel on which receivers wake the leader's dispatcher. */
const INBOX_CHANNEL = 'vigil_inbox';

/** The channel on which standbys say, every {@link STANDBY_BEAT_MS}, that their outbox workers listen. */
const STANDBY_CHANNEL = 'vigil_standby';
const STANDBY_BEAT_MS = 1000;
/** A standby not heard of for this long is taken for gone: the leader sends everything again. */
const STANDBY_GONE_MS = 2500;

/** Creates the lease and claims it once. */
export async function startHa(deps: HaDeps): Promise<HaHandle> {
  const replicaId = deps.ha?.replicaId ?? defaultReplicaId();
  const leaseMs = deps.ha?.leaseMs ?? 15_000;
  const replicated = deps.store.type === 'postgres';
  const backend =
    deps.backend ??
    (replicated && deps.store.url
      ? pgLease({ url: deps.store.url, password: deps.store.password, applicationName: replicaId, ttlMs: leaseMs })
      : inProcessLease());
  const logger = deps.logger.child({ component: 'ha' });
  const leadership = new Leadership({
    backend,
    replicaId,
    name: LEASE_NAME,
    leaseMs,
    renewMs: deps.ha?.renewMs,
    marginMs: deps.ha?.marginMs,
    logger,
    exclusive: !replicated && deps.backend === undefined,
  });
  registerHaMetrics(deps.metrics.registry, () => leadership.status());
  await leadership.start();
  let liveRelay: LiveRelay | undefined;
  let syncTimer: NodeJS.Timeout | undefined;
  let beatTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  const syncMs = deps.ha?.syncMs ?? 5_000;

  return {
    replicaId,
    replicated,
    leadership,
    isLeader: () => leadership.isLeader(),
    status: () => leadership.status(),
    fence: (store) =>
      replicated
        ? fencedStore(
            store,
            () => {
              const term = leadership.currentTerm();
              return term === null ? null : { name: LEASE_NAME, holder: replicaId, term };
            },
            (key, args) => {
              // Who evaluated what, and under which term: the HA tests check no two terms interleave.
              if (key === 'commitEvaluations' && logger.isLevelEnabled('debug')) {
                const commits = args[0] as Array<{ ruleId: string; status: { lastEvaluation: number | null } }>;
                logger.debug(
                  {
                    replica: replicaId,
                    term: leadership.currentTerm(),
                    evaluations: commits.map((c) => [c.ruleId, c.status.lastEvaluation]),
                  },
                  'ha: evaluations committed'
                );
              }
            }
          )
        : store,
    attach(engines) {
      let role = leadership.isLeader();
      leadership.onChange(async (leading) => {
        if (leading === role) {
          return;
        }
        role = leading;
        await Promise.all([
          engines.rules.lead(leading),
          engines.detection.lead(leading),
          engines.notify.setDispatching(leading),
        ]);
        if (leading) {
          await engines.syncSlos?.().catch((err: unknown) => logger.warn({ err }, 'ha: SLO sync failed'));
        }
      });
      backend.subscribe?.(INBOX_CHANNEL, () => {
        if (leadership.isLeader()) {
          // As a receive of its own: a storm spread over the replicas is routed in few, large steps.
          if (engines.notify.inboxWritten) {
            engines.notify.inboxWritten();
          } else {
            engines.notify.kick();
          }
        }
      });
      if (replicated && backend.subscribe && backend.signal) {
        // The sends go where the CPU is free: while a standby's worker is listening, the leader (which
        // receives, routes and flushes) leaves new notifications to it — the flush's commit NOTIFYs
        // OUTBOX_CHANNEL and the standby claims them (row by row, FOR UPDATE SKIP LOCKED: once); the
        // leader's own worker still polls, so a standby that dies costs a poll interval, not a send.
        let standbySeenAt = -Infinity;
        backend.subscribe(STANDBY_CHANNEL, () => {
          // Only a leader's reading counts (a standby hears its own beats too).
          if (leadership.isLeader()) {
            standbySeenAt = Date.now();
          }
        });
        backend.subscribe(OUTBOX_CHANNEL, () => {
          if (!leadership.isLeader()) {
            engines.notify.kick();
          }
        });
        engines.notify.deferSends?.(() => leadership.isLeader() && Date.now() - standbySeenAt < STANDBY_GONE_MS);
        const signal = backend.signal.bind(backend);
        const beat = () => {
          if (!leadership.isLeader()) {
            void signal(STANDBY_CHANNEL).catch(() => undefined); // a lost connection: the leader sends all
          }
        };
        beat();
        beatTimer = setInterval(beat, STANDBY_BEAT_MS);
        beatTimer.unref();
      }
      // A change between the first claim and now was told to nobody: catch up.
      leadership.replay();
      if (!replicated) {
        return;
      }
      // Rules and SLOs written through another replica's API reach the leader's engine here.
      const sync = () => {
        if (stopped) {
          return;
        }
        syncTimer = setTimeout(() => {
          const run = leadership.isLeader()
            ? (engines.syncSlos?.() ?? Promise.resolve()).then(() => engines.rules.reload())
            : engines.rules.reload();
          void run.catch((err: unknown) => logger.warn({ err }, 'ha: rule sync failed')).finally(sync);
        }, syncMs);
        syncTimer.unref();
      };
      sync();
    },
    served(notify) {
      const signal = backend.signal?.bind(backend);
      if (!replicated || !signal) {
        return notify;
      }
      // One NOTIFY at a time; receives meanwhile share the next one.
      let sending = false;
      let again = false;
      const wake = (): void => {
        if (sending) {
          again = true;
          return;
        }
        sending = true;
        void signal(INBOX_CHANNEL)
          .catch((err: unknown) => logger.debug({ err }, 'ha: waking the leader failed; it polls'))
          .finally(() => {
            sending = false;
            if (again) {
              again = false;
              wake();
            }
          });
      };
      return {
        ...notify,
        async receive(alerts) {
          await notify.receive(alerts);
          if (alerts.length > 0 && !leadership.isLeader()) {
            wake();
          }
        },
      };
    },
    relay(local) {
      const { subscribe, signal } = backend;
      if (!replicated || !subscribe || !signal || liveRelay) {
        return liveRelay?.bus ?? local;
      }
      liveRelay = relayLive(
        local,
        { subscribe: subscribe.bind(backend), signal: signal.bind(backend) },
        replicaId,
        (err) => logger.debug({ err }, 'ha: relaying live events failed')
      );
      return liveRelay.bus;
    },
    async stop() {
      stopped = true;
      liveRelay?.stop();
      clearTimeout(syncTimer);
      clearInterval(beatTimer);
      await leadership.stop();
    },
  };
}
