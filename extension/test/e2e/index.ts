/** The extension-host test suite's entry: the workbench calls `run()` and reports how it settles. */
import { runAll } from './harness.js';
import './language.e2e.js';
import './commands.e2e.js';

export function run(): Promise<void> {
    return runAll();
}
