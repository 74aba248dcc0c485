/**
 * `ukc lsp`: the language server for editors. The transport is named on the command line the way
 * vscode-languageserver reads it from `process.argv` (`--stdio`, `--node-ipc`, `--socket=PORT`, and
 * `--clientProcessId=PID` from VS Code); this module checks that exactly one transport was given before
 * the server starts, so a mistake is a usage error with a sentence, not an internal error.
 */
import { InputError } from './input-files.js';

export interface LspOptions {
    readonly stdio?: boolean;
    readonly nodeIpc?: boolean;
    readonly socket?: string;
    readonly clientProcessId?: string;
}

const TRANSPORTS = '--stdio, --node-ipc or --socket=PORT';

/** Throws an InputError unless the options name exactly one usable transport. */
export function checkLspTransport(options: LspOptions, hasIpcChannel: boolean): void {
    const named = [options.stdio && '--stdio', options.nodeIpc && '--node-ipc', options.socket !== undefined && '--socket']
        .filter((name): name is string => typeof name === 'string');
    if (named.length === 0) throw new InputError(`lsp needs a transport: ${TRANSPORTS}`);
    if (named.length > 1) throw new InputError(`lsp takes one transport, not ${named.join(' and ')}`);
    if (options.socket !== undefined && !isPort(options.socket)) {
        throw new InputError(`--socket needs a port number from 1 to 65535, not '${options.socket}'`);
    }
    if (options.nodeIpc && !hasIpcChannel) {
        throw new InputError('--node-ipc needs a parent process that started ukc with an IPC channel');
    }
    if (options.clientProcessId !== undefined && !/^\d+$/.test(options.clientProcessId)) {
        throw new InputError(`--clientProcessId needs a process id, not '${options.clientProcessId}'`);
    }
}

function isPort(text: string): boolean {
    return /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;
}

/** Starts the server; it serves until the client ends the connection (the server then exits the process). */
export async function runLsp(options: LspOptions): Promise<never> {
    checkLspTransport(options, typeof process.send === 'function');
    const { startUkLanguageServer } = await import('../language/language-server.js');
    startUkLanguageServer();
    return new Promise<never>(() => { /* serves until the client closes the connection */ });
}
