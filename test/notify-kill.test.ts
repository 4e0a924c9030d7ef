// kill -9 test of delivery: the real sidecar process on a SQLite file receives a stream of alert groups
// through its Alertmanager receiver (each group fired in one POST, resolved in another once both
// channels had its trigger) and delivers to a loopback webhook sink and a loopback PagerDuty. Both
// answer after a realistic 5-100 ms (a real service's latency), so a kill often lands while a send is
// in flight. The process is killed with SIGKILL at random moments, 20 times in a row, and restarted
// on the same file each time; POSTs a kill interrupts are sent again, as Alertmanager does.
//
// At the end every expected notification (each group's trigger and resolve, on both channels) has
// reached the receiving side, and none twice, as the receivers count: the webhook sink counts each
// notification by its identity (group key, status, alert set) and honours `Idempotency-Key`;
// PagerDuty pages once per alert (dedup_key semantics: a repeated trigger of an open alert is folded
// into it, a repeated resolve does nothing).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  sleep,
  startPagerDutyFake,
  startWebhookSink,
  waitFor,
  type LoopbackServer,
  type PagerDutyFake,
} from './harness';
import { alertmanagerWebhookBody, listNotifications, postToReceiver, waitOutboxSettled } from './harness/notify';
import { startSidecar, type SidecarHandle } from './harness/sidecar';

jest.setTimeout(180_000);

const KILLS = 20;
/** New groups fired per life of the process, so the stream spans every kill. */
const GROUPS_PER_LIFE = 3;
const GROUPS = GROUPS_PER_LIFE * (KILLS + 1);
const ALERTS_PER_GROUP = 3;
/** The channels' answer time, ms: PagerDuty and Slack answer in tens of milliseconds or more. */
const replyDelayMs = () => 5 + Math.random() * 95;

let hook: LoopbackServer;
let pd: PagerDutyFake;
let dir: string;
let current: SidecarHandle | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-notify-kill-'));
  hook = await startWebhookSink({ replyDelayMs });
  pd = await startPagerDutyFake({ replyDelayMs });
});

afterAll(async () => {
  await current?.stop(2000);
  await Promise.all([hook?.stop(), pd?.stop()]);
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function start(): Promise<SidecarHandle> {
  return startSidecar({
    dir,
    config: {
      log: { level: 'warn' },
      notify: {
        channels: [
          { name: 'hook', type: 'webhook', url: `${hook.url}/hook` },
          { name: 'pd', type: 'pagerduty', url: pd.enqueueURL, routingKey: 'R0UTINGKEYkill000000000000000000' },
        ],
        route: {
          receiver: 'hook',
          groupBy: ['alertname'],
          groupWait: '300ms',
          groupInterval: '500ms',
          repeatInterval: '1h',
          routes: [{ receiver: 'pd', continue: true }, { receiver: 'hook' }],
        },
        delivery: { maxAge: '10m', timeout: '2s' },
      },
    },
  });
}

/** What a killed process left in its SQLite file. */
interface LeftOver {
  inbox: number;
  scheduledGroups: number;
  pending: number;
  sending: number;
}

function leftOver(dbPath: string): LeftOver {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      inbox: one('SELECT count(*) AS n FROM notify_inbox'),
      scheduledGroups: one('SELECT count(*) AS n FROM notify_groups WHERE next_flush_at IS NOT NULL'),
      pending: one("SELECT count(*) AS n FROM notifications WHERE status = 'pending'"),
      sending: one("SELECT count(*) AS n FROM notifications WHERE status = 'sending'"),
    };
  } finally {
    db.close();
  }
}

const groupName = (g: number) => `KillStream${String(g).padStart(2, '0')}`;

function groupAlerts(g: number, status: 'firing' | 'resolved') {
  const startsAt = new Date(Date.UTC(2026, 11, 7, 3, 0, g)).toISOString();
  return Array.from({ length: ALERTS_PER_GROUP }, (_, i) => ({
    status,
    labels: { alertname: groupName(g), severity: 'critical', instance: `host-${i}:9100` },
    annotations: { summary: `${groupName(g)} on host-${i}` },
    startsAt,
    ...(status === 'resolved' ? { endsAt: new Date(Date.UTC(2026, 11, 7, 3, 30, g)).toISOString() } : {}),
  }));
}

type Obj = Record<string, any>;

/** Notifications of group g the webhook sink counted: notification key → deliveries. */
function hookCounts(g: number): Array<[string, number]> {
  return Object.entries(hook.counts()).filter(([key]) => key.includes(`alertname="${groupName(g)}"`));
}

/** The dedup key PagerDuty got for group g's events (undefined before any). */
function pdDedupKey(g: number): string | undefined {
  const r = pd
    .received()
    .find(
      (x) =>
        x.status === 202 && (x.body as Obj)?.payload?.custom_details?.alerts?.[0]?.labels?.alertname === groupName(g)
    );
  return (r?.body as Obj | undefined)?.dedup_key;
}

