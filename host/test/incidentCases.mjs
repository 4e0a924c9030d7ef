/**
 * The Incidents page walked as a user, in the built plugin against the real sidecar: a cascading
 * failure (the database down, the API above it erroring, the gateway above that slow) is posted to the
 * sidecar's Alertmanager receiver as Alertmanager would send it, and correlation — over the topology
 * in the sidecar's config (`incidentCorrelationConfig`) — makes one incident of it. The page lists it
 * (title, severity, root cause), opens its detail (timeline, member and suppressed alerts with their
 * reasons and links), shows a further correlated alert posted meanwhile without a reload (the live
 * stream through the plugin proxy), and acknowledges it as `admin` — which the sidecar, read over HTTP
 * with its token, agrees with. The proxy's roles on the incident routes are checked as a Viewer and an
 * Editor. Each Grafana line gets its own services (`db-12`, `api-12`, …) and so its own incident.
 */
import { APP_ID } from '../site.mjs';
import { amAlert, postAlerts, seedIncident, sidecarGet, svc } from './incidentSetup.mjs';
import { sel, waitFor } from './ruleCases.mjs';

export { incidentCorrelationConfig } from './incidentSetup.mjs';

/** How long a live update may take to reach the open page (the stream, not a poll: that is 30 s). */
const LIVE_WAIT_MS = 10_000;

/** The list: the incident's row with its title, severity and root cause; the stream is live. */
async function checkList(page, ids, incident, problems) {
  const x = ids.incidents;
  const row = `${sel(x.incident)}[data-incident-id="${incident.id}"]`;
  if (!(await waitFor(page, row, `the incident ${incident.id} in the list`, problems))) {
    return false;
  }
  const el = page.locator(row);
  if ((await el.getAttribute('data-severity')) !== 'critical' || (await el.getAttribute('data-state')) !== 'open') {
    problems.push(
      `the incident's row says ${await el.getAttribute('data-state')} ${await el.getAttribute('data-severity')}`
    );
  }
  const title = (await el.locator(sel(x.open)).innerText()).trim();
  if (title !== incident.title) {
    problems.push(`the incident's title reads "${title}", the sidecar's is "${incident.title}"`);
  }
  const root = (await el.locator(sel(x.rootCause)).innerText()).trim();
  if (!root.includes(svc('db', incident.line))) {
    problems.push(`the root cause shown is "${root}", expected the database ${svc('db', incident.line)}`);
  }
  await waitFor(page, `${sel(x.stream)}[data-status="live"]`, 'the live stream (list)', problems);
  return true;
}

/** The detail: root cause and why, members and suppressed alerts with reasons and links, timeline. */
async function checkDetail(page, ids, incident, problems) {
  const x = ids.incidents;
  await page.locator(`${sel(x.incident)}[data-incident-id="${incident.id}"] ${sel(x.open)}`).click();
  const detail = `${sel(x.detail)}[data-incident-id="${incident.id}"]`;
  if (!(await waitFor(page, detail, 'the incident detail', problems))) {
    return false;
  }
  const rootWhy = (await page.locator(sel(x.rootCauseReason)).innerText()).trim();
  const rootWhat = (await page.locator(sel(x.detailRootCause)).innerText()).trim();
  if (!rootWhat.includes('DatabaseDown') || rootWhy === '') {
    problems.push(`the detail's root cause reads "${rootWhat}" (why: "${rootWhy}")`);
  }
  const alerts = await page.locator(sel(x.alert)).evaluateAll((els) =>
    els.map((e) => ({
      role: e.dataset.role,
      root: e.dataset.rootCause,
      text: e.innerText,
      reason: e.querySelector('[data-testid="vigil-incidents-alert-reason"]')?.textContent ?? '',
      suppression: e.querySelector('[data-testid="vigil-incidents-alert-suppression"]')?.textContent ?? '',
    }))
  );
  const db = alerts.find((a) => a.text.includes('DatabaseDown'));
  if (!db || db.role !== 'member' || db.root !== 'true') {
    problems.push(`the database's alert is not the member marked root cause: ${JSON.stringify(db)}`);
  }
  const suppressed = alerts.filter((a) => a.role === 'suppressed');
  if (suppressed.length === 0 || suppressed.some((a) => a.suppression.trim() === '' || a.reason.trim() === '')) {
    problems.push(
      `no suppressed alert with its reasons: ${JSON.stringify(alerts.map((a) => [a.role, a.reason, a.suppression]))}`
    );
  }
  if (alerts.length < 3 || alerts.some((a) => a.reason.trim() === '')) {
    problems.push(
      `expected the 3 posted alerts, each with why it is here: ${JSON.stringify(alerts.map((a) => a.reason))}`
    );
  }
  const links = {
    dashboard: await page
      .locator(`${sel(x.dashboardLink)} a`)
      .first()
      .getAttribute('href')
      .catch(() => null),
    rule: await page
      .locator(sel(x.ruleLink))
      .first()
      .getAttribute('href')
      .catch(() => null),
    source: await page
      .locator(`${sel(x.sourceLink)} a`)
      .first()
      .getAttribute('href')
      .catch(() => null),
  };
  if (
    links.dashboard !== '/d/vigil-db/database' ||
    !links.rule?.startsWith(`/a/${APP_ID}/rules?search=`) ||
    links.source !== 'http://127.0.0.1:9090/graph?g0.expr=gateway_p95'
  ) {
    problems.push(`the alerts' links are not as posted: ${JSON.stringify(links)}`);
  }
  const kinds = await page.locator(sel(x.timelineEntry)).evaluateAll((els) => els.map((e) => e.dataset.kind));
  if (kinds[0] !== 'opened' || kinds.length < 2) {
    problems.push(`the timeline does not start with the opening: ${JSON.stringify(kinds)}`);
  }
  return true;
}

