module.exports = { ...require('../jest.base.js'), displayName: 'e2e', testTimeout: 150_000, maxWorkers: 1 };
