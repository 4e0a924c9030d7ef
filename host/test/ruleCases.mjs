/**
 * The rule editor walked as a user would, in the built plugin against the real sidecar (with a real
 * Prometheus holding DEMO_METRIC, see prometheus.mjs): open the rules page, create a rule on the demo
 * metric, watch the backtest preview draw and count its firings, save, find it in the list, edit it;
 * the rule file's rule is read-only (the keyboard-only pass is in keyboardCase.mjs). Each case returns
 * the problems a person would see (empty: passed).
 */
import path from 'node:path';
import { APP_ID } from '../site.mjs';
import { colouredPixels } from './chromium.mjs';
import { DEMO_METRIC } from './prometheus.mjs';

export const WAIT_MS = 20_000;
export const RULES_URL = `/a/${APP_ID}/rules`;
export const sel = (id) => `[data-testid="${id}"]`;
// A chart with its series and shaded intervals has thousands of coloured pixels; axes alone have none.
const MIN_COLOURED_PIXELS = 500;

/** The id of the file rule that fires at once (the alert-summary panel's sidecar source shows it). */
export const ALWAYS_FIRING = 'browser_always_firing';

/** The read-only rules the browser test's sidecar loads from its rules folder. */
export const FILE_RULES = {
  'browser-test.yml': [
    'rules:',
    '  - id: browser_file_rule',
    '    name: File rule (read-only)',
    '    severity: info',
    '    datasource: prometheus',
    `    query: ${DEMO_METRIC.name}`,
    "    condition: { kind: threshold, op: '>', threshold: 99 }",
    // Fires from its first evaluation: what the alert-summary panel reads from the sidecar.
    `  - id: ${ALWAYS_FIRING}`,
    '    name: Always firing (browser test)',
    '    severity: critical',
    '    datasource: prometheus',
    '    query: vector(1)',
    "    condition: { kind: threshold, op: '>', threshold: 0 }",
    '    interval: 1s',
    '    labels: { service: browser-test }',
    '',
  ].join('\n'),
};

export async function waitFor(page, selector, what, problems, opts = {}) {
  try {
    await page.waitForSelector(selector, { timeout: WAIT_MS, ...opts });
    return true;
  } catch {
    problems.push(`${what}: not seen within ${WAIT_MS / 1000} s (${selector})`);
    return false;
  }
}

/** Opens the rules page and waits for its list (or reports its error state). */
export async function openRules(page, ids, problems) {
  if (!(await waitFor(page, `${sel(ids.pages.rules)}`, 'rules page', problems))) {
    return false;
  }
  await page.waitForSelector(sel(ids.pages.loading), { state: 'detached', timeout: WAIT_MS }).catch(() => {});
  const error = page.locator(sel(ids.pages.error));
  if (await error.count()) {
    problems.push(`rules page shows its error state: ${(await error.innerText()).trim()}`);
    return false;
  }
  return true;
}

/** The preview's summary once it shows `fired` firings; reports what it showed otherwise. */
async function expectPreview(page, ids, fired, problems) {
  const p = ids.preview;
  const ok = await waitFor(page, `${sel(p.summary)}[data-fired="${fired}"]`, `preview with ${fired} firings`, problems);
  if (!ok) {
    for (const id of [p.summary, p.error, p.empty, p.loading]) {
      const el = page.locator(sel(id));
      if (await el.count()) {
        problems.push(`preview shows: ${(await el.first().innerText()).trim().slice(0, 300)}`);
      }
    }
    return;
  }
  const coloured = await colouredPixels(page, sel(p.chart));
  if (coloured < MIN_COLOURED_PIXELS) {
    problems.push(`the preview chart drew ${coloured} coloured pixels (series and intervals missing?)`);
  }
  const events = await page.locator(sel(p.event)).count();
  if (fired > 0 && events < fired) {
    problems.push(`preview events: expected at least ${fired}, saw ${events}`);
  }
}

/** The list row of a rule, by its name. */
export const rowByName = (page, ids, name) => page.locator(sel(ids.rules.row), { hasText: name });

/** Rules as the sidecar has them, read through the host's plugin proxy (as the page does). */
async function sidecarRules(page) {
  return page.evaluate(async (url) => (await fetch(url)).json(), `/api/plugin-proxy/${APP_ID}/sidecar/api/v1/rules`);
}

/**
 * Expands the always-firing file rule's row: one of its instances is listed as firing, and its history
 * (opened with the instance's "History" toggle) shows a transition to firing.
 */
async function checkFiringInstances(page, ids, problems) {
  const r = ids.rules;
  const row = page.locator(`${sel(r.row)}[data-rule-id="${ALWAYS_FIRING}"]`);
  if ((await row.count()) === 0) {
    problems.push(`the rule ${ALWAYS_FIRING} is not listed`);
    return;
  }
  const toggle = row.locator(sel(r.expand));
  await toggle.click();
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
    problems.push(`the expand toggle of ${ALWAYS_FIRING} does not say aria-expanded="true" once clicked`);
  }
  const instance = `${sel(r.instances)}[data-rule-id="${ALWAYS_FIRING}"] ${sel(r.instance)}[data-state="firing"]`;
  if (!(await waitFor(page, instance, `a firing instance of ${ALWAYS_FIRING}`, problems))) {
    const shown = page.locator(`${sel(r.instances)}[data-rule-id="${ALWAYS_FIRING}"]`);
    if (await shown.count()) {
      problems.push(`the expanded row shows: ${(await shown.innerText()).trim().slice(0, 300)}`);
    }
    return;
  }
  const first = page.locator(instance).first();
  await first.locator(sel(r.historyToggle)).click();
  await waitFor(
    page,
    `${instance} ${sel(r.transition)}[data-to="firing"]`,
    'a transition to firing in the history',
    problems
  );
  // Collapse again so the rest of the case sees the list as it was.
  await toggle.click();
}

