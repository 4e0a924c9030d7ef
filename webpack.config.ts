/*
 * Extends create-plugin's webpack config (.config/webpack/webpack.config.ts, which stays untouched) as
 * .config/README.md describes: the panels import `@vigil/core` (the same detector the sidecar runs),
 * compiled from its TypeScript sources into each bundle by the existing swc rule.
 */
import path from 'path';
import { buildSync } from 'esbuild';
import webpack, { type Configuration } from 'webpack';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

// The real path, not node_modules/@vigil/core (a workspace symlink): the swc rule excludes
// /node_modules/, so core must be reached by a path without it to be transpiled.
const CORE_SRC = path.resolve(process.cwd(), 'core', 'src');

// The anomaly panel's detection worker (src/panels/anomaly/detect.worker.ts with @vigil/core), bundled
// on its own and put in the panel's module as a string (`__VIGIL_DETECT_WORKER__`): the panel starts
// it from a blob URL (detectWorker.ts), so it needs no file of its own served beside the module.
const WORKER_ENTRY = path.resolve(process.cwd(), 'src', 'panels', 'anomaly', 'detect.worker.ts');

function detectWorkerSource(production: boolean): string {
  const out = buildSync({
    entryPoints: [WORKER_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: production,
    alias: { '@vigil/core': CORE_SRC },
    logLevel: 'warning',
  });
  return out.outputFiles[0].text;
}

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  const cache = base.cache;
  return {
    ...base,
    // rebuild from scratch when this file changes, as for the base config
    cache:
      typeof cache === 'object' && cache.type === 'filesystem'
        ? {
            ...cache,
            buildDependencies: {
              config: [...(cache.buildDependencies?.config ?? []), path.resolve(process.cwd(), 'webpack.config.ts')],
            },
          }
        : cache,
    plugins: [
      ...(base.plugins ?? []),
      new webpack.DefinePlugin({
        // rebuilt on every compilation (watch mode too: the worker's sources are not webpack's modules)
        __VIGIL_DETECT_WORKER__: webpack.DefinePlugin.runtimeValue(
          () => JSON.stringify(detectWorkerSource(Boolean(env.production))),
          true
        ),
      }),
    ],
    resolve: {
      ...base.resolve,
      // `@vigil/core` → core/src/index.ts, `@vigil/core/detection` → core/src/detection/index.ts
      alias: { ...(base.resolve?.alias as Record<string, string> | undefined), '@vigil/core': CORE_SRC },
    },
  };
};

export default config;
