/**
 * The dispatcher loop: ingest (inbox → groups) until the inbox is empty, then flush the due groups
 * (groups → outbox), then sleep until the next group is due (at most 1 s, so inbox rows written by
 * another process are seen). One timer, never overlapping itself; `kick()` runs a pass at once, and
 * kicks during a pass coalesce into one more pass. A failed pass (store busy) is logged and retried at
 * the next wake: nothing is lost, since an inbox row is deleted only by the commit that applied it and
 * a group's state only changes with the commit that enqueues its notification.
 */
import type { Logger } from 'pino';
import type { NotifyConfig } from '../../config/notifySchema';
import type { NotifyMetrics } from '../../metrics';
import type { Store } from '../../store';
import type { FlushCommit, InboxEntry, NotifyAlertRecord, OutboxHandoff } from '../../store/notifyStore';
import type { OutboxRecord } from '../../store/store';
import { planFlush, routeMuted, type FlushEnv, type FlushOutcome } from './flush';
import { INCIDENT_LABEL, type CorrelatedBatch } from './correlation';
import { ingestOnce, type IngestResult } from './ingest';
import { ClosedGroups } from './closedGroups';
import { yieldToEventLoop } from './eventLoop';
import { IntakeGate } from './intakeGate';
import type { RouteIndex } from './routes';

/** Flush steps (of `flushBatch` groups) in one pass at most. */
const MAX_FLUSH_STEPS = 400;
/** How long closed groups' notification logs and sent notifications are kept (Alertmanager's --data.retention). */
export const NOTIFY_RETENTION_MS = 120 * 3_600_000;
/** How often old groups and sent notifications are pruned. */
const PRUNE_EVERY_MS = 3_600_000;
/** Ingest steps (of `ingestBatch` inbox rows) in one pass at most. */
const MAX_INGEST_STEPS = 20;

/** Options of {@link Dispatcher}. */
export interface DispatcherOptions {
  store: Store;
  config: NotifyConfig;
  routes: RouteIndex;
  logger?: Logger;
  metrics?: NotifyMetrics;
  /** Called after each flush step that enqueued notifications for the worker to claim (wakes it). */
  onEnqueued?: () => void;
  /**
   * The outbox worker of this process (`OutboxWorker`): a flush stores the notifications it can send at
   * once already claimed by it and hands them over, so each row is written twice (enqueue, sent)
   * rather than three times, and no claim transaction stands between a flush and its sends.
   */
  outbox?: { handoff(): OutboxHandoff | undefined; take(records: readonly OutboxRecord[]): void };
  /** Correlates an inbox batch before routing (issue 11); absent: alerts are routed one by one. */
  correlate?: (entries: readonly InboxEntry[], now: number) => Promise<CorrelatedBatch>;
  /** An incident's alerts keep firing this long after they resolve (config `correlation.keepFiringFor`). */
  keepIncidentsFiringForMs?: number;
  /** Called after each committed ingest step (the live stream: alerts and incidents). */
  onIngested?: (result: IngestResult) => void;
  /** Called at the end of each pass, after its flushes (correlation: incidents `keepFiringFor` held). */
  afterFlush?: (now: number) => Promise<void>;
  now?: () => number;
  /** Longest sleep between passes, ms (default 1000). */
  maxSleepMs?: number;
  /**
   * How long a pass goes on routing a full inbox before it flushes the groups that are due, ms (default
   * 50): the groups of a storm's next rows then join this pass's flush rather than the next pass's.
   */
  ingestBeforeFlushMs?: number;
  /**
   * Receivers first (default 3 ms and 250 ms): while alert updates are being received (the last
   * {@link Dispatcher.received} less than `intakeQuietMs` ago), a pass waits before routing, for at
   * most `intakeDeferMs` in all. A storm's senders then get their answers at the receivers' pace
   * instead of waiting for routing steps between requests; since a group is timed from when its
   * alert was received, routing a little later moves none of its flushes.
   */
  intakeQuietMs?: number;
  intakeDeferMs?: number;
  /** Inbox rows per ingest step (default 500) and groups per flush step (default 50). */
  ingestBatch?: number;
  flushBatch?: number;
}

