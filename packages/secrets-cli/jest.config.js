module.exports = { ...require('../../jest.base.js'), displayName: 'secrets-cli' };
