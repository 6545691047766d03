// The last line of `npm test`: the count of tests vitest ran, in the plain "N passed, N failed" form
// CI reads. Reached only when every step before it succeeded.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(new URL('../.tmp/vitest-report.json', import.meta.url), 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
if (report.numTotalTests === 0 || report.numFailedTests > 0) process.exitCode = 1;
