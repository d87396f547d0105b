const { join } = require('node:path');

module.exports = {
  ...require('../jest.base.js'),
  displayName: 'e2e',
  testTimeout: 150_000,
  maxWorkers: 1,
  // Records every process the tests launch and fails the run if one outlives them.
  globalSetup: join(__dirname, 'test', 'support', 'global-setup.ts'),
  globalTeardown: join(__dirname, 'test', 'support', 'global-teardown.ts'),
};
