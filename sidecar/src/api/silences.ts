/**
 * `/api/v1/silences`: list (filter `state=active,pending,expired`; expired ones stay visible for a day),
 * read, create or replace (`POST` with `id`, as Alertmanager's API does), and expire (`DELETE`).
 * The author is the Grafana user (`X-Grafana-User`), and every change is recorded with it in the store's
 * change log. The dispatcher reads silences at each pass; a write wakes it so a new silence applies at once.
 */
import { randomUUID } from 'node:crypto';
import {
  expireSilence,
  silenceState,
  SILENCE_STATES,
  type SilenceState,
  type SilencesResponse,
  type SilenceView,
} from '@vigil/core';
import { Router } from 'express';
import { badRequest, notFound } from '../errors';
import type { NotifyService } from '../notify/service';
import type { SilenceRecord, Store } from '../store';
import { listParam } from './params';
import { actorOf } from './ruleWrites';
import { parseSilenceBody, silenceIdOf } from './silenceBody';

/** How long an expired silence stays in the list. */
export const EXPIRED_VISIBLE_MS = 24 * 3_600_000;

const iso = (ms: number) => new Date(ms).toISOString();

/** A stored silence as the API shows it, with its state at `now`. */
export function toSilenceView(s: SilenceRecord, now: number): SilenceView {
  return {
    id: s.id,
    matchers: s.matchers,
    startsAt: iso(s.startsAt),
    endsAt: iso(s.endsAt),
    createdBy: s.createdBy,
    comment: s.comment,
    state: silenceState(s, now),
    updatedAt: iso(s.updatedAt),
  };
}

/** What the silence endpoints need. */
export interface SilenceApiDeps {
  store: Store;
  notify: NotifyService;
}

/** The silence endpoints. */
export function silencesRouter(deps: SilenceApiDeps): Router {
  const router = Router();
  const { store, notify } = deps;

  const existing = async (id: string): Promise<SilenceRecord> => {
    const s = await store.getSilence(id);
    if (!s) {
      throw notFound(`silence "${id}" not found`);
    }
    return s;
  };

  router.get('/api/v1/silences', async (req, res) => {
    const states = listParam<SilenceState>(req.query.state, 'state', SILENCE_STATES);
    const now = Date.now();
    const silences = (await store.listSilences({ expiredSince: now - EXPIRED_VISIBLE_MS }))
      .map((s) => toSilenceView(s, now))
      .filter((s) => !states || states.includes(s.state));
    const body: SilencesResponse = { silences };
    res.json(body);
  });

  router.get('/api/v1/silences/:id', async (req, res) => {
    res.json(toSilenceView(await existing(req.params.id), Date.now()));
  });

  router.post('/api/v1/silences', async (req, res) => {
    if (req.body === undefined) {
      throw badRequest('the body must be a JSON silence (Content-Type: application/json)');
    }
    const id = silenceIdOf(req.body);
    const now = Date.now();
    const current = id === undefined ? null : await existing(id);
    if (current && silenceState(current, now) === 'expired') {
      throw badRequest(`silence "${current.id}" has expired and cannot be changed: create a new one`);
    }
    const actor = actorOf(req);
    const silence = parseSilenceBody(req.body, { now, actor, existing: current, newId: randomUUID });
    const record: SilenceRecord = { ...silence, updatedAt: now };
    await store.putSilence(record, actor, current ? 'update' : 'create');
    notify.kick();
    const view = toSilenceView(record, now);
    if (current) {
      res.json(view);
    } else {
      res
        .status(201)
        .set('Location', `/api/v1/silences/${encodeURIComponent(record.id)}`)
        .json(view);
    }
  });

  // Expiring is idempotent: an expired silence is answered as it is, and nothing is recorded.
  router.delete('/api/v1/silences/:id', async (req, res) => {
    const current = await existing(req.params.id);
    const now = Date.now();
    if (silenceState(current, now) === 'expired') {
      res.json(toSilenceView(current, now));
      return;
    }
    const actor = actorOf(req);
    // As Alertmanager: expiring keeps the author; who expired it is in the change log.
    const record: SilenceRecord = { ...expireSilence(current, now), updatedAt: now };
    await store.putSilence(record, actor, 'expire');
    notify.kick();
    // endsAt = now is still "active" at this very millisecond (both ends are inclusive); it is over.
    res.json({ ...toSilenceView(record, now), state: 'expired' });
  });

  return router;
}
