/**
 * The SLO panel on its "Vigil sidecar" source, in the built plugin against the real sidecar and its real
 * Prometheus (host/test/prometheus.mjs: 26 h of `vigil_host_cpu_percent`, ~40 ± 5 with 3 h at 92 in the
 * last 24 h). Two SLOs of the service `panel-demo` are put to the sidecar over HTTP (once for both
 * Grafana lines): CPU under 44 for 55% of the minutes over 1 d (the sine's peaks and the plateaus spend
 * about two thirds of the budget: warning, and the last hour still burns, so it has a time to exhaustion)
 * and CPU under 80 for 99% (spent). The panel shows one SLO — budget remaining in its status colour, SLI
 * against objective, time to exhaustion, burn-down, burn-rate table — and, in a second case, the
 * service's list; every figure is compared with what the test itself reads from the sidecar's API
 * (`GET /api/v1/slos/:id`, `…/budget`, `GET /api/v1/slos`), not with constants.
 *
 * The panel's options come in a fixture the host page fetches (`/testdata/<name>.json`); these fixtures
 * are answered from here (`page.route`), so the SLO ids live in one place.
 */
import { sidecarGet } from './incidentSetup.mjs';
import { DEMO_METRIC } from './prometheus.mjs';
import { sel, waitFor } from './ruleCases.mjs';
import { checkList, checkOne } from './sloPanelChecks.mjs';

const SERVICE = 'panel-demo';
/** The burn-rate rule runs on a 1-minute grid: its first evaluation comes within a minute, plus slack. */
const STATUS_WAIT_MS = 90_000;
const PANEL_URL = (fixture) => `/panel/slo?fixture=${fixture}&width=860&height=560`;

const samples = (expr) => `sum(count_over_time((${expr})[$__range:1m]))`;
const METRIC = `${DEMO_METRIC.name}{service="api"}`;

/** The two SLOs of the panel cases. Alerting off: the alert-summary panel's case counts the sidecar's alerts. */
const PANEL_SLOS = [
  { id: 'panel_cpu_busy', name: 'CPU under 44% (panel)', threshold: 44, target: 55 },
  { id: 'panel_cpu_spent', name: 'CPU under 80% (panel)', threshold: DEMO_METRIC.threshold, target: 99 },
].map(({ id, name, threshold, target }) => ({
  id,
  name,
  description: `Minutes with the api's CPU under ${threshold}%`,
  service: SERVICE,
  target,
  window: '1d',
  sli: { ratio: { good: samples(`${METRIC} < ${threshold}`), total: samples(METRIC) } },
  datasource: 'prometheus',
  alerting: { page: false, ticket: false },
}));

let seeded;

/** Creates the SLOs when absent (the first line's case) and waits until the sidecar has evaluated both. */
function seedPanelSlos(ctx) {
  seeded ??= (async () => {
    for (const spec of PANEL_SLOS) {
      const held = await fetch(`${ctx.sidecarUrl}/api/v1/slos/${spec.id}`, {
        headers: { authorization: `Bearer ${ctx.sidecarToken}` },
      });
      if (held.status === 200) {
        continue;
      }
      const res = await fetch(`${ctx.sidecarUrl}/api/v1/slos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.sidecarToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(spec),
      });
      if (!res.ok) {
        throw new Error(
          `the sidecar refused the SLO ${spec.id}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`
        );
      }
    }
    const deadline = Date.now() + STATUS_WAIT_MS;
    for (;;) {
      const views = await Promise.all(PANEL_SLOS.map((s) => sidecarGet(ctx, `/slos/${s.id}`)));
      if (views.every((v) => v.status)) {
        const failed = views.filter((v) => v.status.error);
        if (failed.length) {
          throw new Error(
            `the sidecar could not evaluate ${failed.map((v) => `${v.id}: ${v.status.error}`).join('; ')}`
          );
        }
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`the sidecar did not evaluate the panel's SLOs within ${STATUS_WAIT_MS / 1000} s`);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return seeded;
}

/** Answers the host page's fixture request with the panel's options (no frames: the sidecar source needs none). */
async function serveFixture(page, name, options) {
  await page.route(`**/testdata/${name}.json`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ title: `SLO (${name})`, options: { source: 'sidecar', ...options }, frames: [] }),
    })
  );
}
/**
 * Reads the sidecar, opens the panel, reads it, reads the sidecar again: when the sidecar re-evaluated
 * meanwhile (once a minute) the panel may hold either status, so the round is run again.
 */
