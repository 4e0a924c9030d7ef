// One Jest run, three projects: the Grafana plugin (jsdom), core and the sidecar (node).
process.env.TZ = 'UTC';

const path = require('path');
const pluginConfig = require('./.config/jest.config');

const coreAlias = { '^@vigil/core$': '<rootDir>/core/src/index.ts', '^@vigil/core/(.*)$': '<rootDir>/core/src/$1' };
const swcNode = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }];

module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...pluginConfig,
      displayName: 'plugin',
      rootDir: __dirname,
      moduleNameMapper: { ...pluginConfig.moduleNameMapper, ...coreAlias },
      setupFiles: ['jest-canvas-mock'],
      transform: { ...pluginConfig.transform, '^.+\\.mjs$': pluginConfig.transform['^.+\\.(t|j)sx?$'] },
    },
    {
      displayName: 'core',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/core/src/**/*.test.ts'],
      moduleNameMapper: coreAlias,
      transform: { '^.+\\.ts$': swcNode },
    },
    {
      displayName: 'sidecar',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/sidecar/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
      moduleNameMapper: coreAlias,
      transform: { '^.+\\.ts$': swcNode },
    },
  ],
};
