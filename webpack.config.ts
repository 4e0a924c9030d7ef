/*
 * Extends create-plugin's webpack config (.config/webpack/webpack.config.ts, which stays untouched) as
 * .config/README.md describes: the panels import `@vigil/core` (the same detector the sidecar runs),
 * compiled from its TypeScript sources into each bundle by the existing swc rule.
 */
import path from 'path';
import type { Configuration } from 'webpack';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

// The real path, not node_modules/@vigil/core (a workspace symlink): the swc rule excludes
// /node_modules/, so core must be reached by a path without it to be transpiled.
const CORE_SRC = path.resolve(process.cwd(), 'core', 'src');

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
    resolve: {
      ...base.resolve,
      // `@vigil/core` → core/src/index.ts, `@vigil/core/detection` → core/src/detection/index.ts
      alias: { ...(base.resolve?.alias as Record<string, string> | undefined), '@vigil/core': CORE_SRC },
    },
  };
};

export default config;
