module.exports = { ...require('../../jest.base.js'), displayName: 'ai-worker', testTimeout: 60_000 };
