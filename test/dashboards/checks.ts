// The static checks of a dashboard, as a list of problems (empty: fine), so the test can also show that
// each check fails on a doctored copy.
import type { CorePanels } from './panelTypes';
import { type PanelOptionKeys, unknownFieldConfig, unknownOptions } from './panelOptions';
import { allPanels, type Dashboard, type DsRef, type ProvisionedDatasource, targetDatasource } from './model';

/** What the checks compare a dashboard with. */
export interface CheckEnv {
  /** The schemaVersion Grafana 12.4 writes. */
  schemaVersion: number;
  datasources: Map<string, ProvisionedDatasource>;
  core: CorePanels;
  /** Vigil panel id → what its options editor knows. */
  vigil: Map<string, PanelOptionKeys>;
  /** Every dashboard uid in dashboards/ (links must point at one) and their tags. */
  dashboards: Array<{ uid: string; tags: string[] }>;
}

/** Grafana's own built-in annotation datasource, the only one not provisioned. */
const GRAFANA_BUILTIN = '-- Grafana --';

/** The problems of one dashboard (`file`: its file name, the uid must match it). */
export function dashboardProblems(file: string, d: Dashboard, env: CheckEnv): string[] {
  const problems: string[] = [];
  const at = (what: string) => (msg: string) => problems.push(`${what}: ${msg}`);
  const dsProblem = (where: (m: string) => void, ref: DsRef | null | undefined, required: boolean) => {
    if (!ref?.uid) {
      if (required) {
        where('no datasource');
      }
      return;
    }
    const ds = env.datasources.get(ref.uid);
    if (!ds) {
      where(
        `datasource uid "${ref.uid}" is not provisioned (provisioning/datasources has ${[...env.datasources.keys()].join(', ')})`
      );
    } else if (ref.type && ref.type !== ds.type) {
      where(`datasource "${ref.uid}" is a ${ds.type}, not a ${ref.type}`);
    }
  };

  if (`${d.uid}.json` !== file) {
    problems.push(`uid "${d.uid}" differs from the file name (stable uids: <uid>.json)`);
  }
  if (!/^[a-zA-Z0-9_-]{1,40}$/.test(d.uid ?? '')) {
    problems.push(`uid "${d.uid}" is not a valid Grafana uid`);
  }
  if (d.schemaVersion !== env.schemaVersion) {
    problems.push(`schemaVersion ${d.schemaVersion}, expected ${env.schemaVersion} (what Grafana 12.4 writes)`);
  }
  if (!d.tags?.includes('vigil')) {
    problems.push('no "vigil" tag');
  }
  const varNames = new Set((d.templating?.list ?? []).map((v) => v.name));
  for (const v of d.templating?.list ?? []) {
    if (v.datasource) {
      dsProblem(at(`variable ${v.name}`), v.datasource, false);
    }
  }
  for (const a of d.annotations?.list ?? []) {
    if (!(a.builtIn && a.datasource?.uid === GRAFANA_BUILTIN)) {
      dsProblem(at(`annotation ${String(a.name)}`), a.datasource, true);
    }
  }
  const linkProblem = (where: (m: string) => void, url: string | undefined) => {
    const m = /^\/d\/([^/?#]+)/.exec(url ?? '');
    if (m && !env.dashboards.some((x) => x.uid === m[1])) {
      where(`link to unknown dashboard uid "${m[1]}"`);
    }
  };
  for (const l of d.links ?? []) {
    linkProblem(at('dashboard link'), l.url);
    if (
      l.type === 'dashboards' &&
      !env.dashboards.some((x) => x.uid !== d.uid && l.tags?.every((t) => x.tags.includes(t)))
    ) {
      problems.push(`dashboard link by tags ${JSON.stringify(l.tags)} finds no other dashboard`);
    }
  }

  const panels = allPanels(d);
  const ids = panels.map((p) => p.id);
  for (const id of ids.filter((id, i) => ids.indexOf(id) !== i)) {
    problems.push(`panel id ${id} is used twice`);
  }
  for (const p of panels) {
    const where = at(`panel ${p.id} "${p.title}" (${p.type})`);
    if (!Number.isInteger(p.id) || p.id < 1) {
      where('id must be a positive integer');
    }
    const g = p.gridPos;
    if (!g || g.x < 0 || g.w < 1 || g.x + g.w > 24 || g.h < 1) {
      where(`gridPos ${JSON.stringify(g)} is outside the 24-column grid`);
    }
    if (p.repeat && !varNames.has(p.repeat)) {
      where(`repeats by $${p.repeat}, which the dashboard does not define`);
    }
    for (const l of p.links ?? []) {
      linkProblem(where, l.url);
    }
    if (p.type === 'row') {
      continue;
    }
    const vigil = env.vigil.get(p.type);
    if (!vigil && !env.core.isCorePanel(p.type)) {
      where(`type "${p.type}" is neither a core panel of Grafana ${env.core.versions.join(' and ')} nor a Vigil panel`);
    }
    const targets = p.targets ?? [];
    dsProblem(where, p.datasource, targets.length > 0);
    const refIds = targets.map((t) => t.refId);
    if (new Set(refIds).size !== refIds.length) {
      where(`refIds ${refIds.join(', ')} are not unique`);
    }
    for (const t of targets) {
      dsProblem(at(`panel ${p.id} "${p.title}" query ${t.refId}`), targetDatasource(p, t), true);
    }
    if (vigil) {
      for (const key of unknownOptions(p.options ?? {}, vigil.options)) {
        where(`option "${key}" is unknown to the ${p.type} options editor (it knows ${vigil.options.join(', ')})`);
      }
      for (const key of unknownFieldConfig(p.fieldConfig, vigil.fieldConfig)) {
        where(`field config "${key}" is unknown to ${p.type} (it knows ${vigil.fieldConfig.join(', ') || 'none'})`);
      }
    }
  }
  return problems;
}
