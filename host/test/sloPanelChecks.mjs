/**
 * What the SLO panel on its "Vigil sidecar" source must show, compared with the sidecar's own answers
 * (see sloPanelCases.mjs): one SLO's figures, burn-down and burn-rate table, and the list's rows. Each
 * check returns the problems it saw (empty: passed).
 */
import { sel } from './ruleCases.mjs';

/** A span as the panel writes it ("1d 12h", "45m") back in ms, and the unit of its last part. */
function parseSpan(text) {
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
  const parts = [...text.matchAll(/(\d+)([dhms])/g)];
  if (parts.length === 0) {
    return null;
  }
  const ms = parts.reduce((n, [, v, u]) => n + Number(v) * unit[u], 0);
  return { ms, resolution: unit[parts[parts.length - 1][2]] };
}

/** Problems with a time to exhaustion shown as `text` for the sidecar's status `s`. */
function exhaustionProblems(what, text, s) {
  if (s.budgetStatus === 'exhausted' || s.budgetRemaining === 0) {
    return text === 'exhausted' ? [] : [`${what} reads "${text}", the budget is exhausted`];
  }
  if (s.timeToExhaustionMs === null) {
    return text === '—' ? [] : [`${what} reads "${text}", the sidecar says nothing burns`];
  }
  const span = parseSpan(text);
  // The panel shows the two largest units, truncated: it is at most one of its last unit short.
  const ok = span && span.ms <= s.timeToExhaustionMs && s.timeToExhaustionMs - span.ms < span.resolution;
  return ok ? [] : [`${what} reads "${text}", the sidecar's ${s.timeToExhaustionMs} ms`];
}

/** The hue (0–360°) of a CSS `rgb(…)` colour. */
function hue(css) {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255);
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (!(d > 0.2)) {
    return null; // grey: no status colour
  }
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

/** Whether a CSS colour is the status's (Grafana's named green, orange, red, dark red, in either theme). */
function statusColourProblem(what, css, status) {
  const h = hue(css);
  const ok = {
    healthy: (x) => x >= 70 && x <= 170,
    warning: (x) => x >= 20 && x <= 50,
    critical: (x) => x < 15 || x > 340,
    exhausted: (x) => x < 15 || x > 340,
  }[status];
  return h !== null && ok?.(h) ? [] : [`${what} is ${css}, not the colour of ${status}`];
}

const pct = (ratio, digits) => `${(ratio * 100).toFixed(digits)}%`;
const rate = (r) => (r === null ? '—' : `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`);