/**
 * The root-cause alerts of the incidents of groups with more than one alert (a single alert needs no
 * order): a page then leads with its incident's cause.
 */
async function incidentRootCauses(store: Store, groups: Iterable<readonly NotifyAlertRecord[]>): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const alerts of groups) {
    if (alerts.length > 1) {
      for (const a of alerts) {
        const id = a.labels[INCIDENT_LABEL];
        if (id !== undefined) {
          ids.add(id);
        }
      }
    }
  }
  const incidents = await Promise.all([...ids].map((id) => store.getIncident(id)));
  return new Set(incidents.flatMap((i) => (i ? [i.rootCause.fingerprint] : [])));
}

/** Milliseconds since an `hrtime.bigint()` reading. */
const msSince = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e6;

/** What one pass did. */
export interface PassResult {
  ingested: number;
  flushed: number;
  enqueued: number;
  outcomes: Partial<Record<FlushOutcome, number>>;
  /** Of `enqueued`, how many were stored claimed by the worker and handed to it (`outbox`). */
  handedOver?: number;
  /** The inbox still had rows when the pass stopped ingesting. */
  more?: boolean;
}

/** Runs ingest and flush passes until stopped. */
export class Dispatcher {
  private readonly now: () => number;
  private readonly channels: Map<string, NotifyConfig['channels'][number]>;
  private timer: NodeJS.Timeout | undefined;
  private scheduled: NodeJS.Immediate | undefined;
  private running = false;
  private pass: Promise<void> | undefined;
  private again = false;
  private readonly warned = new Set<string>();
  private readonly intake: IntakeGate;
  private lastPruneAt = -Infinity;
  /** Groups closed by this dispatcher's flushes whose memberships are not released yet. */
  private readonly closed = new ClosedGroups();

  constructor(private readonly opts: DispatcherOptions) {
    this.now = opts.now ?? Date.now;
    this.intake = new IntakeGate(opts.intakeQuietMs ?? 3);
    this.channels = new Map(opts.config.channels.map((c) => [c.name, c]));
  }

  /** Starts the loop with a pass at once (no-op when running). */
  start(): void {
    if (!this.running) {
      this.running = true;
      // Another leader, or this process before a crash, may have left closed groups unreleased.
      this.closed.releaseAllNext();
      this.kick();
    }
  }

  /**
   * Runs a pass at the end of this event-loop turn, or right after the one in progress. Kicks of one
   * turn (several receiver requests read together) share the pass, so it ingests them in one step.
   */
  kick(): void {
    if (!this.running) {
      return;
    }
    if (this.pass) {
      this.again = true;
      return;
    }
    if (!this.scheduled) {
      this.scheduled = setImmediate(() => {
        this.scheduled = undefined;
        this.runNow();
      });
    }
  }

  /**
   * Alert updates were just written to the inbox by a receiver: runs a pass, which waits while more
   * keep coming (see `intakeQuietMs`).
   */
  received(): void {
    this.intake.received();
    this.kick();
  }

  private runNow(): void {
    if (!this.running) {
      return;
    }
    if (this.pass) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    let next: number | null = null;
    this.pass = this.runPass({ ms: this.opts.intakeDeferMs ?? 250 })
      .then(async (r) => {
        this.again ||= r.more === true;
        next = await this.opts.store.nextGroupFlush();
      })
      .catch((err: unknown) => {
        this.opts.metrics?.passFailures.inc();
        this.opts.logger?.warn({ err: (err as Error).message }, 'notify dispatcher pass failed; retrying');
      })
      .finally(() => {
        this.pass = undefined;
        if (!this.running) {
          return;
        }
        if (this.again) {
          this.again = false;
          this.kick();
          return;
        }
        const max = this.opts.maxSleepMs ?? 1000;
        const delay = next === null ? max : Math.min(max, Math.max(0, next - this.now()));
        this.timer = setTimeout(() => this.runNow(), delay);
      });
  }

