/**
 * Icons Grafana serves that @grafana/ui does not ship in dist/public (the spinner of
 * LoadingPlaceholder, among others): Grafana's icon set is Unicons, which the Iconify JSON packages
 * @iconify-json/uil (line) and @iconify-json/uis (solid) carry as SVG bodies, without build-time deps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HOST_MODULES } from './build.mjs';

const SETS = { unicons: 'uil', solid: 'uis' };
const cache = new Map();

function iconSet(folder) {
  const pkg = SETS[folder];
  if (!pkg) {
    return undefined;
  }
  if (!cache.has(pkg)) {
    cache.set(pkg, JSON.parse(fs.readFileSync(path.join(HOST_MODULES, '@iconify-json', pkg, 'icons.json'), 'utf8')));
  }
  return cache.get(pkg);
}

/** The SVG of `name` in Grafana's icon folder `folder` ("unicons" or "solid"), or undefined. */
export function unicon(folder, name) {
  const set = iconSet(folder);
  if (!set) {
    return undefined;
  }
  const icon = set.icons[name] ?? set.icons[set.aliases?.[name]?.parent];
  if (!icon) {
    return undefined;
  }
  const width = icon.width ?? set.width ?? 24;
  const height = icon.height ?? set.height ?? 24;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${icon.body}</svg>`;
}
