/**
 * The rule editor with the keyboard alone: Tab from the top meets every field of the form in order and
 * leaves the form after its last button (no focus trap); a rule typed with the keyboard is saved by
 * Enter in a text field, and deleted from the list through its confirmation dialog.
 */
import { DEMO_METRIC } from './prometheus.mjs';
import { openRules, rowByName, RULES_URL, sel, WAIT_MS, waitFor } from './ruleCases.mjs';

/** The nearest data-testid of the focused element (inputs inside a test-id box count as the box). */
function focusedId(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) {
      return null;
    }
    // The plugin's own ids start with "vigil-"; @grafana/ui puts its own on inner parts (radio buttons).
    return el.closest('[data-testid^="vigil-"]')?.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()}#${el.id}`;
  });
}

/** Presses Tab until the focus is inside `testId` (keyboard-only navigation); false if never. */
async function tabTo(page, testId, max = 150) {
  for (let i = 0; i < max; i++) {
    if ((await focusedId(page)) === testId) {
      return true;
    }
    await page.keyboard.press('Tab');
  }
  return false;
}

/**
 * Keyboard only: Tab from the top reaches every field of the form in order and then leaves the form
 * (no trap); a rule typed with the keyboard is saved by Enter in a text field; it is deleted with the
 * keyboard too.
 */
export function keyboardCase() {
  return {
    name: 'rule editor: keyboard only',
    file: 'rule-editor-keyboard',
    url: `${RULES_URL}/new`,
    async check(page, ids, ctx) {
      const name = `Keyboard rule (browser test, line ${ctx.line})`;
      const problems = [];
      const ed = ids.ruleEditor;
      if (!(await waitFor(page, sel(ed.form), 'rule editor', problems))) {
        return problems;
      }
      // Fields in the order a person meets them.
      const expected = [
        ed.name,
        ed.description,
        ed.severity,
        ed.datasource,
        ed.query,
        ed.conditionKind,
        ed.op,
        ed.threshold,
        ids.preview.range,
        ed.interval,
        ed.forDuration,
        ed.keepFiringFor,
        ed.addLabel,
        ed.summary,
        ed.annotationDescription,
        ed.runbookUrl,
        ed.dashboardUrl,
        ed.addAnnotation,
        ed.actions,
        ed.noDataState,
        ed.execErrState,
        ed.save,
        ed.cancel,
      ];
      const seen = [];
      let left = false;
      for (let i = 0; i < 200; i++) {
        await page.keyboard.press('Tab');
        const id = await focusedId(page);
        if (id && seen[seen.length - 1] !== id) {
          seen.push(id);
        }
        const inForm = await page.evaluate(
          (formSel) => Boolean(document.activeElement?.closest(formSel)),
          sel(ed.form)
        );
        if (seen.includes(ed.cancel) && !inForm) {
          left = true;
          break;
        }
      }
      let at = 0;
      for (const id of seen) {
        if (id === expected[at]) {
          at++;
        }
      }
      if (at < expected.length) {
        problems.push(
          `Tab order: reached ${expected.slice(0, at).length}/${expected.length} fields in order; next expected ${expected[at]}; focus went through ${seen.join(' → ')}`
        );
      }
      if (!left) {
        problems.push('focus never left the form after its last button (focus trap?)');
      }

      // Type a rule with the keyboard alone; Enter in the threshold field submits.
      await page.evaluate(() =>
        document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined
      );
      if (!(await tabTo(page, ed.name))) {
        problems.push('Tab never reached the name field');
        return problems;
      }
      await page.keyboard.type(name);
      await tabTo(page, ed.datasource);
      await page.keyboard.type('prometheus');
      await page.keyboard.press('Enter');
      await tabTo(page, ed.query);
      await page.keyboard.type(DEMO_METRIC.name);
      await tabTo(page, ed.threshold);
      await page.keyboard.type(String(DEMO_METRIC.quietThreshold));
      await page.keyboard.press('Enter');
      if (!(await openRules(page, ids, problems))) {
        return problems;
      }
      const row = rowByName(page, ids, name);
      if (
        !(await waitFor(page, `${sel(ids.rules.row)}:has-text("${name}")`, 'the keyboard rule in the list', problems))
      ) {
        return problems;
      }
      // Delete it with the keyboard: its delete button, Enter, then the dialog's Delete.
      await row.locator(sel(ids.rules.delete)).focus();
      await page.keyboard.press('Enter');
      if (await waitFor(page, sel(ids.rules.confirmDelete), 'delete confirmation', problems)) {
        if (!(await tabTo(page, ids.rules.confirmDelete, 10))) {
          problems.push('Tab inside the delete dialog never reached its Delete button');
        }
        await page.keyboard.press('Enter');
        await page
          .waitForSelector(`${sel(ids.rules.row)}:has-text("${name}")`, { state: 'detached', timeout: WAIT_MS })
          .catch(() => problems.push('the deleted rule is still listed'));
      }
      return problems;
    },
  };
}
