#!/usr/bin/env node
/**
 * Builds the host page's bundles:
 *   host/.build/<line>/externals.js (+ .css and assets)  the modules Grafana <line> shares with plugins
 *   host/.build/render.js                                 the renderer (host/render.ts), line-independent
 *
 * Line "12" resolves packages from the root node_modules (@grafana/* 12.4.x, React 18); line "13" from
 * host/grafana13/node_modules (@grafana/* 13.2.x, React 19), a separate npm project installed here with
 * `npm ci --prefix host/grafana13` when missing. A build is skipped when its inputs did not change.
 *
 * Usage: node host/build.mjs [--line 12|13|all] [--force]
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const HOST = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HOST, '..');
const BUILD = path.join(HOST, '.build');

/** Where each Grafana line's packages come from, and what to print as its version. */
export const LINES = {
  12: { modulesDir: path.join(ROOT, 'node_modules'), lockfile: path.join(ROOT, 'package-lock.json') },
  13: {
    modulesDir: path.join(HOST, 'grafana13', 'node_modules'),
    lockfile: path.join(HOST, 'grafana13', 'package-lock.json'),
  },
};

/** The @grafana/data version of a line, as installed (used for grafanaBootData.buildInfo). */
export function lineVersion(line) {
  const pkg = path.join(LINES[line].modulesDir, '@grafana', 'data', 'package.json');
  return JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
}

/** Folder holding a line's externals bundle. */
export function lineBuildDir(line) {
  return path.join(BUILD, String(line));
}

/**
 * Assets Grafana serves itself come from this npm project too: fonts (inter-ui, @fontsource/roboto-mono)
 * and the icons @grafana/ui does not ship (@iconify-json/uil, @iconify-json/uis).
 */
export const HOST_MODULES = LINES[13].modulesDir;

/** Installs host/grafana13's locked dependencies when they are missing. */
export function ensureGrafana13Deps() {
  const marker = path.join(HOST_MODULES, '@grafana', 'ui', 'package.json');
  const assets = ['inter-ui', '@fontsource/roboto-mono', '@iconify-json/uil', '@iconify-json/uis'].map((p) =>
    path.join(HOST_MODULES, p, 'package.json')
  );
  if (fs.existsSync(marker) && assets.every((f) => fs.existsSync(f))) {
    return;
  }
  console.log('host: installing host/grafana13 dependencies (npm ci --prefix host/grafana13)');
  // flock serialises with the other npm commands run on this machine; fall back to plain npm without it.
  const npmArgs = ['ci', '--prefix', path.join(HOST, 'grafana13'), '--no-audit', '--no-fund'];
  const hasFlock = fs.existsSync('/usr/bin/flock');
  execFileSync(hasFlock ? 'flock' : 'npm', hasFlock ? ['/tmp/vigil-npm.lock', 'npm', ...npmArgs] : npmArgs, {
    stdio: 'inherit',
  });
}

function digest(files, extra) {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f);
    h.update(fs.existsSync(f) ? fs.readFileSync(f) : 'missing');
  }
  h.update(extra);
  return h.digest('hex');
}

/** Resolves `vigil-host:plugin-page` to the line's own PluginPage module (see externals.ts). */
function pluginPagePlugin(modulesDir) {
  return {
    name: 'vigil-host-plugin-page',
    setup(build) {
      build.onResolve({ filter: /^vigil-host:plugin-page$/ }, () => ({
        // The real path: esbuild keys modules by it, and the setter must be the copy index.mjs imports.
        path: fs.realpathSync(
          path.join(modulesDir, '@grafana', 'runtime', 'dist', 'esm', 'components', 'PluginPage.mjs')
        ),
      }));
    },
  };
}

/** Fails the build when a line's bundle picked up a package from another line's node_modules. */
function checkInputs(line, metafile) {
  // esbuild reports real paths, so compare with the real path (node_modules may be a symlink).
  const own = fs.realpathSync(LINES[line].modulesDir) + path.sep;
  const foreign = Object.keys(metafile.inputs)
    .map((p) => path.resolve(ROOT, p))
    .filter((p) => p.includes(`${path.sep}node_modules${path.sep}`) && !p.startsWith(own));
  if (foreign.length > 0) {
    throw new Error(`line ${line} bundle resolved ${foreign.length} file(s) outside ${own}, e.g. ${foreign[0]}`);
  }
}

