/**
 * The Notifications page ("Channels, routing and silences") walked as a user, in the built plugin
 * against the real sidecar configured with a `notify` section whose channels are webhooks to a loopback
 * sink (notifySetup.mjs): from the always-firing rule's instance on the Rules page, its "Silence" link
 * opens the page with the silence form filled with the instance's labels; the routing tree and the
 * channels are listed (the webhook URL's secret path never shown); "Send test" reaches the sink; the
 * refused notification is in the failed log and Retry sends it again; the silence is created as
 * `admin`, listed with its author, expired through its confirmation dialog, and the sidecar (read over
 * HTTP with its token) holds it expired. The proxy's roles on the notification routes are checked as a
 * Viewer and an Editor.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { APP_ID } from '../site.mjs';
import { REFUSING_CHANNEL, WEBHOOK_CHANNEL, waitForFailed } from './notifySetup.mjs';
import { ALWAYS_FIRING, RULES_URL, WAIT_MS, openRules, sel, waitFor } from './ruleCases.mjs';

/** The rule name of ALWAYS_FIRING (its instances' `alertname`), see FILE_RULES in ruleCases.mjs. */
const ALWAYS_FIRING_NAME = 'Always firing (browser test)';

/** Waits for the page's parts to load; reports any part that shows its error state. */
async function openNotifications(page, ids, problems) {
  if (!(await waitFor(page, sel(ids.pages.notifications), 'notifications page', problems))) {
    return false;
  }
  await page
    .waitForSelector(`${sel(ids.pages.notifications)} ${sel(ids.pages.loading)}`, {
      state: 'detached',
      timeout: WAIT_MS,
    })
    .catch(() => problems.push(`notifications page still loading after ${WAIT_MS / 1000} s`));
  for (const el of await page.locator(sel(ids.pages.error)).all()) {
    problems.push(`notifications page shows an error: ${(await el.innerText()).trim().slice(0, 300)}`);
  }
  return problems.length === 0;
}

