// The SLO rule's alert summary: the burn-rate threshold printed as people read it (1.03×, 14.4×), not
// as the float the window scaling makes of it (1.033333333333×).
import { renderTemplate } from '@vigil/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSlos } from './load';
import { sloRuleBody } from './sloRule';

const slo = loadSlos(readFileSync(join(__dirname, 'testdata', 'openslo-v1-checkout.yaml'), 'utf8')).slos[0];
const summary = (threshold: number) =>
  renderTemplate(sloRuleBody(slo).annotations.summary, { value: 3.72, threshold, labels: { slo_alert: 'ticket_3d' } });

it.each([
  [1 + 1 / 30, '1.03×'],
  [14.4, '14.4×'],
  [6, '6×'],
])('threshold %p prints as %s', (threshold, shown) => {
  expect(summary(threshold)).toMatch(
    new RegExp(`burning at 3\\.7× \\(ticket_3d, threshold ${shown.replace('.', '\\.')}\\)$`)
  );
});