async function buildExternals(line, force) {
  const { modulesDir, lockfile } = LINES[line];
  const outDir = lineBuildDir(line);
  const stampFile = path.join(outDir, 'stamp');
  const stamp = digest([path.join(HOST, 'externals.ts'), path.join(HOST, 'build.mjs'), lockfile], esbuild.version);
  if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    return false;
  }
  // Built beside the live folder and swapped in, so a running host server never serves half a bundle.
  const tmpDir = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  const started = Date.now();
  const source = fs.readFileSync(path.join(HOST, 'externals.ts'), 'utf8');
  await esbuild
    .build({
      // Bundled from stdin so that bare imports resolve from the line's own folder first.
      stdin: { contents: source, resolveDir: path.dirname(modulesDir), sourcefile: 'externals.ts', loader: 'ts' },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      outfile: path.join(tmpDir, 'externals.js'),
      nodePaths: [modulesDir],
      minify: true,
      metafile: true,
      logLevel: 'warning',
      // Grafana ships production builds of React and its own packages.
      define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
      loader: {
        '.woff': 'file',
        '.woff2': 'file',
        '.ttf': 'file',
        '.eot': 'file',
        '.svg': 'file',
        '.png': 'file',
        '.gif': 'file',
      },
      plugins: [pluginPagePlugin(modulesDir)],
    })
    .then((r) => {
      checkInputs(line, r.metafile);
      return r;
    })
    .catch((e) => {
      fs.rmSync(tmpDir, { recursive: true, force: true });
      throw e;
    });
  fs.writeFileSync(path.join(tmpDir, 'stamp'), stamp);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.renameSync(tmpDir, outDir);
  console.log(`host: built line ${line} (@grafana/data ${lineVersion(line)}) in ${Date.now() - started} ms`);
  return true;
}

async function buildRender(force) {
  const outFile = path.join(BUILD, 'render.js');
  const stampFile = path.join(BUILD, 'render.stamp');
  const inputs = fs
    .readdirSync(path.join(HOST, 'render'))
    .map((f) => path.join(HOST, 'render', f))
    .concat([path.join(HOST, 'render.ts'), path.join(HOST, 'build.mjs')])
    .sort();
  const stamp = digest(inputs, esbuild.version);
  if (!force && fs.existsSync(outFile) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    return false;
  }
  await esbuild.build({
    entryPoints: [path.join(HOST, 'render.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile: `${outFile}.tmp-${process.pid}`,
    // render.ts only imports types from @grafana/*; every runtime value comes from window.__grafanaExternals.
    external: ['@grafana/*', 'react', 'react-dom', 'react-router', 'rxjs'],
    logLevel: 'warning',
  });
  fs.renameSync(`${outFile}.tmp-${process.pid}`, outFile);
  fs.writeFileSync(stampFile, stamp);
  return true;
}

/** Builds what the given lines need; returns the lines that were rebuilt. */
export async function buildHost({ lines = ['12', '13'], force = false } = {}) {
  for (const line of lines) {
    if (!LINES[line]) {
      throw new Error(`unknown Grafana line "${line}" (expected 12 or 13)`);
    }
  }
  // Fonts for both lines and all of line 13 come from host/grafana13.
  ensureGrafana13Deps();
  fs.mkdirSync(BUILD, { recursive: true });
  const rebuilt = [];
  for (const line of lines) {
    if (await buildExternals(line, force)) {
      rebuilt.push(line);
    }
  }
  await buildRender(force);
  return rebuilt;
}

function parseArgs(argv) {
  let lines = ['12', '13'];
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--line') {
      const v = argv[++i];
      if (!['12', '13', 'all'].includes(v)) {
        throw new Error(`--line must be 12, 13 or all, got "${v}"`);
      }
      lines = v === 'all' ? ['12', '13'] : [v];
    } else if (argv[i] === '--force') {
      force = true;
    } else {
      throw new Error(`unknown argument "${argv[i]}" (usage: node host/build.mjs [--line 12|13|all] [--force])`);
    }
  }
  return { lines, force };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const rebuilt = await buildHost(parseArgs(process.argv.slice(2)));
    if (rebuilt.length === 0) {
      console.log('host: bundles up to date');
    }
  } catch (e) {
    console.error(`host build failed: ${e.message}`);
    process.exit(1);
  }
}
