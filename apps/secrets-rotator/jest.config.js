module.exports = { ...require('../../jest.base.js'), displayName: 'secrets-rotator', testTimeout: 60_000 };