/** The panel's figures for one SLO against `GET /api/v1/slos/:id` and its burn-down against `…/budget`. */
export async function checkOne(page, ids, view, budget) {
  const p = ids.sloPanel;
  const problems = [];
  const s = view.status;
  const text = async (id) => (await page.locator(sel(id)).first().innerText()).trim();
  const expect = (what, actual, expected) =>
    actual !== expected && problems.push(`${what} reads "${actual}", the sidecar's is "${expected}"`);
  expect('budget remaining', await text(p.budgetRemaining), pct(s.budgetRemaining, 1));
  expect('budget status', (await text(p.status)).toLowerCase(), s.budgetStatus);
  expect('SLI', await text(p.sli), pct(s.sli, 3));
  expect('objective', await text(p.objective), `${view.target}%`);
  const colour = await page.locator(sel(p.budgetRemaining)).evaluate((e) => getComputedStyle(e).color);
  problems.push(...statusColourProblem('the budget remaining', colour, s.budgetStatus));
  problems.push(...exhaustionProblems('time to exhaustion', await text(p.timeToExhaustion), s));
  // The burn-down: as many steps as the sidecar's (± one step passing meanwhile), ending where it ends.
  const line = page.locator(sel(p.burnDown));
  if (!(await line.count())) {
    const note = await page
      .locator(sel(p.burnDownNote))
      .innerText()
      .catch(() => '(nothing)');
    problems.push(`no burn-down in the panel: ${note}`);
  } else {
    const drawn = await line.evaluate((svg) => ({
      points: Number(svg.dataset.points),
      remaining: Number(svg.dataset.remaining),
      segments: (svg.querySelector('path')?.getAttribute('d') ?? '').split('L').length,
      stroke: getComputedStyle(svg.querySelector('path')).stroke,
    }));
    const last = budget.points[budget.points.length - 1];
    if (Math.abs(drawn.points - budget.points.length) > 1 || drawn.segments !== drawn.points || drawn.points < 2) {
      problems.push(
        `the burn-down draws ${drawn.segments} of ${drawn.points} points, the sidecar has ${budget.points.length}`
      );
    }
    if (!(Math.abs(drawn.remaining - last.remaining) < 0.01)) {
      problems.push(`the burn-down ends at ${drawn.remaining}, the sidecar's at ${last.remaining}`);
    }
    if (drawn.stroke !== colour) {
      problems.push(`the burn-down is drawn in ${drawn.stroke}, the budget in ${colour}`);
    }
  }
  const rows = await page.locator(sel(p.burnRateRow)).evaluateAll((els) =>
    els.map((e) => ({
      alert: e.dataset.alert,
      firing: e.dataset.firing,
      cells: [...e.cells].map((c) => c.innerText),
    }))
  );
  // These SLOs' alerts are off in their spec: a verdict that fires says it would (it raises nothing).
  const off = (kind) => view.spec.alerting?.[kind] === false;
  const verdict = (b) =>
    b.firing
      ? off(b.kind)
        ? 'would fire (off)'
        : 'firing'
      : b.lowTraffic
        ? 'low traffic'
        : off(b.kind)
          ? 'no (off)'
          : 'no';
  const expected = s.burnRates.map((b) => ({
    alert: b.name,
    firing: String(b.firing),
    cells: [b.name, undefined, rate(b.factor), rate(b.longRate), rate(b.shortRate), verdict(b)],
  }));
  if (rows.length === 0 || rows.length !== expected.length) {
    problems.push(`the burn-rate table has ${rows.length} rows, the sidecar ${expected.length} alerts`);
  }
  rows.forEach((row, i) => {
    const e = expected[i];
    const same =
      e &&
      row.alert === e.alert &&
      row.firing === e.firing &&
      e.cells.every((c, k) => c === undefined || c === row.cells[k]);
    if (!same) {
      problems.push(`burn-rate row ${i}: ${JSON.stringify(row)}, the sidecar's ${JSON.stringify(e)}`);
    }
  });
  return problems;
}

/** The list's rows against `GET /api/v1/slos` filtered to the service, in the sidecar's order. */
export async function checkList(page, ids, views, service) {
  const p = ids.sloPanel;
  const problems = [];
  const rows = await page.locator(sel(p.listRow)).evaluateAll(
    (els, cells) =>
      els.map((e) => ({
        id: e.dataset.sloId,
        status: e.dataset.budgetStatus,
        ...Object.fromEntries(cells.map(([k, id]) => [k, e.querySelector(`[data-testid="${id}"]`)?.innerText.trim()])),
        colour: getComputedStyle(e.querySelector(`[data-testid="${cells[3][1]}"]`)).color,
      })),
    [
      ['name', p.listName],
      ['sli', p.listSli],
      ['objective', p.listObjective],
      ['budget', p.listBudget],
      ['exhaustion', p.listTimeToExhaustion],
    ]
  );
  const order = (xs) => JSON.stringify(xs.map((x) => x.id));
  // The sidecar's list is sorted by budget remaining, as the panel's.
  if (order(rows) !== order(views)) {
    problems.push(`the list shows ${order(rows)}, the sidecar lists ${order(views)} for ${service}`);
  }
  for (const v of views) {
    const row = rows.find((r) => r.id === v.id);
    const s = v.status;
    if (!row) {
      continue;
    }
    const want = {
      name: v.name,
      status: s.budgetStatus,
      sli: pct(s.sli, 3),
      objective: `${v.target}%`,
      budget: pct(s.budgetRemaining, 1),
    };
    for (const [k, value] of Object.entries(want)) {
      if (row[k] !== value) {
        problems.push(`${v.id}: the list's ${k} reads "${row[k]}", the sidecar's is "${value}"`);
      }
    }
    problems.push(...statusColourProblem(`${v.id}'s budget`, row.colour, s.budgetStatus));
    problems.push(...exhaustionProblems(`${v.id}'s time to exhaustion`, row.exhaustion, s));
  }
  return problems;
}
