// Reads vitest's JSON report (and, when named, the VS Code end-to-end report, which has the same two
// counts) and prints "N passed, N failed" for CI. A run that never got as far as its tests (a failed
// build, a failed e2e setup) counts as one failure, so that it can never look green.
import { existsSync, readFileSync } from 'node:fs';

const [reportPath = 'test-results.json', exitStatus = '0', extraFailures = '0', e2eReportPath, e2eExitStatus = '0'] = process.argv.slice(2);

/** Passed and failed counts of one report; a missing report or a failed run without failed tests is one failure. */
function counts(path, status, what) {
    if (!existsSync(path)) {
        console.log(`no ${what} report: the build or the test runner failed before any test ran`);
        return { passed: 0, failed: 1 };
    }
    const report = JSON.parse(readFileSync(path, 'utf8'));
    const passed = report.numPassedTests ?? 0;
    let failed = report.numFailedTests ?? 0;
    // A suite that fails to load has no failed tests but a failed status.
    if (failed === 0 && (report.success === false || status !== '0')) failed = 1;
    return { passed, failed };
}

const unit = counts(reportPath, exitStatus, 'test');
const e2e = e2eReportPath ? counts(e2eReportPath, e2eExitStatus, 'end-to-end test') : { passed: 0, failed: 0 };
// Checks that run outside the test runners (the fixture rebuild) count as failed tests when they fail.
const extra = Number(extraFailures) || 0;
console.log(`${unit.passed + e2e.passed} passed, ${unit.failed + e2e.failed + extra} failed`);
