// Shared Jest settings; each package's jest.config.js spreads this and adds its displayName.
// Workspace packages resolve to their TypeScript sources through the "estate-source" export
// condition, so tests never need a prior build.
const { join } = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: {
    customExportConditions: ['estate-source', 'node', 'require', 'default'],
  },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
        module: { type: 'commonjs' },
      },
    ],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30_000,
  reporters: ['default', join(__dirname, 'scripts', 'jest-results-reporter.js')],
};
