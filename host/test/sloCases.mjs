/**
 * The SLOs page walked as a user, in the built plugin against the real sidecar and its real Prometheus
 * (host/test/prometheus.mjs: 26 h of `vigil_host_cpu_percent`, above 80 for 3 of the last 24 h). An SLO
 * on that metric (a timeslice SLI: a 5-minute slice is good while the CPU stays under 80) is put to the
 * sidecar over HTTP with its token; once the sidecar's rule engine has evaluated it (its burn-rate rule
 * runs every minute) the page lists it with the status the sidecar computed — 3 bad hours of 24 spend a
 * 99% budget: exhausted — and its detail shows the burn-rate alerts. Then the editor creates an SLO as
 * `admin`: a total query without `$__range` first, refused by the sidecar with the problem shown under
 * that field, then fixed; the SLO opens, the list shows it, and the sidecar holds it, created by
 * `admin`. The proxy's roles on the SLO routes are checked as a Viewer and an Editor. Each Grafana line
 * gets its own SLO ids.
 */
import { APP_ID } from '../site.mjs';
import { sidecarGet } from './incidentSetup.mjs';
import { DEMO_METRIC } from './prometheus.mjs';
import { sel, waitFor } from './ruleCases.mjs';

const SLOS_URL = `/a/${APP_ID}/slos`;
/** The burn-rate rule runs on a 1-minute grid: its first evaluation comes within a minute, plus slack. */
const STATUS_WAIT_MS = 90_000;

/**
 * The seeded SLO of a line: a ratio of per-minute samples, good while the CPU is under the demo
 * metric's threshold (a subquery, so good and total count the same steps). A ratio SLI has generated
 * Prometheus rules, which the detail shows.
 */
function seededSpec(line) {
  const samples = (expr) => `sum(count_over_time((${expr})[$__range:1m]))`;
  const metric = `${DEMO_METRIC.name}{service="api"}`;
  return {
    id: `browser_cpu_${line}`,
    name: `CPU headroom (line ${line})`,
    service: 'api',
    target: 99,
    window: '1d',
    sli: { ratio: { good: samples(`${metric} < ${DEMO_METRIC.threshold}`), total: samples(metric) } },
    datasource: 'prometheus',
    // Its budget is spent (the point of the walk): no alerts, or the other cases' alert panels would
    // count them (the sidecar is shared by every case of both lines). Its status is still computed.
    alerting: { page: false, ticket: false },
  };
}