/** Create → preview → save → find in list → edit → preview → save, with the mouse and typing. */
export function ruleEditorCase() {
  return {
    name: 'rule editor: create, preview, save, edit',
    file: 'rule-editor',
    url: RULES_URL,
    async check(page, ids, ctx) {
      // One rule per Grafana line: both lines share the sidecar.
      const name = `Host CPU high (browser test, line ${ctx.line})`;
      const problems = [];
      const ed = ids.ruleEditor;
      if (!(await openRules(page, ids, problems))) {
        return problems;
      }
      await checkFiringInstances(page, ids, problems);
      // The rule file's rule is listed read-only and opens read-only.
      const fileRow = page.locator(`${sel(ids.rules.row)}[data-rule-id="browser_file_rule"][data-origin="file"]`);
      if ((await fileRow.count()) === 0 || (await fileRow.locator(sel(ids.rules.readOnlyBadge)).count()) === 0) {
        problems.push('the rule from the rules folder is not listed with its read-only badge');
      } else {
        await fileRow.locator(sel(ids.rules.edit)).click();
        if (await waitFor(page, sel(ed.readOnlyNotice), 'read-only notice of a file rule', problems)) {
          if (!(await page.locator(sel(ed.name)).isDisabled())) {
            problems.push('a file rule opens with an editable name');
          }
          if (await page.locator(sel(ed.save)).count()) {
            problems.push('a file rule shows a save button');
          }
        }
        await page.locator(sel(ed.cancel)).click();
        await openRules(page, ids, problems);
      }

      await page.locator(sel(ids.rules.create)).click();
      if (!(await waitFor(page, sel(ed.form), 'rule editor', problems))) {
        return problems;
      }
      // Grafana 13 gives inputs inside a Field the field's id unless they carry their own: a label
      // would then point at the wrong input.
      const dupIds = await page.locator(`${sel(ed.form)} [id]`).evaluateAll((els) => {
        const seen = els.map((e) => e.id);
        return [...new Set(seen.filter((id, i) => seen.indexOf(id) !== i))];
      });
      if (dupIds.length) {
        problems.push(`ids used twice in the rule editor: ${dupIds.join(', ')}`);
      }
      await page.locator(sel(ed.name)).fill(name);
      // Pick the datasource in its select: type to filter, Enter to choose.
      await page.locator('#rule-datasource').click();
      await page.keyboard.type('prometheus');
      await page.keyboard.press('Enter');
      if (!(await page.locator(sel(ed.datasource)).innerText()).includes('prometheus')) {
        problems.push('the datasource select does not show "prometheus" after choosing it');
      }
      await page.locator(sel(ed.query)).fill(DEMO_METRIC.name);
      await page.locator(sel(ed.threshold)).fill(String(DEMO_METRIC.threshold));
      await expectPreview(page, ids, DEMO_METRIC.firings, problems);
      // The 7-day range runs the same backtest over a longer window.
      await page
        .locator(sel(ids.preview.range))
        .getByRole('radio', { name: 'Last 7 days' })
        .click({ timeout: WAIT_MS });
      await expectPreview(page, ids, DEMO_METRIC.firings, problems);
      // The editor with its backtest drawn, for people to look at (the case's own shot is the list).
      await page.screenshot({ path: path.join(ctx.shots, 'rule-editor-preview.png'), fullPage: true });

      await page.locator(sel(ed.save)).click();
      if (!(await openRules(page, ids, problems))) {
        return problems;
      }
      const row = rowByName(page, ids, name);
      if (!(await waitFor(page, `${sel(ids.rules.row)}:has-text("${name}")`, 'the saved rule in the list', problems))) {
        return problems;
      }
      // Edit: the form comes back with the saved values; a higher threshold never fires.
      await row.locator(sel(ids.rules.edit)).click();
      if (!(await waitFor(page, sel(ed.form), 'rule editor (edit)', problems))) {
        return problems;
      }
      const threshold = await page.locator(sel(ed.threshold)).inputValue();
      if (threshold !== String(DEMO_METRIC.threshold)) {
        problems.push(`edit form: threshold "${threshold}", expected "${DEMO_METRIC.threshold}"`);
      }
      await expectPreview(page, ids, DEMO_METRIC.firings, problems);
      await page.locator(sel(ed.threshold)).fill(String(DEMO_METRIC.quietThreshold));
      await expectPreview(page, ids, 0, problems);
      await page.locator(sel(ed.save)).click();
      if (!(await openRules(page, ids, problems))) {
        return problems;
      }
      await waitFor(page, `${sel(ids.rules.row)}:has-text("${name}")`, 'the edited rule in the list', problems);
      const saved = (await sidecarRules(page)).rules?.find((r) => r.name === name);
      if (saved?.condition?.threshold !== DEMO_METRIC.quietThreshold) {
        problems.push(
          `the sidecar holds threshold ${saved?.condition?.threshold}, expected ${DEMO_METRIC.quietThreshold}`
        );
      }
      // The host proxy sends X-Grafana-User as Grafana does with send_user_header; the sidecar records it.
      if (saved && (saved.createdBy !== 'admin' || saved.updatedBy !== 'admin')) {
        problems.push(
          `the sidecar recorded the change as by "${saved.updatedBy}" (created by "${saved.createdBy}"), expected "admin"`
        );
      }
      if (saved && saved.version < 2) {
        problems.push(`the edited rule has version ${saved.version}: the edit was not stored as a change`);
      }
      return problems;
    },
  };
}