async function compareWithSidecar(page, ctx, url, read, compare) {
  const stamp = (x) => JSON.stringify(x.map((v) => v.status?.evaluatedAt));
  let problems = [];
  for (let round = 0; round < 3; round++) {
    const before = await read();
    await page.goto(new URL(url, page.url()).toString(), { waitUntil: 'load' });
    problems = await compare(before);
    if (stamp(before.views) === stamp((await read()).views)) {
      return problems;
    }
  }
  return [...problems, 'the sidecar re-evaluated the SLOs during each of three rounds'];
}
/** Waits for the panel's normal view; its error or empty state is the problem. */
async function panelShown(page, ids, problems) {
  const p = ids.sloPanel;
  if (!(await waitFor(page, [p.container, p.error, p.empty].map(sel).join(', '), 'the SLO panel', problems))) {
    return false;
  }
  const state = page.locator(`${sel(p.error)}, ${sel(p.empty)}`);
  if (await state.count()) {
    problems.push(`the panel shows its error or empty state: ${await state.first().innerText()}`);
    return false;
  }
  return true;
}

/** The two cases: one SLO (screenshot `panel-slo-sidecar.png`) and the service's list (`panel-slo-sidecar-list.png`). */
export function sloPanelCases() {
  const one = PANEL_SLOS[0].id;
  return [
    {
      name: `panel slo (sidecar: one SLO, ${one})`,
      file: 'panel-slo-sidecar',
      url: '/panel/slo?fixture=slo',
      async check(page, ids, ctx) {
        await seedPanelSlos(ctx);
        await serveFixture(page, 'slo-sidecar', { sidecarShow: 'slo', sloId: one });
        const read = async () => {
          const view = await sidecarGet(ctx, `/slos/${one}`);
          return { views: [view], view, budget: await sidecarGet(ctx, `/slos/${one}/budget`) };
        };
        return compareWithSidecar(page, ctx, PANEL_URL('slo-sidecar'), read, async ({ view, budget }) => {
          const problems = [];
          if (!(await panelShown(page, ids, problems))) {
            return problems;
          }
          // The burn-down is read after the SLO: wait for it (or its note) to settle.
          await page
            .locator(sel(ids.sloPanel.burnDown))
            .or(page.getByText(/Not enough data|No burn-down/))
            .first()
            .waitFor({ timeout: 15_000 })
            .catch(() => {});
          return [...problems, ...(await checkOne(page, ids, view, budget))];
        });
      },
    },
    {
      name: `panel slo (sidecar: the list of ${SERVICE})`,
      file: 'panel-slo-sidecar-list',
      url: '/panel/slo?fixture=slo',
      async check(page, ids, ctx) {
        await seedPanelSlos(ctx);
        await serveFixture(page, 'slo-sidecar-list', { sidecarShow: 'list', service: SERVICE });
        const read = async () => ({
          views: (await sidecarGet(ctx, '/slos')).slos.filter((v) => v.service === SERVICE),
        });
        return compareWithSidecar(page, ctx, PANEL_URL('slo-sidecar-list'), read, async ({ views }) => {
          const problems = [];
          if (views.length !== PANEL_SLOS.length) {
            problems.push(`the sidecar lists ${views.length} SLOs of ${SERVICE}, expected ${PANEL_SLOS.length}`);
          }
          // The data is chosen so that the two differ (warning and exhausted): two colours to check.
          if (new Set(views.map((v) => v.status?.budgetStatus)).size < 2) {
            problems.push(
              `both SLOs of ${SERVICE} are ${views[0]?.status?.budgetStatus}: the case checks one colour only`
            );
          }
          if (!(await panelShown(page, ids, problems))) {
            return problems;
          }
          return [...problems, ...(await checkList(page, ids, views, SERVICE))];
        });
      },
    },
  ];
}