  /** Stops the loop after the pass in progress (if any) has committed. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
    await this.pass;
  }

  /**
   * One pass: ingest until the inbox is empty, then flush every due group. Tests with a fake clock
   * call it directly instead of starting the loop (without `intakeBudget`: no waiting for receivers).
   * @param intakeBudget how long, ms, the pass may still wait for the receivers before routing steps
   */
  async runPass(intakeBudget: { ms: number } = { ms: 0 }): Promise<PassResult> {
    const { store, metrics } = this.opts;
    let started = process.hrtime.bigint();
    const result: PassResult = { ingested: 0, flushed: 0, enqueued: 0, outcomes: {} };
    const ingestBatch = this.opts.ingestBatch ?? 500;
    // Bounded so that a steady stream of alerts cannot starve the flushes; the loop runs again at once.
    for (let i = 0; ; i++) {
      if (i === MAX_INGEST_STEPS) {
        result.more = true;
        break;
      }
      if (intakeBudget.ms > 0) {
        const waitedMs = await this.intake.quiet(intakeBudget, () => this.running);
        // Waiting is not routing: the pass's clocks (routing before flushing, its duration) skip it.
        started += BigInt(Math.round(waitedMs * 1e6));
      }
      const r = await ingestOnce(
        store,
        (a) => this.opts.routes.routesFor(a),
        this.now(),
        ingestBatch,
        this.opts.correlate
      );
      if (r.entries > 0) {
        this.opts.onIngested?.(r);
      }
      result.ingested += r.entries;
      for (const [source, n] of Object.entries(r.bySource)) {
        metrics?.alertsReceived.inc({ source }, n);
      }
      if (r.entries < ingestBatch) {
        break;
      }
      // A full step: more rows wait. When groups are due (a new group of old alerts is due at once), they
      // are flushed first and the next pass goes on with the inbox; otherwise a storm would keep this
      // loop busy and every first notification would wait for the whole storm to be routed. But not
      // before `ingestBeforeFlushMs` (a group of the storm's next rows would wait for this pass's whole
      // flush burst), and not before the rows received by the time the group fell due are routed: a
      // flush holds every alert received before it was due, as Alertmanager's does (it routes an alert
      // as it arrives), so a busy dispatcher never makes an alert miss its group's tick and wait a
      // whole group_interval more.
      const due = await store.nextGroupFlush();
      if (due !== null && due <= this.now() && msSince(started) >= (this.opts.ingestBeforeFlushMs ?? 50)) {
        const oldest = await store.oldestInbox();
        if (oldest === null || oldest > due) {
          result.more = true;
          break;
        }
      }
      // Let the receivers answer between steps: a step is a few ms of synchronous store work, and a
      // storm's senders wait for their answers (Alertmanager answers a POST before dispatching it).
      await yieldToEventLoop();
    }
    // Small flush steps: the first groups' notifications are sent while later groups are planned.
    const flushBatch = this.opts.flushBatch ?? 50;
    const flushAt = this.now();
    // With rows left in the inbox (a bounded pass), only the groups due before the oldest of them flush
    // (see above); the others wait for the next pass's routing.
    const oldest = result.more ? await store.oldestInbox() : null;
    const dueBy = oldest === null ? flushAt : Math.min(flushAt, oldest - 1);
    // Bounded, in case a route's group_interval is 0 and its groups stay due: the next pass goes on.
    for (let i = 0; i < MAX_FLUSH_STEPS; i++) {
      const enqueued = result.enqueued;
      const handedOver = result.handedOver ?? 0;
      const n = await this.flushOnce(flushAt, dueBy, flushBatch, result);
      // Rows left for the worker to claim (not handed over to it): wake it.
      const left = result.enqueued - enqueued > (result.handedOver ?? 0) - handedOver;
      if (n < flushBatch) {
        if (left) {
          this.opts.onEnqueued?.();
        }
        break;
      }
      if (result.enqueued > enqueued) {
        // Wake the worker per step, not per pass, and let the event loop run before the next step: the
        // step's requests go out and their answers are taken while the next step is planned (the
        // store calls are synchronous; without the yield nothing is sent until the whole burst is
        // planned, and the burst's last notification is its last alert's delivery).
        if (left) {
          this.opts.onEnqueued?.();
        }
        await yieldToEventLoop();
      }
    }
    await this.opts.afterFlush?.(this.now());
    await this.closed.releaseIfIdle(store, this.now());
    if (flushAt - this.lastPruneAt >= PRUNE_EVERY_MS) {
      await store.pruneNotify(flushAt - NOTIFY_RETENTION_MS);
      this.lastPruneAt = flushAt;
    }
    metrics?.passDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    return result;
  }

