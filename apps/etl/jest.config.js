module.exports = { ...require('../../jest.base.js'), displayName: 'etl', testTimeout: 60_000 };