/** Another correlated alert (orders, downstream of the gateway) appears in the open detail without a reload. */
async function checkLiveUpdate(page, ids, ctx, problems) {
  const x = ids.incidents;
  await waitFor(page, `${sel(x.stream)}[data-status="live"]`, 'the live stream (detail)', problems);
  // Marks this document: a reload would lose the mark.
  await page.evaluate(() => (window.__incidentCaseMark = true));
  await postAlerts(ctx, [amAlert('OrdersDrop', svc('orders', ctx.line), 'warning', Date.now() - 5_000)]);
  const joined = await page
    .waitForSelector(`${sel(x.alert)}:has-text("OrdersDrop")`, { timeout: LIVE_WAIT_MS })
    .then(() => true)
    .catch(() => false);
  if (!joined) {
    problems.push(
      `the alert OrdersDrop posted meanwhile did not appear in the open detail within ${LIVE_WAIT_MS / 1000} s`
    );
  }
  if (!(await page.evaluate(() => window.__incidentCaseMark === true))) {
    problems.push('the page reloaded to show the new alert (it must arrive through the stream)');
  }
}

/** Acknowledge through the dialog as `admin`; the page and the sidecar agree. */
async function acknowledge(page, ids, ctx, incident, problems) {
  const x = ids.incidents;
  await page.locator(sel(x.acknowledge)).click();
  if (!(await waitFor(page, sel(x.confirmAction), 'the acknowledge dialog', problems))) {
    return;
  }
  const comment = `browser test, line ${ctx.line}`;
  await page.locator(sel(x.comment)).fill(comment);
  await page.locator(sel(x.confirmAction)).click();
  if (
    !(await waitFor(page, `${sel(x.detail)}[data-state="acknowledged"]`, 'the incident shown acknowledged', problems))
  ) {
    const error = await page
      .locator(sel(x.actionError))
      .innerText()
      .catch(() => '');
    if (error) {
      problems.push(`acknowledge failed: ${error.trim().slice(0, 300)}`);
    }
    return;
  }
  const handled = (
    await page
      .locator(sel(x.handledBy))
      .innerText()
      .catch(() => '')
  ).trim();
  if (!handled.includes('acknowledged by admin')) {
    problems.push(`the detail says "${handled}", expected "acknowledged by admin …"`);
  }
  const held = await sidecarGet(ctx, `/incidents/${encodeURIComponent(incident.id)}`);
  if (held.state !== 'acknowledged' || held.acknowledgedBy !== 'admin') {
    problems.push(
      `the sidecar holds the incident as ${held.state} by ${held.acknowledgedBy}, expected acknowledged by admin`
    );
  }
  const entry = (held.timeline ?? []).find((t) => t.kind === 'acknowledged');
  if (!entry || entry.user !== 'admin') {
    problems.push(
      `the sidecar's timeline has no acknowledgement by admin: ${JSON.stringify(held.timeline).slice(0, 300)}`
    );
  }
  const shown = await page.locator(`${sel(x.timelineEntry)}[data-kind="acknowledged"]`).count();
  if (shown === 0) {
    problems.push('the page timeline does not show the acknowledgement');
  }
}

/** The plugin proxy's roles on the incident routes (plugin.json `routes`), checked without a browser. */
async function roleProblems(origin, incidentId) {
  const base = `${origin}/api/plugin-proxy/${APP_ID}/sidecar/api/v1`;
  const problems = [];
  for (const [role, method, path, expected] of [
    ['Viewer', 'GET', '/incidents', 200],
    ['Viewer', 'GET', `/incidents/${incidentId}`, 200],
    ['Viewer', 'GET', '/stream', 200],
    ['Viewer', 'POST', `/incidents/${incidentId}/acknowledge`, 403],
    ['Viewer', 'POST', `/incidents/${incidentId}/resolve`, 403],
    // An Editor's write reaches the sidecar: an unknown incident is the sidecar's own 404.
    ['Editor', 'POST', '/incidents/no-such-incident/resolve', 404],
  ]) {
    const abort = new AbortController();
    const res = await fetch(base + path, {
      method,
      headers: { cookie: `host_role=${role}`, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : '{}',
      signal: abort.signal,
    });
    // The stream never ends: its status and type are the answer.
    if (path === '/stream' && !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      problems.push(`plugin proxy as ${role}: GET /stream is not an event stream (${res.headers.get('content-type')})`);
    }
    abort.abort();
    if (res.status !== expected) {
      problems.push(`plugin proxy as ${role}: ${method} ${path} answered HTTP ${res.status}, expected ${expected}`);
    }
  }
  return problems;
}

/** The case (its screenshot, `incidents.png`, is the acknowledged incident's detail). */
export function incidentCase() {
  return {
    name: 'incidents: a correlated storm listed with its root cause, detail, live update, acknowledge',
    file: 'incidents',
    url: `/a/${APP_ID}/incidents`,
    async check(page, ids, ctx) {
      const problems = [];
      let incident;
      try {
        incident = { ...(await seedIncident(ctx)), line: ctx.line };
      } catch (e) {
        return [e.message];
      }
      // The page was opened before the incident existed: it must arrive (stream or resync), not a reload.
      if (!(await checkList(page, ids, incident, problems))) {
        return problems;
      }
      if (!(await checkDetail(page, ids, incident, problems))) {
        return problems;
      }
      await checkLiveUpdate(page, ids, ctx, problems);
      await acknowledge(page, ids, ctx, incident, problems);
      problems.push(...(await roleProblems(new URL(page.url()).origin, incident.id)));
      await page.mouse.move(0, 0);
      return problems;
    },
  };
}
