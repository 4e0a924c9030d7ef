/**
 * The notification service the server runs and the API uses: the dispatcher (inbox → routing →
 * aggregation groups → outbox) and the outbox worker (outbox → channels).
 * TODO(issue 9 dispatcher helper): implement startNotify.
 */
import type { Logger } from 'pino';
import type { ChannelView, GroupsResponse, RoutingResponse, TestSendResponse } from '@vigil/core';
import type { NotifyConfig } from '../config/notifySchema';
import type { SidecarMetrics } from '../metrics';
import type { InboundAlert, Store } from '../store';

/** What {@link startNotify} needs. */
export interface NotifyDeps {
  config: NotifyConfig;
  store: Store;
  logger: Logger;
  metrics: SidecarMetrics;
  /** Clock, for tests. */
  now?: () => number;
}

/** A running notification service. */
export interface NotifyService {
  /** Queues alert updates in the store's inbox (durable once this resolves) and wakes the dispatcher. */
  receive(alerts: readonly InboundAlert[]): Promise<void>;
  /** Wakes the dispatcher (new inbox rows written elsewhere, e.g. by a rule evaluation) and the worker. */
  kick(): void;
  /** Channels with masked targets and their last delivery. */
  channels(): Promise<ChannelView[]>;
  /** Sends a test notification to one channel directly (not through the outbox); null for an unknown channel. */
  testSend(channel: string, user: string): Promise<TestSendResponse | null>;
  /** The routing tree, inhibition rules and time intervals. */
  routing(): RoutingResponse;
  /** Aggregation groups with their alerts, silenced and inhibited ones marked. */
  groups(): Promise<GroupsResponse>;
  /** Stops the dispatcher and the worker, letting sends in flight finish up to `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the dispatcher and the worker. */
export function startNotify(_deps: NotifyDeps): NotifyService {
  throw new Error('startNotify: not implemented');
}
