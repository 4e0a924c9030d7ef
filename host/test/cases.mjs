/**
 * What the browser test visits and what a person must see there. Test ids come from src/testIds.ts
 * (the plugin's own, shared with its Jest tests); expected texts come from the fixtures' `expect`
 * blocks (host/testdata) and, for page headings, from the built plugin.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { APP_ID, PAGES, PANEL_FIXTURES } from '../site.mjs';
import { colouredPixels } from './chromium.mjs';

const HOST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEST_IDS = path.join(HOST, '..', 'src', 'testIds.ts');
const WAIT_MS = 15_000;

/** src/testIds.ts, compiled on the fly (it is TypeScript and belongs to the plugin). */
export async function loadTestIds() {
  if (!fs.existsSync(TEST_IDS)) {
    throw new Error(`${TEST_IDS} is missing: the browser test takes its selectors from it`);
  }
  const { code } = await esbuild.transform(fs.readFileSync(TEST_IDS, 'utf8'), { loader: 'ts', format: 'esm' });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  return mod.testIds;
}

const sel = (id) => `[data-testid="${id}"]`;

async function text(page, id) {
  const el = page.locator(sel(id)).first();
  return (await el.count()) ? (await el.innerText()).trim() : undefined;
}

function expectEqual(problems, what, actual, expected) {
  if (actual !== expected) {
    problems.push(`${what}: expected "${expected}", saw "${actual ?? '(missing)'}"`);
  }
}

/** Waits for the panel's normal view; reports its error/empty state instead of a bare timeout. */
async function waitForPanel(page, ids) {
  // [data-host-error]: the host page could not load or render the plugin; no point waiting longer.
  const any = [...[ids.container, ids.error, ids.empty].map(sel), '[data-host-error]'].join(', ');
  try {
    await page.waitForSelector(any, { timeout: WAIT_MS });
  } catch {
    return `nothing rendered within ${WAIT_MS / 1000} s (no ${ids.container}, ${ids.error} or ${ids.empty})`;
  }
  if (await page.locator('[data-host-error]').count()) {
    return 'the panel did not render (host page error below)';
  }
  for (const [id, state] of [
    [ids.error, 'error'],
    [ids.empty, 'empty'],
  ]) {
    const t = await text(page, id);
    if (t !== undefined) {
      return `panel shows its ${state} state: ${t}`;
    }
  }
  return undefined;
}

// A chart with its series drawn has hundreds of coloured pixels; axes and grid alone have none.
const MIN_COLOURED_PIXELS = 200;

const panelChecks = {
  async anomaly(page, ids, expect) {
    const ap = ids.anomalyPanel;
    const problems = [];
    const canvas = `${sel(ap.chart)} canvas`;
    if ((await page.locator(canvas).count()) === 0) {
      problems.push('no chart canvas in the anomaly panel');
    } else {
      const coloured = await colouredPixels(page, canvas);
      if (coloured < MIN_COLOURED_PIXELS) {
        problems.push(`the chart shows no series (${coloured} coloured pixels on its canvas)`);
      }
    }
    const count = await text(page, ap.anomalyCount);
    if (expect.anomalyCount !== undefined) {
      expectEqual(problems, 'anomaly count', count, expect.anomalyCount);
    }
    if (expect.minAnomalies !== undefined && !(Number.parseInt(count ?? '', 10) >= expect.minAnomalies)) {
      problems.push(`anomaly count: expected at least ${expect.minAnomalies}, saw "${count ?? '(missing)'}"`);
    }
    const incidents = await page.$$eval(sel(ap.incident), (els) => els.map((e) => e.dataset.anomalyType));
    if (expect.incidents !== undefined && incidents.length !== expect.incidents) {
      problems.push(`incident list: expected ${expect.incidents} incidents, saw ${incidents.length}`);
    }
    if (expect.minAnomalies !== undefined && incidents.length === 0) {
      problems.push('incident list: no incident listed under the chart');
    }
    if (expect.incidentTypes && !incidents.some((t) => expect.incidentTypes.includes(t))) {
      problems.push(`no incident of type ${expect.incidentTypes.join(' or ')} (saw ${incidents.join(', ') || 'none'})`);
    }
    for (const type of expect.types ? incidents : []) {
      if (!expect.types.includes(type)) {
        problems.push(`incident type "${type}" is none of the detector's types ${expect.types.join(', ')}`);
      }
    }
    return problems;
  },
  async slo(page, ids, expect) {
    const sp = ids.sloPanel;
    const problems = [];
    expectEqual(problems, 'budget remaining', await text(page, sp.budgetRemaining), expect.budgetRemaining);
    expectEqual(problems, 'budget status', (await text(page, sp.status))?.toLowerCase(), expect.status);
    expectEqual(problems, 'objective', await text(page, sp.objective), expect.objective);
    return problems;
  },
  async alerts(page, ids, expect) {
    const al = ids.alertsPanel;
    const problems = [];
    expectEqual(problems, 'alert count', await text(page, al.count), expect.count);
    const items = await page.locator(sel(al.item)).count();
    if (items !== expect.items) {
      problems.push(`alert list: expected ${expect.items} items, saw ${items}`);
    }
    const chips = await page.$$eval(sel(al.severityCount), (els) =>
      Object.fromEntries(els.map((e) => [e.dataset.severity, e.innerText.trim()]))
    );
    for (const [severity, n] of Object.entries(expect.severities)) {
      expectEqual(problems, `${severity} count`, chips[severity], `${severity} ${n}`);
    }
    return problems;
  },
};

