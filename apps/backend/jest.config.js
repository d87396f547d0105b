module.exports = { ...require('../../jest.base.js'), displayName: 'backend', testTimeout: 60_000 };