  /** Flushes up to `limit` groups due by `dueBy` in one commit at `now`; returns how many were due. */
  private async flushOnce(now: number, dueBy: number, limit: number, result: PassResult): Promise<number> {
    const { store, config, routes, metrics } = this.opts;
    const due = await store.dueGroups(dueBy, limit);
    if (due.length === 0) {
      return 0;
    }
    const [alertsByGroup, silences, firing] = await Promise.all([
      store.groupAlerts(due.map((g) => g.key)),
      store.listSilences({ expiredSince: now }),
      config.inhibitRules.length > 0 ? store.firingAlertLabels() : Promise.resolve([]),
    ]);
    const env: FlushEnv = {
      now,
      silences,
      firing,
      inhibitRules: config.inhibitRules,
      timeIntervals: config.timeIntervals,
      externalURL: config.externalURL ?? '',
      keepIncidentsFiringForMs: this.opts.keepIncidentsFiringForMs,
      rootCauses: this.opts.correlate ? await incidentRootCauses(store, alertsByGroup.values()) : undefined,
    };
    const commits: FlushCommit[] = [];
    const outcomes: FlushOutcome[] = [];
    for (const group of due) {
      const route = routes.routeOf(group.routeId, group.receiver);
      const channel = this.channels.get(group.receiver);
      if (!channel) {
        this.warnOnce(`channel:${group.receiver}`, 'group of a channel no longer configured: nothing sent', {
          receiver: group.receiver,
        });
      }
      const muted = routeMuted(route, config.timeIntervals, now, (err) =>
        this.warnOnce(`mute:${route.id}`, err.message, { route: route.id })
      );
      const plan = planFlush(group, route, alertsByGroup.get(group.key) ?? [], channel, env, muted);
      commits.push(plan.commit);
      outcomes.push(plan.outcome);
    }
    const { outbox } = this.opts;
    const claimed = await store.commitFlush(commits, outbox?.handoff());
    if (claimed.length > 0) {
      outbox?.take(claimed);
      result.handedOver = (result.handedOver ?? 0) + claimed.length;
    }
    // Counted after the commit: a failed commit is retried and must not count twice.
    for (const o of outcomes) {
      result.outcomes[o] = (result.outcomes[o] ?? 0) + 1;
      metrics?.flushes.inc({ outcome: o });
    }
    for (const c of commits) {
      if (c.group.state.closed) {
        this.closed.closed(c.group.key, now);
      }
    }
    result.enqueued += commits.reduce((n, c) => n + c.notifications.length, 0);
    result.flushed += due.length;
    return due.length;
  }

  private warnOnce(key: string, msg: string, fields: Record<string, unknown>): void {
    if (!this.warned.has(key)) {
      this.warned.add(key);
      this.opts.logger?.warn(fields, msg);
    }
  }
}