/** PUTs the SLO (POST when absent), as an operator would with the token; then waits for its first status. */
async function seedSlo(ctx) {
  const spec = seededSpec(ctx.line);
  const send = (method, path) =>
    fetch(`${ctx.sidecarUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${ctx.sidecarToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });
  let res = await send('PUT', `/slos/${spec.id}`);
  if (res.status === 404) {
    res = await send('POST', '/slos');
  }
  if (!res.ok) {
    throw new Error(`the sidecar refused the seeded SLO: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  const deadline = Date.now() + STATUS_WAIT_MS;
  for (;;) {
    const view = await sidecarGet(ctx, `/slos/${spec.id}`);
    if (view.status) {
      return view;
    }
    if (Date.now() > deadline) {
      throw new Error(`the sidecar did not evaluate the SLO ${spec.id} within ${STATUS_WAIT_MS / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The list shows the seeded SLO with the sidecar's status; its detail shows the burn-rate alerts. */
async function checkSeeded(page, ids, seeded, problems) {
  const x = ids.slos;
  const row = `${sel(x.row)}[data-slo-id="${seeded.id}"]`;
  if (!(await waitFor(page, row, `the SLO ${seeded.id} in the list`, problems))) {
    return;
  }
  const s = seeded.status;
  if (s.error) {
    problems.push(`the sidecar could not evaluate the seeded SLO: ${s.error}`);
  }
  const el = page.locator(row);
  const shown = await el.getAttribute('data-budget-status');
  if (shown !== s.budgetStatus) {
    problems.push(`the row's budget status is ${shown}, the sidecar's ${s.budgetStatus}`);
  }
  // 3 of 24 hours above the threshold: the SLI is near 87.5%, far below 99%.
  if (s.budgetStatus !== 'exhausted' || !(s.sli > 0.8 && s.sli < 0.95)) {
    problems.push(`expected an exhausted budget at an SLI near 87.5%, the sidecar says ${s.budgetStatus} at ${s.sli}`);
  }
  const sli = (await el.locator(sel(x.sli)).innerText()).trim();
  const expected = `${(s.sli * 100).toFixed(3)}%`;
  if (sli !== expected) {
    problems.push(`the row's SLI reads "${sli}", expected "${expected}"`);
  }
  const budget = (await el.locator(sel(x.budget)).innerText()).trim();
  if (budget !== '0.0%') {
    problems.push(`the row's budget remaining reads "${budget}", expected "0.0%"`);
  }
  await el.locator(sel(x.open)).click();
  if (!(await waitFor(page, `${sel(x.detail)}[data-slo-id="${seeded.id}"]`, 'the SLO detail', problems))) {
    return;
  }
  const rules = await page
    .locator(sel(x.rules))
    .innerText()
    .catch(() => '');
  if (!rules.includes(seeded.id) || !rules.includes('groups:')) {
    problems.push(`the detail does not show the SLO's generated Prometheus rules: "${rules.slice(0, 200)}"`);
  }
  // The burn-down came from the sidecar: a chart, or (minutes of data) the note that there is not enough
  // yet — never "No burn-down: <error>".
  await page
    .getByText(/Not enough data for a burn-down yet|No burn-down:/)
    .or(page.locator(sel(x.burnDown)))
    .first()
    .waitFor({ timeout: 15_000 })
    .catch(() => problems.push('the detail shows no burn-down'));
  const burnDownError = await page
    .getByText(/No burn-down:/)
    .innerText()
    .catch(() => null);
  if (burnDownError) {
    problems.push(`the burn-down failed: ${burnDownError}`);
  }
  const alerts = await page.locator(sel(x.burnRateRow)).evaluateAll((els) => els.map((e) => e.dataset.alert));
  const expectedAlerts = s.burnRates.map((b) => b.name);
  if (JSON.stringify(alerts) !== JSON.stringify(expectedAlerts) || alerts.length === 0) {
    problems.push(`the burn-rate table lists ${JSON.stringify(alerts)}, the sidecar ${JSON.stringify(expectedAlerts)}`);
  }
}

/** Fills the editor's text field `name`. */
const fill = (page, ids, name, value) => page.locator(sel(`${ids.slos.fieldPrefix}${name}`)).fill(value);

/**
 * Watches a tab like the runner's watchPage (host/test/chromium.mjs), except for the one refusal the
 * walk provokes: the sidecar's 400 on `POST …/slos` (and the browser's console line about it), which
 * must happen exactly once.
 */
function watchEditorTab(tab, problems) {
  const seen = { refused: 0 };
  const refusal = (url, method) => method === 'POST' && url.endsWith('/sidecar/api/v1/slos');
  tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  tab.on('console', (m) => {
    const expected = m.text().includes('status of 400') && seen.refused > 0;
    if (m.type() === 'error' && !expected) {
      problems.push(`console error: ${m.text().slice(0, 400)}`);
    }
  });
  tab.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') {
      problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
    }
  });
  tab.on('response', (r) => {
    if (r.status() === 400 && refusal(r.url(), r.request().method())) {
      seen.refused++;
    } else if (r.status() >= 400) {
      problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
    }
  });
  return seen;
}

/**
 * The editor creates an SLO; the sidecar's field error shows under its field first. In a tab of its
 * own, so that the refusal it provokes is told apart from any other failed request.
 */
async function createThroughEditor(page, ids, ctx, problems) {
  const tab = await page.context().newPage();
  const seen = watchEditorTab(tab, problems);
  try {
    await walkEditor(tab, ids, ctx, problems);
  } finally {
    await tab.close();
  }
  if (seen.refused !== 1) {
    problems.push(`expected the sidecar to refuse exactly one save (HTTP 400), saw ${seen.refused}`);
  }
}

