/**
 * `ukc run --gdb PORT`: the booted system waits, stopped before its first instruction, for one GDB to
 * connect over TCP on localhost; the GDB stub (src/debug/gdb) answers it over the socket. The run ends as
 * GDB leaves it: run to its end under GDB, detached (the system runs on to its end alone), or killed.
 */
import * as net from 'node:net';
import { GdbStub, SystemDebugger } from '../debug/index.js';
import type { RunOutcome, SystemRun } from '../session/index.js';
import type { CliIO } from './cli-io.js';
import { runExitCode } from './debug-adapter-host.js';
import { InputError } from './input-files.js';

export interface GdbServerSettings {
    readonly port: number;
    readonly maxCycles?: number;
    /** Called after every slice of emulated time (the host passes console output on). */
    readonly onSlice: () => void;
}

const yieldToHost = () => new Promise<void>(resolve => setImmediate(resolve));

/**
 * Serves GDB until the run ends; `onInterrupt` receives the function that stops the run (Ctrl-C), which
 * ends it as interrupted whether GDB is connected or not.
 */
export async function serveGdb(run: SystemRun, settings: GdbServerSettings, io: CliIO, onInterrupt: (stop: () => void) => void): Promise<RunOutcome> {
    const server = net.createServer();
    const interrupted = new Promise<RunOutcome>(resolve => onInterrupt(() => {
        run.stop('interrupted');
        resolve({ kind: 'stopped', cycle: run.cycle, reason: 'interrupted' });
    }));
    try {
        await listen(server, settings.port);
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : settings.port;
        io.stderr(`ukc: waiting for gdb on localhost:${port} (gdb-multiarch -ex 'target remote localhost:${port}')\n`);
        const socket = await Promise.race([accept(server), interrupted]);
        if (!(socket instanceof net.Socket)) return socket;
        // One debugger per run: nobody else may connect.
        server.close();
        try {
            return await Promise.race([session(run, socket, settings, io), interrupted]);
        } finally {
            socket.destroy();
        }
    } finally {
        server.close();
    }
}

async function session(run: SystemRun, socket: net.Socket, settings: GdbServerSettings, io: CliIO): Promise<RunOutcome> {
    const debug = new SystemDebugger(run, { maxCycles: settings.maxCycles, yieldToHost, onSlice: settings.onSlice });
    socket.setNoDelay(true);
    const stub = new GdbStub(debug, { write: bytes => { if (!socket.destroyed) socket.write(bytes); } }, {
        exitStatusOf: runExitCode,
        log: text => io.stderr(`ukc: ${text}`)
    });
    socket.on('data', (bytes: Buffer) => stub.receive(bytes));
    // A connection reset ends the session as closing it does; the run goes on without the debugger.
    socket.on('error', () => stub.disconnected());
    socket.on('close', () => stub.disconnected());
    const end = await stub.done;
    debug.dispose();
    switch (end.kind) {
        case 'ended':
            await closeGracefully(socket);
            return end.outcome;
        case 'killed':
            io.stderr('ukc: gdb killed the run\n');
            return { kind: 'stopped', cycle: run.cycle, reason: 'stop' };
        case 'detached':
            await closeGracefully(socket);
            io.stderr('ukc: gdb detached; the system runs on\n');
            return run.run({ maxCycles: settings.maxCycles, yieldToHost, onSlice: settings.onSlice });
    }
}

function listen(server: net.Server, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) => reject(new InputError(`cannot listen for gdb on localhost:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`)));
        server.listen(port, '127.0.0.1', () => resolve());
    });
}

function accept(server: net.Server): Promise<net.Socket> {
    return new Promise(resolve => server.once('connection', resolve));
}

/** Lets GDB read what was sent (the exit packet) and close its end, or gives up after a second. */
function closeGracefully(socket: net.Socket): Promise<void> {
    if (socket.destroyed) return Promise.resolve();
    return new Promise(resolve => {
        const timer = setTimeout(resolve, 1000);
        socket.once('close', () => {
            clearTimeout(timer);
            resolve();
        });
        socket.end();
    });
}
