// Reads vitest's JSON reports (and the VS Code end-to-end report, which has the same two counts) and prints
// "N passed, N failed" for CI, summed over every test run: the main run, then any further runs named as
// REPORT STATUS pairs (the end-to-end tests, the test suite under each other supported Node major). A run that never got as far as its tests (a failed build) counts as one failure, so that it can
// never look green.
// Usage: ci-summary.mjs MAIN-REPORT MAIN-EXIT-STATUS EXTRA-FAILURES [REPORT EXIT-STATUS]...
import { existsSync, readFileSync } from 'node:fs';

const [reportPath = 'test-results.json', exitStatus = '0', extraFailures = '0', ...otherRuns] = process.argv.slice(2);

/** Passed and failed counts of one report; a missing report or a failed run without failed tests is one failure. */
function counts(path, status) {
    if (!existsSync(path)) {
        console.log(`no test report ${path}: the build or the test runner failed before any test ran`);
        return { passed: 0, failed: 1 };
    }
    const report = JSON.parse(readFileSync(path, 'utf8'));
    const passed = report.numPassedTests ?? 0;
    let failed = report.numFailedTests ?? 0;
    // A suite that fails to load has no failed tests but a failed status.
    if (failed === 0 && (report.success === false || status !== '0')) failed = 1;
    return { passed, failed };
}

const runs = [counts(reportPath, exitStatus)];
for (let i = 0; i + 1 < otherRuns.length; i += 2) runs.push(counts(otherRuns[i], otherRuns[i + 1]));
// Checks that run outside the test runners (the fixture rebuild, a Node install) count as failed tests when they fail.
const extra = Number(extraFailures) || 0;
console.log(`${runs.reduce((sum, run) => sum + run.passed, 0)} passed, ${runs.reduce((sum, run) => sum + run.failed, 0) + extra} failed`);
