/**
 * `ukc lsp`: the language server for editors. The transport is named on the command line the way
 * vscode-languageserver reads it from `process.argv` (`--stdio`, `--node-ipc`, `--socket=PORT`, and
 * `--clientProcessId=PID` from VS Code); this module checks that exactly one transport was given before
 * the server starts, so a mistake is a usage error with a sentence, not an internal error. It answers that
 * sentence itself rather than throwing the session library's InputError, so that `ukc lsp` loads neither
 * the session library nor the code generator and kernel under it.
 */
import { ExitCode, type CliIO } from './cli-io.js';

export interface LspOptions {
    readonly stdio?: boolean;
    readonly nodeIpc?: boolean;
    readonly socket?: string;
    readonly clientProcessId?: string;
}

const TRANSPORTS = '--stdio, --node-ipc or --socket=PORT';

/** What is wrong with the options, unless they name exactly one usable transport. */
function transportProblem(options: LspOptions, hasIpcChannel: boolean): string | undefined {
    const named = [options.stdio && '--stdio', options.nodeIpc && '--node-ipc', options.socket !== undefined && '--socket']
        .filter((name): name is string => typeof name === 'string');
    if (named.length === 0) return `lsp needs a transport: ${TRANSPORTS}`;
    if (named.length > 1) return `lsp takes one transport, not ${named.join(' and ')}`;
    if (options.socket !== undefined && !isPort(options.socket)) {
        return `--socket needs a port number from 1 to 65535, not '${options.socket}'`;
    }
    if (options.nodeIpc && !hasIpcChannel) {
        return '--node-ipc needs a parent process that started ukc with an IPC channel';
    }
    if (options.clientProcessId !== undefined && !/^\d+$/.test(options.clientProcessId)) {
        return `--clientProcessId needs a process id, not '${options.clientProcessId}'`;
    }
    return undefined;
}

function isPort(text: string): boolean {
    return /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;
}

/**
 * Starts the server; it serves until the client ends the connection (the server then exits the process).
 * Bad options end at once as a usage error, worded as every command's (`ukc: ` and the sentence).
 */
export async function runLsp(options: LspOptions, io: CliIO): Promise<ExitCode> {
    const problem = transportProblem(options, typeof process.send === 'function');
    if (problem !== undefined) {
        io.stderr(`ukc: ${problem}\n`);
        return ExitCode.Usage;
    }
    const { startUkLanguageServer } = await import('../language-server/index.js');
    startUkLanguageServer();
    return new Promise<never>(() => { /* serves until the client closes the connection */ });
}