/** Panels: /panel/<panel>?fixture=<fixture> with host/testdata/<fixture>.json. */
export function panelCases() {
  return PANEL_FIXTURES.map(({ panel, fixture: name }) => {
    const fixture = JSON.parse(fs.readFileSync(path.join(HOST, 'testdata', `${name}.json`), 'utf8'));
    return {
      name: name === panel ? `panel ${panel}` : `panel ${panel} (${name})`,
      file: `panel-${name}`,
      url: `/panel/${panel}?fixture=${name}`,
      async check(page, ids) {
        const key = { anomaly: 'anomalyPanel', slo: 'sloPanel', alerts: 'alertsPanel' }[panel];
        const waited = await waitForPanel(page, ids[key]);
        if (waited) {
          return [waited];
        }
        return panelChecks[panel](page, ids, fixture.expect);
      },
    };
  });
}

/** App pages: /a/vigil-observability-app/<page>, each with its container and Grafana's page title. */
export function pageCases(pluginJson) {
  return PAGES.map((name) => {
    const route = `/a/${APP_ID}/${name}`;
    const include = (pluginJson.includes ?? []).find((i) => i.type === 'page' && i.path === route);
    return {
      name: `page ${name}`,
      file: `page-${name}`,
      url: route,
      async check(page, ids) {
        if (!include) {
          return [`the built plugin.json has no page include for ${route}`];
        }
        const problems = [];
        const container = sel(ids.pages[name]);
        try {
          await page.waitForSelector(`${container}, [data-host-error]`, { timeout: WAIT_MS });
        } catch {
          return [`no ${ids.pages[name]} within ${WAIT_MS / 1000} s`];
        }
        if (await page.locator('[data-host-error]').count()) {
          return ['the page did not render (host page error below)'];
        }
        // The page's first sidecar request must settle, and not into the error state.
        try {
          await page.waitForSelector(`${container} ${sel(ids.pages.loading)}`, { state: 'detached', timeout: WAIT_MS });
        } catch {
          problems.push(`still loading after ${WAIT_MS / 1000} s`);
        }
        const error = await text(page, ids.pages.error);
        if (error !== undefined) {
          problems.push(`page shows its error state: ${error}`);
        }
        const headings = await page.$$eval('h1, h2', (els) => els.map((e) => e.innerText.trim()));
        if (!headings.includes(include.name)) {
          problems.push(`no heading "${include.name}" (headings: ${JSON.stringify(headings)})`);
        }
        return problems;
      },
    };
  });
}

/**
 * The app's configuration page (/plugins/vigil-observability-app): it shows the stored sidecar URL and
 * that a token is stored (never the token), and saving goes to Grafana's plugin settings API.
 */