async function walkEditor(page, ids, ctx, problems) {
  const x = ids.slos;
  const id = `browser_new_${ctx.line}`;
  const query = (range) => `sum(count_over_time(${DEMO_METRIC.name}{service="api"}[${range}]))`;
  await page.goto(new URL(SLOS_URL, ctx.origin).toString());
  if (!(await waitFor(page, sel(x.create), 'the New SLO button', problems))) {
    return;
  }
  await page.locator(sel(x.create)).click();
  if (!(await waitFor(page, sel(x.form), 'the SLO editor', problems))) {
    return;
  }
  await fill(page, ids, 'id', id);
  await fill(page, ids, 'name', `Browser SLO ${ctx.line}`);
  await fill(page, ids, 'service', 'api');
  await fill(page, ids, 'target', '99.5');
  await fill(page, ids, 'ratioEvents', query('$__range'));
  await fill(page, ids, 'ratioTotal', query('1h'));
  await page.locator(sel(x.save)).click();
  // Grafana's Field shows its error (role="alert") under the input, inside the Field's box.
  const under = () =>
    page.evaluate((testId) => {
      let el = document.querySelector(`[data-testid="${testId}"]`);
      for (let i = 0; el && i < 5; i++, el = el.parentElement) {
        const alert = el.querySelector('[role="alert"]');
        if (alert) {
          return alert.textContent ?? '';
        }
      }
      return '';
    }, `${x.fieldPrefix}ratioTotal`);
  let shownUnder = false;
  for (let waited = 0; waited < 15_000 && !shownUnder; waited += 250) {
    shownUnder = (await under()).includes('$__range');
    if (!shownUnder) {
      await page.waitForTimeout(250);
    }
  }
  if (!shownUnder) {
    const saveError = await page
      .locator(sel(x.saveError))
      .innerText()
      .catch(() => '(none)');
    problems.push(
      `the sidecar's error on sli.ratio.total is not shown under the total query (save error: ${saveError})`
    );
  }
  await fill(page, ids, 'ratioTotal', query('$__range'));
  // Preview first: the sidecar evaluates the unsaved spec on the demo Prometheus (a Prometheus SLI whose
  // window has data: an SLI and a burn-down).
  await page.locator(sel(x.previewButton)).click();
  if (await waitFor(page, sel(x.preview), 'the preview of the unsaved SLO', problems)) {
    const text = await page.locator(sel(x.preview)).innerText();
    if (!/SLI over the window: \d/.test(text)) {
      problems.push(`the preview shows no SLI: "${text.slice(0, 200)}"`);
    }
  }
  await page.locator(sel(x.save)).click();
  if (!(await waitFor(page, `${sel(x.detail)}[data-slo-id="${id}"]`, 'the created SLO opened', problems))) {
    return;
  }
  await page.locator('button', { hasText: 'All SLOs' }).click();
  await waitFor(page, `${sel(x.row)}[data-slo-id="${id}"]`, 'the created SLO in the list', problems);
  const held = await sidecarGet(ctx, `/slos/${id}`).catch((e) => ({ error: e.message }));
  if (held.createdBy !== 'admin' || held.target !== 99.5 || held.spec?.sli?.ratio?.total !== query('$__range')) {
    problems.push(`the sidecar holds ${JSON.stringify(held).slice(0, 300)}, expected the SLO as typed, by admin`);
  }
}

/** The plugin proxy's roles on the SLO routes (plugin.json `routes`), checked without a browser. */
async function roleProblems(origin, id) {
  const base = `${origin}/api/plugin-proxy/${APP_ID}/sidecar/api/v1`;
  const problems = [];
  for (const [role, method, path, expected] of [
    ['Viewer', 'GET', '/slos', 200],
    ['Viewer', 'GET', `/slos/${id}`, 200],
    ['Viewer', 'POST', '/slos', 403],
    ['Viewer', 'PUT', `/slos/${id}`, 403],
    ['Viewer', 'DELETE', `/slos/${id}`, 403],
    // An Editor's write reaches the sidecar: an unknown SLO is the sidecar's own 404.
    ['Editor', 'DELETE', '/slos/no_such_slo', 404],
  ]) {
    const res = await fetch(base + path, {
      method,
      headers: { cookie: `host_role=${role}`, 'content-type': 'application/json' },
      body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
    });
    if (res.status !== expected) {
      problems.push(`plugin proxy as ${role}: ${method} ${path} answered HTTP ${res.status}, expected ${expected}`);
    }
  }
  return problems;
}

/** The case (its screenshot, `slos.png`, is the list with both SLOs). */
export function sloCase() {
  return {
    name: 'slos: a real SLO listed with its status and burn-rate alerts, one created in the editor',
    file: 'slos',
    url: SLOS_URL,
    async check(page, ids, ctx) {
      const problems = [];
      let seeded;
      try {
        seeded = await seedSlo(ctx);
      } catch (e) {
        return [e.message];
      }
      // Opened before the SLO had a status: reload to read it.
      await page.reload({ waitUntil: 'load' });
      await checkSeeded(page, ids, seeded, problems);
      const origin = new URL(page.url()).origin;
      await createThroughEditor(page, ids, { ...ctx, origin }, problems);
      problems.push(...(await roleProblems(origin, seeded.id)));
      // The screenshot: the list with both SLOs.
      await page.goto(new URL(SLOS_URL, origin).toString());
      await waitFor(
        page,
        `${sel(ids.slos.row)}[data-slo-id="browser_new_${ctx.line}"]`,
        'the list with both SLOs',
        problems
      );
      await page.mouse.move(0, 0);
      return problems;
    },
  };
}