/** The plugin proxy's roles on the notification routes (plugin.json `routes`), checked without a browser. */
async function roleProblems(origin) {
  const base = `${origin}/api/plugin-proxy/${APP_ID}/sidecar/api/v1`;
  const problems = [];
  for (const [role, method, path, expect] of [
    ['Viewer', 'GET', '/notify/channels', (s) => s === 200],
    ['Viewer', 'GET', '/silences', (s) => s === 200],
    ['Viewer', 'POST', '/silences', (s) => s === 403],
    ['Viewer', 'POST', `/notify/channels/${WEBHOOK_CHANNEL}/test`, (s) => s === 403],
    ['Viewer', 'POST', '/notifications/x/retry', (s) => s === 403],
    // An Editor's write reaches the sidecar: an empty body is the sidecar's own 400.
    ['Editor', 'POST', '/silences', (s) => s === 400],
  ]) {
    const res = await fetch(base + path, {
      method,
      headers: { cookie: `host_role=${role}`, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : '{}',
    });
    if (!expect(res.status)) {
      problems.push(`plugin proxy as ${role}: ${method} ${path} answered HTTP ${res.status}`);
    }
  }
  return problems;
}

/** Silences as the sidecar holds them, read directly over HTTP with its token (not through the page). */
async function sidecarSilences(ctx) {
  const res = await fetch(`${ctx.sidecarUrl}/api/v1/silences`, {
    headers: { authorization: `Bearer ${ctx.sidecarToken}` },
  });
  if (res.status !== 200) {
    throw new Error(`sidecar GET /api/v1/silences answered HTTP ${res.status}`);
  }
  return (await res.json()).silences ?? [];
}

/** Rules page → an instance's "Silence" link → the Notifications page, its form filled with the labels. */
async function followSilenceLink(page, ids, problems) {
  if (!(await openRules(page, ids, problems))) {
    return false;
  }
  const row = page.locator(`${sel(ids.rules.row)}[data-rule-id="${ALWAYS_FIRING}"]`);
  await row.locator(sel(ids.rules.expand)).click();
  const instance = `${sel(ids.rules.instances)}[data-rule-id="${ALWAYS_FIRING}"] ${sel(ids.rules.instance)}[data-state="firing"]`;
  if (!(await waitFor(page, instance, `a firing instance of ${ALWAYS_FIRING}`, problems))) {
    return false;
  }
  await page.locator(instance).first().locator(sel(ids.rules.silence)).click();
  await page.waitForURL((u) => u.pathname.endsWith('/notifications'), { timeout: WAIT_MS }).catch(() => {});
  if (!(await openNotifications(page, ids, problems))) {
    return false;
  }
  if (!(await waitFor(page, sel(ids.notify.silenceForm), 'the silence form opened by the link', problems))) {
    return false;
  }
  const n = ids.notify;
  const names = await page.locator(sel(n.matcherName)).evaluateAll((els) => els.map((e) => e.value));
  const values = await page.locator(sel(n.matcherValue)).evaluateAll((els) => els.map((e) => e.value));
  const at = names.indexOf('alertname');
  if (at < 0 || values[at] !== ALWAYS_FIRING_NAME || !names.includes('service')) {
    problems.push(`the form is not filled with the instance's labels: ${JSON.stringify({ names, values })}`);
  }
  // Each row's operator is its own radio group: "=" checked in every row (radios sharing one name
  // would leave only the last row's checked).
  const ops = await page
    .locator(sel(n.matcherOp))
    .evaluateAll((els) => els.map((e) => [...e.querySelectorAll('input:checked')].map((i) => i.id)));
  if (ops.length !== names.length || ops.some((checked) => checked.length !== 1)) {
    problems.push(`the matcher rows' operators are not each checked once: ${JSON.stringify(ops)}`);
  }
  const dupIds = await page.locator(`${sel(n.silenceForm)} [id]`).evaluateAll((els) => {
    const seen = els.map((e) => e.id);
    return [...new Set(seen.filter((id, i) => seen.indexOf(id) !== i))];
  });
  if (dupIds.length) {
    problems.push(`ids used twice in the silence form (labels and radios mix up): ${dupIds.join(', ')}`);
  }
  return true;
}

/** Routes, inhibition, the time interval, the channel (secret path masked) and its test-send. */
async function checkRoutingAndChannels(page, ids, sink, problems) {
  const n = ids.notify;
  const routes = await page.locator(sel(n.route)).count();
  if (routes !== 4) {
    problems.push(`the routing tree lists ${routes} routes, expected 4 (root and three children)`);
  }
  const children = await page
    .locator(`${sel(n.route)}[data-depth="1"]`)
    .evaluateAll((els) => els.map((e) => e.dataset.receiver));
  if (children.join() !== [WEBHOOK_CHANNEL, REFUSING_CHANNEL, WEBHOOK_CHANNEL].join()) {
    problems.push(`the child routes one level in go to ${JSON.stringify(children)}`);
  }
  if ((await page.locator(sel(n.inhibitRule)).count()) !== 1) {
    problems.push('the inhibition rule is not listed');
  }
  if ((await page.locator(`${sel(n.timeInterval)}[data-active="true"]`).count()) !== 1) {
    problems.push('the time interval "always" is not shown as active now');
  }
  const channel = page.locator(`${sel(n.channel)}[data-channel="${WEBHOOK_CHANNEL}"][data-type="webhook"]`);
  if ((await channel.count()) !== 1) {
    problems.push(`the channel ${WEBHOOK_CHANNEL} is not listed as a webhook`);
    return;
  }
  if (!(await channel.innerText()).includes('127.0.0.1')) {
    problems.push(`the channel's target does not name its host: ${(await channel.innerText()).slice(0, 200)}`);
  }
  if ((await page.content()).includes(sink.secret)) {
    problems.push("the webhook URL's secret path appears in the page");
  }
  const before = sink.received.length;
  await channel.locator(sel(n.testSend)).click();
  const result = channel.locator(sel(n.testResult));
  if (
    !(await waitFor(
      page,
      `${sel(n.channel)}[data-channel="${WEBHOOK_CHANNEL}"] ${sel(n.testResult)}`,
      'the test-send result',
      problems
    ))
  ) {
    return;
  }
  if ((await result.getAttribute('data-ok')) !== 'true') {
    problems.push(`test-send: ${(await result.innerText()).trim()}`);
  }
  if (sink.received.length <= before) {
    problems.push('test-send said delivered but the webhook sink received nothing');
  }
  const refusing = page.locator(`${sel(n.channel)}[data-channel="${REFUSING_CHANNEL}"]`);
  if ((await refusing.getAttribute('data-last-status')) !== 'failed' || !(await refusing.innerText()).includes('400')) {
    problems.push(
      `the refusing channel does not show its failed delivery: ${(await refusing.innerText()).slice(0, 200)}`
    );
  }
}

/** The refused notification is in the failed log; Retry puts it back and the channel is called again. */
async function checkRetry(page, ids, sink, problems) {
  const n = ids.notify;
  const selector = `${sel(n.notification)}:has-text("${REFUSING_CHANNEL}")`;
  if (!(await waitFor(page, selector, `a failed notification of ${REFUSING_CHANNEL}`, problems))) {
    return;
  }
  const refused = () => sink.received.filter((r) => r.status === 400).length;
  const before = refused();
  const answered = page.waitForResponse(
    (r) => r.request().method() === 'POST' && /\/notifications\/[^/]+\/retry$/.test(new URL(r.url()).pathname),
    { timeout: WAIT_MS }
  );
  await page.locator(selector).first().locator(sel(n.retry)).click();
  const res = await answered.catch(() => undefined);
  if (!res) {
    problems.push('Retry sent no request');
    return;
  }
  if (!res.ok()) {
    problems.push(`Retry answered HTTP ${res.status()}`);
  }
  // The sidecar sends it again at once (and the channel refuses it again).
  const deadline = Date.now() + WAIT_MS;
  while (refused() <= before && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (refused() <= before) {
    problems.push(`after Retry the channel ${REFUSING_CHANNEL} was not called again`);
  }
}

/** Fills the comment, creates the silence, finds it by its comment (unique per run and line). */
async function createAndExpire(page, ids, ctx, comment, problems) {
  const n = ids.notify;
  await page.locator(sel(n.comment)).fill(comment);
  await page.locator(sel(n.createSilence)).click();
  await page.waitForSelector(sel(n.silenceForm), { state: 'detached', timeout: WAIT_MS }).catch(async () => {
    const shown = await page
      .locator(sel(n.silenceForm))
      .innerText()
      .catch(() => '');
    problems.push(`the silence form stayed open: ${shown.trim().slice(0, 400)}`);
  });
  const row = page.locator(sel(n.silence), { hasText: comment });
  if (
    !(await waitFor(
      page,
      `${sel(n.silence)}[data-state="active"]:has-text("${comment}")`,
      'the new silence, active',
      problems
    ))
  ) {
    return;
  }
  const author = (await row.locator(sel(n.silenceAuthor)).innerText()).trim();
  if (author !== 'admin') {
    problems.push(`the new silence's author is "${author}", expected "admin"`);
  }
  const id = await row.getAttribute('data-silence-id');
  await row.locator(sel(n.expire)).click();
  if (!(await waitFor(page, sel(n.confirmExpire), 'the expire confirmation', problems))) {
    return;
  }
  await page.locator(sel(n.confirmExpire)).click();
  await waitFor(
    page,
    `${sel(n.silence)}[data-silence-id="${id}"][data-state="expired"]`,
    'the silence shown expired',
    problems
  );
  const held = (await sidecarSilences(ctx)).find((s) => s.id === id);
  if (!held) {
    problems.push(`the sidecar has no silence ${id}`);
  } else {
    if (held.state !== 'expired') {
      problems.push(`the sidecar holds silence ${id} as "${held.state}", expected "expired"`);
    }
    if (held.createdBy !== 'admin' || held.comment !== comment) {
      problems.push(`the sidecar holds author "${held.createdBy}", comment "${held.comment}"`);
    }
    if (!held.matchers?.some((m) => m.name === 'alertname' && m.value === ALWAYS_FIRING_NAME)) {
      problems.push(`the sidecar's silence lacks the alertname matcher: ${JSON.stringify(held.matchers)}`);
    }
  }
}

/** The case (its screenshot, `notifications.png`, is the page after the silence expired). */
export function notifyCase({ sink }) {
  return {
    name: 'notifications: routes, channels, test-send, retry, silence from an alert, expire',
    file: 'notifications',
    url: RULES_URL,
    async check(page, ids, ctx) {
      const problems = [];
      // The refusing channel's notification must be failed before the page loads its log.
      await waitForFailed(ctx, REFUSING_CHANNEL).catch((e) => problems.push(e.message));
      if (!(await followSilenceLink(page, ids, problems))) {
        return problems;
      }
      const headings = await page.$$eval('h1, h2', (els) => els.map((e) => e.innerText.trim()));
      if (!headings.includes('Notifications')) {
        problems.push(`no heading "Notifications" (headings: ${JSON.stringify(headings)})`);
      }
      await checkRoutingAndChannels(page, ids, sink, problems);
      // The form as the alert's link filled it, for people to look at (the case's own shot is the end state).
      await page.mouse.move(0, 0);
      await page.screenshot({ path: path.join(ctx.shots, 'notifications-silence-form.png'), fullPage: true });
      await checkRetry(page, ids, sink, problems);
      await createAndExpire(
        page,
        ids,
        ctx,
        `browser test, line ${ctx.line}, ${randomBytes(4).toString('hex')}`,
        problems
      );
      problems.push(...(await roleProblems(new URL(page.url()).origin)));
      return problems;
    },
  };
}
