/** Where a command writes, so that tests can run the CLI in-process and read what it printed. */
export interface CliIO {
    readonly cwd: string;
    stdout(text: string): void;
    stderr(text: string): void;
    /** Raw bytes (an emulated program's output), when the sink can take them as they are. */
    stdoutBytes?(bytes: Uint8Array): void;
    stderrBytes?(bytes: Uint8Array): void;
    /** Everything on standard input when it is not a terminal (input for an emulated UART). */
    readStdin?(): Promise<Uint8Array>;
}

/** Exit codes, documented in README.md and `ukc --help`. */
export enum ExitCode {
    Ok = 0,
    /** The sources have errors. */
    Diagnostics = 1,
    /** The command line or its inputs are wrong: unknown option, missing file, binary file, ... */
    Usage = 2,
    /** A bug in ukc itself. */
    Internal = 70
}

export const processIO: CliIO = {
    cwd: process.cwd(),
    stdout: text => { process.stdout.write(text); },
    stderr: text => { process.stderr.write(text); },
    stdoutBytes: bytes => { process.stdout.write(bytes); },
    stderrBytes: bytes => { process.stderr.write(bytes); },
    readStdin: async () => {
        if (process.stdin.isTTY) return new Uint8Array();
        const chunks: Uint8Array[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
        return new Uint8Array(Buffer.concat(chunks));
    }
};
