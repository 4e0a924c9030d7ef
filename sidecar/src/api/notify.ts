/**
 * The dispatcher's configuration and state for the channels page: channels (secrets masked) with their
 * last delivery and a test-send, the routing tree with inhibition rules and time intervals, and the
 * aggregation groups with their alerts.
 */
import type { ChannelsResponse } from '@vigil/core';
import { Router } from 'express';
import { notFound } from '../errors';
import type { NotifyService } from '../notify/service';
import { actorOf } from './ruleWrites';

/** `/api/v1/notify/*`. */
export function notifyRouter(notify: NotifyService): Router {
  const router = Router();

  router.get('/api/v1/notify/channels', async (_req, res) => {
    const body: ChannelsResponse = { channels: await notify.channels() };
    res.json(body);
  });

  // The channel's answer is the result: 200 with ok false when it refused (the page shows why).
  router.post('/api/v1/notify/channels/:name/test', async (req, res) => {
    const result = await notify.testSend(req.params.name, actorOf(req));
    if (!result) {
      throw notFound(`channel "${req.params.name}" is not configured`);
    }
    res.json(result);
  });

  router.get('/api/v1/notify/routing', (_req, res) => {
    res.json(notify.routing());
  });

  router.get('/api/v1/notify/groups', async (_req, res) => {
    res.json(await notify.groups());
  });

  return router;
}