export function configCase() {
  return {
    name: 'page configuration',
    file: 'page-configuration',
    url: `/plugins/${APP_ID}`,
    async check(page, ids, ctx) {
      const ac = ids.appConfig;
      try {
        await page.waitForSelector(`${sel(ac.container)}, [data-host-error]`, { timeout: WAIT_MS });
      } catch {
        return [`no ${ac.container} within ${WAIT_MS / 1000} s`];
      }
      if (await page.locator('[data-host-error]').count()) {
        return ['the page did not render (host page error below)'];
      }
      const problems = [];
      const url = await page
        .locator(`input${sel(ac.sidecarUrl)}, ${sel(ac.sidecarUrl)} input`)
        .first()
        .inputValue();
      expectEqual(problems, 'sidecar URL field', url, ctx.sidecarUrl);
      const token = page.locator(`input${sel(ac.sidecarToken)}, ${sel(ac.sidecarToken)} input`).first();
      if (!(await token.isDisabled()) || (await token.inputValue()) === ctx.sidecarToken) {
        problems.push('the token field should show a stored token as "configured", not an editable value');
      }
      // Save: the form posts to Grafana's settings API, then reloads the page with the saved settings.
      const saved = page.waitForResponse(
        (r) => r.url().endsWith(`/api/plugins/${APP_ID}/settings`) && r.request().method() === 'POST'
      );
      await page.locator(sel(ac.submit)).click();
      const response = await saved.catch(() => undefined);
      if (!response) {
        problems.push('saving posted nothing to the plugin settings API');
      } else if (response.status() !== 200) {
        problems.push(`saving answered HTTP ${response.status()}`);
      }
      await page
        .waitForSelector(sel(ac.container), { timeout: WAIT_MS })
        .catch(() => problems.push('no form after saving'));
      return problems;
    },
  };
}

/**
 * The plugin proxy, checked without a browser: the sidecar answers 401 to any /api/v1 route without the
 * token (its contract), so a route that passes authentication through the proxy proves the proxy added
 * `Authorization: Bearer <token>`; and the proxy must not pass on a token the browser sends itself.
 */
export async function proxyProblems(hostUrl, sidecarUrl) {
  const route = '/api/v1/monitoring/host-proxy-check';
  const problems = [];
  const direct = await fetch(sidecarUrl + route);
  if (direct.status !== 401) {
    problems.push(`the sidecar answered ${direct.status} without a token (expected 401), so the check proves nothing`);
  }
  const proxied = await fetch(`${hostUrl}/api/plugin-proxy/${APP_ID}/sidecar${route}`, {
    headers: { authorization: 'Bearer from-the-browser-0123456789' },
  });
  if (proxied.status === 401 || proxied.status >= 500) {
    problems.push(`through the plugin proxy: HTTP ${proxied.status} (the proxy did not add the sidecar token)`);
  }
  // plugin.json's reqRole per path and method, as Grafana applies it: a Viewer reads rules but may not
  // write them (403 from the proxy, nothing reaches the sidecar); an Editor's write reaches the sidecar
  // (an empty body: the sidecar's own 400). Writes nobody listed are for Admins.
  const rules = `${hostUrl}/api/plugin-proxy/${APP_ID}/sidecar/api/v1/rules`;
  const as = (role, method, url = rules) =>
    fetch(url, {
      method,
      headers: { cookie: `host_role=${role}`, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : '{}',
    });
  for (const [role, method, url, expect] of [
    ['Viewer', 'GET', rules, (s) => s === 200],
    ['Viewer', 'POST', rules, (s) => s === 403],
    ['Viewer', 'DELETE', `${rules}/x`, (s) => s === 403],
    ['Editor', 'POST', rules, (s) => s === 400],
    ['Editor', 'PATCH', `${rules}/x`, (s) => s === 403],
  ]) {
    const res = await as(role, method, url);
    if (!expect(res.status)) {
      problems.push(`plugin proxy as ${role}: ${method} ${url.slice(hostUrl.length)} answered HTTP ${res.status}`);
    }
  }
  return problems;
}
