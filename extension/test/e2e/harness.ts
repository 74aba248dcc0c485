/**
 * A small test runner for the extension host: tests run one after another, each line of the outcome is
 * printed as `ok - name` or `not ok - name: reason`, the driver (scripts/vscode-e2e/run.mjs) is asked for
 * a screenshot of the window after each test, and the counts go to the report file the driver reads.
 * Nothing here is mocked: `vscode` is the real API of the VS Code the driver started.
 */
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

interface TestCase {
    readonly name: string;
    readonly body: () => Promise<void>;
}

const cases: TestCase[] = [];

export function test(name: string, body: () => Promise<void>): void {
    cases.push({ name, body });
}

export function sleep(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value other than undefined or false; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await sleep(100);
    }
}

/** File names for screenshots: the test's name in lower case, words joined by dashes. */
export function screenshotName(name: string): string {
    return `exthost-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.png`;
}

/**
 * Asks the driver, which watches the page's console, for a screenshot, and waits until the file exists so
 * that the picture shows the window as it is now. Every test gets one at its end; a test may take more.
 */
export async function screenshot(name: string): Promise<void> {
    const folder = process.env.UKC_E2E_OUT;
    if (!folder) return;
    const file = path.join(folder, screenshotName(name));
    console.log(`ukc-e2e screenshot ${file}`);
    try {
        await waitFor(`screenshot ${file}`, () => existsSync(file), 10_000);
    } catch (error) {
        console.log(`screenshot not taken: ${(error as Error).message}`);
    }
}

/** Runs every registered test; rejects when any failed, which the workbench reports as a non-zero exit. */
export async function runAll(): Promise<void> {
    const outcomes: { name: string; ok: boolean; message?: string }[] = [];
    const only = process.env.UKC_E2E_ONLY;
    for (const testCase of cases) {
        if (only && !testCase.name.includes(only)) continue;
        const started = Date.now();
        try {
            await testCase.body();
            outcomes.push({ name: testCase.name, ok: true });
            console.log(`ok - ${testCase.name} (${Date.now() - started} ms)`);
        } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            outcomes.push({ name: testCase.name, ok: false, message: reason });
            console.log(`not ok - ${testCase.name}: ${reason}`);
        }
        await screenshot(testCase.name);
    }
    const report = process.env.UKC_E2E_EXTHOST_REPORT;
    if (report) writeFileSync(report, JSON.stringify(outcomes) + '\n');
    const failures = outcomes.filter(outcome => !outcome.ok).map(outcome => outcome.name);
    console.log(`extension host: ${outcomes.length - failures.length} passed, ${failures.length} failed`);
    if (failures.length > 0) throw new Error(`failed: ${failures.join(', ')}`);
}
