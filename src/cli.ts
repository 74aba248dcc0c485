/** Entry point of the `ukc` binary. The polyfill import must stay first. */
import './polyfill.js';
import { runCli, processIO } from './cli/index.js';

const exitCode = await runCli(process.argv.slice(2), processIO);
process.exitCode = exitCode;
