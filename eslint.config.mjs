import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

export default defineConfig([
  {
    ignores: [
      'bench/.out/**',
      // AssemblyScript (decorators, i32/f64), compiled by scripts/build-wasm.mjs, not TypeScript
      'core/wasm/**',
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
      'host/.build/',
      'host/grafana13/',
      'host/screenshots/',
    ],
  },
  ...baseConfig,
  {
    // The sidecar, core and tooling are TypeScript too; Grafana's base config only names files under src/.
    files: ['core/**/*.ts', 'sidecar/**/*.ts', 'test/**/*.ts', 'demo/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
  },
  {
    // A promise nobody awaits or handles fails at random, in whichever test is running (CI, 2026-12-07):
    // the type-aware rules for the product's code, where every promise is handled today.
    files: ['core/src/**/*.ts', 'sidecar/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'sidecar/src/testing/**'],
    languageOptions: {
      parserOptions: {
        project: ['./core/tsconfig.json', './sidecar/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
]);
