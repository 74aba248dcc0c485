/** Entry point of the `ukc` binary. The polyfill import must stay first. */
import './polyfill.js';
import { runCli } from './cli/main.js';
import { processIO } from './cli/cli-io.js';

const exitCode = await runCli(process.argv.slice(2), processIO);
process.exitCode = exitCode;
