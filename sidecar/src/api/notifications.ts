/**
 * The notification log (the outbox): `GET /api/v1/notifications?status=&channel=&limit=`, newest first,
 * and `POST /api/v1/notifications/:id/retry`, which puts a failed notification back in the queue now.
 */
import type { NotificationsResponse, NotificationState, NotificationView } from '@vigil/core';
import { Router } from 'express';
import { badRequest, notFound, VigilError } from '../errors';
import type { NotifyService } from '../notify/service';
import type { Store } from '../store';
import type { OutboxRecord } from '../store/store';
import { notificationSummary } from './notificationSummary';
import { intParam, stringParam } from './params';

const STATES: readonly NotificationState[] = ['pending', 'sending', 'sent', 'failed'];
const iso = (ms: number) => new Date(ms).toISOString();

/** An outbox row as the API shows it (no payload: it is the channel's body, long and not for lists). */
export function toNotificationView(r: OutboxRecord): NotificationView {
  return {
    id: r.id,
    channel: r.channel,
    groupKey: r.groupKey,
    status: r.status,
    summary: notificationSummary(r.payload),
    attempts: r.attempts,
    createdAt: iso(r.createdAt),
    nextAttemptAt: r.status === 'pending' || r.status === 'sending' ? iso(r.nextAttemptAt) : null,
    sentAt: r.sentAt === null ? null : iso(r.sentAt),
    lastError: r.lastError,
  };
}

/** What the notification endpoints need. */
export interface NotificationApiDeps {
  store: Store;
  notify: NotifyService;
}

/** The notification log endpoints. */
export function notificationsRouter(deps: NotificationApiDeps): Router {
  const router = Router();

  router.get('/api/v1/notifications', async (req, res) => {
    const status = stringParam(req.query.status, 'status');
    if (status !== undefined && !(STATES as readonly string[]).includes(status)) {
      throw badRequest(`status: unknown value "${status.slice(0, 40)}" (expected ${STATES.join(', ')})`);
    }
    const channel = stringParam(req.query.channel, 'channel');
    const limit = intParam(req.query.limit, 'limit', 100, 1, 1000);
    const rows = await deps.store.listNotifications({
      status: status as NotificationState | undefined,
      channel,
      limit,
    });
    const body: NotificationsResponse = { notifications: rows.map(toNotificationView) };
    res.json(body);
  });

  router.post('/api/v1/notifications/:id/retry', async (req, res) => {
    const id = req.params.id;
    if (!(await deps.store.retryNow(id))) {
      const [row] = await deps.store.listNotifications({ id, limit: 1 });
      if (!row) {
        throw notFound(`notification "${id}" not found`);
      }
      throw new VigilError(
        'conflict',
        `notification "${id}" is ${row.status}, not failed: only failed ones are retried`,
        {
          status: 409,
        }
      );
    }
    deps.notify.kick();
    const [row] = await deps.store.listNotifications({ id, limit: 1 });
    res.json(toNotificationView(row));
  });

  return router;
}
