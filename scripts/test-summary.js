// Prints the workspace's test totals as the closing line of `npm test`; `--reset` clears old results first.
const { readdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { resultsDir } = require('./jest-results-reporter');

if (process.argv.includes('--reset')) {
  rmSync(resultsDir, { recursive: true, force: true });
  process.exit(0);
}

let files = [];
try {
  files = readdirSync(resultsDir).filter((file) => file.endsWith('.json'));
} catch {}
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const file of files) {
  const result = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
  totals.passed += result.passed;
  totals.failed += result.failed;
  totals.skipped += result.skipped;
  console.log(
    `  ${result.name}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`,
  );
}
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || files.length === 0 ? 1 : 0);
