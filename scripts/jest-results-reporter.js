// Jest reporter that records each package's totals, so `npm test` can close with one line over
// the whole workspace (scripts/test-summary.js) after turbo has run every suite.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const resultsDir = join(__dirname, '..', 'node_modules', '.cache', 'estate-test-results');

class ResultsReporter {
  onRunComplete(contexts, results) {
    const [context] = contexts;
    const name = context?.config?.displayName?.name ?? String(process.pid);
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(
      join(resultsDir, `${name.replace(/[^a-z0-9-]/gi, '_')}.json`),
      JSON.stringify({
        name,
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
      }),
    );
  }
}

module.exports = ResultsReporter;
module.exports.resultsDir = resultsDir;
