import { readSync, writeSync } from 'node:fs';

/** Where a command writes, so that tests can run the CLI in-process and read what it printed. */
export interface CliIO {
    readonly cwd: string;
    /** Throws a `StreamError` when standard output cannot be written (the reader left, the disk is full). */
    stdout(text: string): void;
    /** ukc's own messages. A failure to write them is ignored: there is nowhere left to report it. */
    stderr(text: string): void;
    /** Raw bytes (an emulated program's output), when the sink can take them as they are; throw `StreamError`. */
    stdoutBytes?(bytes: Uint8Array): void;
    stderrBytes?(bytes: Uint8Array): void;
    /** Everything on standard input when it is not a terminal (input for an emulated UART). */
    readStdin?(): Promise<Uint8Array>;
    /**
     * Reads what standard input has next into `buffer`, waiting until something arrives, as read(2) does:
     * the count, 0 at its end. Throws `StreamError`.
     */
    readStdinInto?(buffer: Uint8Array): number;
}

/** Exit codes, documented in README.md and `ukc --help`. */
export enum ExitCode {
    Ok = 0,
    /** The sources have errors. */
    Diagnostics = 1,
    /** The command line or its inputs are wrong: unknown option, missing file, binary file, ... */
    Usage = 2,
    /** A bug in ukc itself. */
    Internal = 70,
    /** Standard output could not be written (sysexits' EX_IOERR). */
    OutputFailed = 74,
    /** Standard output's reader went away: the status a process killed by SIGPIPE has (128 + 13). */
    BrokenPipe = 141
}

export type StandardStream = 'stdin' | 'stdout' | 'stderr';

/** A standard stream failed; `code` is the system's error name (EPIPE, ENOSPC, EIO, ...). */
export class StreamError extends Error {
    constructor(readonly stream: StandardStream, readonly code: string, reason: string) {
        super(`cannot ${stream === 'stdin' ? 'read standard input' : `write to standard ${stream === 'stdout' ? 'output' : 'error'}`}: ${reason}`);
    }
}

/**
 * Node's process.stdout queues writes to a pipe and reports their errors later as an 'error' event, which
 * ends the process with a stack trace; writing the descriptors directly makes every failure an exception
 * at the write that caused it, and makes a slow reader slow the writer down instead of filling memory.
 */
function writeAll(fd: number, stream: StandardStream, bytes: Uint8Array): void {
    let written = 0;
    while (written < bytes.length) {
        try {
            written += writeSync(fd, bytes, written, bytes.length - written);
        } catch (error) {
            // A descriptor left in non-blocking mode by another program: wait as a blocking write would.
            if (systemErrorCode(error) === 'EAGAIN') { waitBriefly(); continue; }
            throw streamError(stream, error);
        }
    }
}

function readSome(buffer: Uint8Array): number {
    if (buffer.length === 0) return 0;
    for (;;) {
        try {
            return readSync(0, buffer, 0, buffer.length, null);
        } catch (error) {
            if (systemErrorCode(error) === 'EAGAIN') { waitBriefly(); continue; }
            throw streamError('stdin', error);
        }
    }
}

function systemErrorCode(error: unknown): string | undefined {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
}

function streamError(stream: StandardStream, error: unknown): unknown {
    const code = systemErrorCode(error);
    if (code === undefined || !(error instanceof Error)) return error;
    // Node's message is "ENOSPC: no space left on device, write"; the middle part is the reason.
    const reason = error.message.replace(/^[A-Z]+: /, '').replace(/, (write|read)$/, '');
    return new StreamError(stream, code, `${reason} (${code})`);
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function waitBriefly(): void {
    Atomics.wait(pause, 0, 0, 2);
}

export const processIO: CliIO = {
    cwd: process.cwd(),
    stdout: text => writeAll(1, 'stdout', Buffer.from(text)),
    stderr: text => {
        try {
            writeAll(2, 'stderr', Buffer.from(text));
        } catch (error) {
            if (!(error instanceof StreamError)) throw error;
        }
    },
    stdoutBytes: bytes => writeAll(1, 'stdout', bytes),
    stderrBytes: bytes => writeAll(2, 'stderr', bytes),
    readStdin: async () => {
        if (process.stdin.isTTY) return new Uint8Array();
        const chunks: Uint8Array[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
        return new Uint8Array(Buffer.concat(chunks));
    },
    readStdinInto: readSome
};
