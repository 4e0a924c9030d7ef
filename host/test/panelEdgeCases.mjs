/**
 * The panels at their edges, in the browser, on both Grafana lines: the anomaly overlay on no data, a
 * query error, one point, only nulls, null gaps, 50,000 points × 10 series and 25 series; the SLO and
 * alert panels on no data and on a query error. Each must show its explicit state (empty, error) or
 * its chart, with no page error, console error or failed request (the runner's page watch).
 *
 * Fixtures: host/testdata/edge-*.json (small, with an `expect` block); the dense and many-series ones
 * are generated here (seeded, ~10 MB as JSON: not committed) and served in place of a fixture file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { colouredPixels } from './chromium.mjs';

const HOST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WAIT_MS = 30_000;
const sel = (id) => `[data-testid="${id}"]`;
const KEYS = { anomaly: 'anomalyPanel', slo: 'sloPanel', alerts: 'alertsPanel' };

/** `series` frames of `points` points 15 s apart (one per series, as Prometheus returns them), a spike in each. */
function generated(title, series, points) {
  const t0 = Date.UTC(2026, 10, 2);
  const times = Array.from({ length: points }, (_, i) => t0 + i * 15_000);
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const frames = Array.from({ length: series }, (_, s) => ({
    name: `series ${s}`,
    refId: 'A',
    fields: [
      { name: 'Time', type: 'time', values: times },
      {
        name: 'Value',
        type: 'number',
        labels: { instance: `host-${s}` },
        values: times.map((_, i) => {
          const v = 100 + 10 * s + 5 * Math.sin(i / 300) + 2 * rand();
          return Math.round((i === Math.floor(points * 0.7) + s ? v + 80 : v) * 1000) / 1000;
        }),
      },
    ],
  }));
  return { title, frames, expect: { state: 'ok', minAnomalies: series, minColoured: 200 } };
}

const FILES = [
  ['anomaly', 'edge-anomaly-empty'],
  ['anomaly', 'edge-anomaly-error'],
  ['anomaly', 'edge-anomaly-one-point'],
  ['anomaly', 'edge-anomaly-all-null'],
  ['anomaly', 'edge-anomaly-gaps'],
  ['slo', 'edge-slo-empty'],
  ['slo', 'edge-slo-error'],
  ['alerts', 'edge-alerts-empty'],
  ['alerts', 'edge-alerts-error'],
];
const GENERATED = [
  ['anomaly', 'edge-anomaly-dense', () => generated('anomaly: 50,000 points × 10 series', 10, 50_000)],
  ['anomaly', 'edge-anomaly-many-series', () => generated('anomaly: 25 series', 25, 2_000)],
];

async function text(page, id) {
  const el = page.locator(sel(id)).first();
  return (await el.count()) ? (await el.innerText()).trim() : undefined;
}

/** What the panel must show for the fixture's `expect` block. */
async function checkPanel(page, ids, panel, expect) {
  const p = ids[KEYS[panel]];
  const any = [p.container, p.error, p.empty].map(sel).join(', ') + ', [data-host-error]';
  try {
    await page.waitForSelector(any, { timeout: WAIT_MS });
  } catch {
    return [`nothing rendered within ${WAIT_MS / 1000} s`];
  }
  if (await page.locator('[data-host-error]').count()) {
    return [`host page error: ${(await page.locator('[data-host-error]').first().innerText()).split('\n')[0]}`];
  }
  const problems = [];
  const shown = (await page.locator(sel(p.error)).count())
    ? 'error'
    : (await page.locator(sel(p.empty)).count())
      ? 'empty'
      : 'ok';
  if (shown !== expect.state) {
    const says = await text(page, shown === 'error' ? p.error : shown === 'empty' ? p.empty : p.container);
    return [`expected the ${expect.state} state, saw ${shown}: "${(says ?? '').slice(0, 160)}"`];
  }
  if (expect.text) {
    const says = await text(page, shown === 'error' ? p.error : p.empty);
    if (!says?.includes(expect.text)) {
      problems.push(`the ${shown} state says "${says}", expected it to mention "${expect.text}"`);
    }
  }
  if (shown === 'ok' && panel === 'anomaly') {
    // on many points the panel detects in its workers while the chart draws: wait for their answer
    await page
      .waitForSelector(`${sel(p.container)}[data-detection="pending"]`, { state: 'detached', timeout: WAIT_MS })
      .catch(() => problems.push(`the detection did not finish within ${WAIT_MS / 1000} s`));
    const count = await text(page, p.anomalyCount);
    if (expect.anomalyCount !== undefined && count !== expect.anomalyCount) {
      problems.push(`anomaly count: expected "${expect.anomalyCount}", saw "${count}"`);
    }
    if (expect.minAnomalies !== undefined && !(Number.parseInt(count ?? '', 10) >= expect.minAnomalies)) {
      problems.push(`anomaly count: expected at least ${expect.minAnomalies}, saw "${count}"`);
    }
    if ((await page.locator(`${sel(p.chart)} canvas`).count()) === 0) {
      problems.push('no chart canvas');
    } else if (expect.minColoured) {
      const coloured = await colouredPixels(page, `${sel(p.chart)} canvas`);
      if (coloured < expect.minColoured) {
        problems.push(`the chart shows no series (${coloured} coloured pixels)`);
      }
    }
  }
  return problems;
}

/** The edge cases, as the browser test's case list takes them (`--case edge` runs only these). */
export function panelEdgeCases() {
  const cases = FILES.map(([panel, name]) => {
    const fixture = JSON.parse(fs.readFileSync(path.join(HOST, 'testdata', `${name}.json`), 'utf8'));
    return {
      name: `panel ${panel} (${name})`,
      file: `panel-${name}`,
      url: `/panel/${panel}?fixture=${name}`,
      check: (page, ids) => checkPanel(page, ids, panel, fixture.expect),
    };
  });
  for (const [panel, name, make] of GENERATED) {
    let body;
    let expect;
    cases.push({
      name: `panel ${panel} (${name})`,
      file: `panel-${name}`,
      // first the host page on a small fixture (the runner checks the line's shared modules there),
      // then this panel on the generated fixture, which the case serves
      url: `/panel/${panel}?fixture=edge-${panel}-empty`,
      async check(page, ids) {
        if (body === undefined) {
          const fixture = make();
          body = JSON.stringify(fixture);
          expect = fixture.expect;
        }
        await page.route(`**/testdata/${name}.json`, (route) =>
          route.fulfill({ status: 200, contentType: 'application/json', body })
        );
        await page.goto(new URL(`/panel/${panel}?fixture=${name}&width=1200&height=500`, page.url()).href);
        return checkPanel(page, ids, panel, expect);
      },
    });
  }
  return cases;
}
