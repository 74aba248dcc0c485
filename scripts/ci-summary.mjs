// Reads vitest's JSON report and prints "N passed, N failed" for CI. A run that never got as far as the
// tests (a failed build) counts as one failure, so that it can never look green.
import { existsSync, readFileSync } from 'node:fs';

const [reportPath = 'test-results.json', exitStatus = '0', extraFailures = '0'] = process.argv.slice(2);
// Checks that run outside vitest (the fixture rebuild) count as failed tests when they fail.
const extra = Number(extraFailures) || 0;
if (!existsSync(reportPath)) {
    console.log('no test report: the build or the test runner failed before any test ran');
    console.log(`0 passed, ${1 + extra} failed`);
    process.exit(0);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const passed = report.numPassedTests ?? 0;
let failed = report.numFailedTests ?? 0;
// A suite that fails to load has no failed tests but a failed status.
if (failed === 0 && (report.success === false || exitStatus !== '0')) failed = 1;
console.log(`${passed} passed, ${failed + extra} failed`);