/** Both channels accepted a notification of group g with every alert in `status`. */
function delivered(g: number, status: 'firing' | 'resolved'): boolean {
  const full = (alerts: Obj[] | undefined) =>
    Array.isArray(alerts) && alerts.length === ALERTS_PER_GROUP && alerts.every((a) => a.status === status);
  const action = status === 'firing' ? 'trigger' : 'resolve';
  const received = (s: LoopbackServer, ok: number) =>
    s
      .received()
      .filter((r) => r.status === ok)
      .map((r) => r.body as Obj);
  return (
    received(hook, 200).some(
      (b) => b.commonLabels?.alertname === groupName(g) && b.status === status && full(b.alerts)
    ) &&
    received(pd, 202).some(
      (e) =>
        e.event_action === action &&
        e.payload?.custom_details?.alerts?.[0]?.labels?.alertname === groupName(g) &&
        full(e.payload.custom_details.alerts)
    )
  );
}

test('kill -9 twenty times while notifications are queued: each delivered, none twice', async () => {
  current = await start();
  let allowed = GROUPS_PER_LIFE;
  const fired = new Set<number>();
  const resolved = new Set<number>();
  let posts = 0;
  let interruptedPosts = 0;
  let stopPusher = false;
  let pusherError: Error | undefined;

  // The stream: fire the next allowed group, or resolve a group both channels have the trigger of.
  const pusher = (async () => {
    while (!stopPusher) {
      const sc = current;
      const toResolve = [...fired].find((g) => !resolved.has(g) && delivered(g, 'firing'));
      const toFire = fired.size < Math.min(allowed, GROUPS) ? fired.size : undefined;
      const item =
        toResolve !== undefined
          ? { g: toResolve, status: 'resolved' as const }
          : toFire !== undefined
            ? { g: toFire, status: 'firing' as const }
            : undefined;
      if (!sc || item === undefined) {
        await sleep(50);
        continue;
      }
      try {
        posts++;
        const res = await postToReceiver(sc, 'alertmanager', alertmanagerWebhookBody(groupAlerts(item.g, item.status)));
        if (res.status !== 200) {
          throw new Error(`receiver answered ${res.status}: ${JSON.stringify(res.body)}`);
        }
        (item.status === 'firing' ? fired : resolved).add(item.g);
      } catch (err) {
        // Killed mid-request (reset, refused): send the same body again once the process is back.
        const e = err as Error;
        if (!/fetch failed|other side closed|ECONNRE|socket/i.test(`${e.message} ${String(e.cause)}`)) {
          pusherError = e;
          return;
        }
        interruptedPosts++;
      }
      await sleep(20 + Math.random() * 80);
    }
  })();

  const left: LeftOver[] = [];
  const started = Date.now();
  try {
    for (let k = 0; k < KILLS; k++) {
      await sleep(150 + Math.random() * 1350);
      if (pusherError) {
        throw pusherError;
      }
      const sc = current!;
      current = undefined;
      await sc.kill9();
      left.push(leftOver(sc.dbPath));
      allowed += GROUPS_PER_LIFE;
      current = await start();
    }
    await waitFor(
      'every group fired and resolved, both delivered to both channels',
      async () => {
        if (pusherError) {
          throw pusherError;
        }
        return (
          resolved.size === GROUPS &&
          Array.from({ length: GROUPS }, (_, g) => g).every((g) => delivered(g, 'firing') && delivered(g, 'resolved'))
        );
      },
      // A row killed while `sending` waits for its claim's lease to run out before it is sent again.
      120_000,
      250
    );
  } finally {
    stopPusher = true;
    await pusher;
  }
  if (pusherError) {
    throw pusherError;
  }
  await waitOutboxSettled(current);

  const pdLog = pd.alertLog();
  const twice = Object.entries(hook.counts()).filter(([, n]) => n > 1);
  const report = {
    seconds: Math.round((Date.now() - started) / 1000),
    kills: left.length,
    killsWithSendsInFlight: left.filter((l) => l.sending > 0).length,
    killsWithNotificationsQueued: left.filter((l) => l.inbox + l.scheduledGroups + l.pending + l.sending > 0).length,
    posts,
    interruptedPosts,
    webhookRequests: hook.received().length,
    webhookTwice: twice,
    pagerDutyEvents: pd.received().length,
    pagerDutyFolded: pdLog.filter((e) => e.outcome === 'deduplicated' || e.outcome === 'ignored').length,
    // inbox / groups scheduled / outbox pending / outbox sending, at each kill
    leftAtKills: left.map((l) => `${l.inbox}/${l.scheduledGroups}/${l.pending}/${l.sending}`).join(' '),
  };
  console.log(`notify kill -9: ${JSON.stringify(report)}`);

  // None twice: no webhook notification counted twice, no PagerDuty alert opened or resolved twice.
  expect(twice).toEqual([]);
  for (let g = 0; g < GROUPS; g++) {
    // Every expected notification, exactly: per group one trigger and one resolve on each channel.
    const counts = hookCounts(g);
    expect([groupName(g), counts.map(([key]) => key.split('|')[1]).sort()]).toEqual([
      groupName(g),
      ['firing', 'resolved'],
    ]);
    const key = pdDedupKey(g);
    const outcomes = pdLog.filter((e) => e.dedupKey === key && (e.outcome === 'opened' || e.outcome === 'resolved'));
    expect([groupName(g), outcomes.map((e) => e.outcome)]).toEqual([groupName(g), ['opened', 'resolved']]);
  }
  // Nothing refused by the receivers, nothing failed in the outbox.
  expect(hook.received().filter((r) => r.status !== 200)).toEqual([]);
  expect(pd.received().filter((r) => r.status !== 202)).toEqual([]);
  expect(await listNotifications(current, { status: 'failed' })).toEqual([]);
});
