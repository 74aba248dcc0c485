/**
 * bench:debug — the debugger's cost, against issue 17's targets (each line says PASS or MISS):
 *
 * - run speed under a debug session with no breakpoint and reverse execution on (as the DAP adapter sets it
 *   up: history with the console as a participant), against the same system run as `ukc run` runs it
 *   (`bootRunnable` + `SystemRun.run`), pairs interleaved in this process: >= 0.7x, on bench/systems/crunch.uk
 *   (about 121 million instructions, a call through an endpoint every 150,000) and on
 *   bench/systems/ping-pong.uk (50,000 calls); and the IPC fastpath stays on (messages it carried, counted
 *   from the kernel's IPC events in an untimed run of each);
 * - statement steps through the session model: step into the server (a call through an endpoint landing in
 *   the handler), step out of a handler, step over, step back: p95 <= 50 ms; and the same requests through
 *   the DAP adapter in this process (request to `stopped` event, over streams as VS Code runs it inline);
 * - reverse continue over 10 million instructions: <= 2 s;
 * - snapshot memory for a run of 100 million instructions: the history's accounted bytes and the process's
 *   RSS growth, <= 64 MiB.
 *
 * Speed is compared in CPU time of this process (the machine is shared: wall time is printed too).
 */
import '../src/polyfill.js';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { NodeFileSystem } from 'langium/node';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { createUkcDebugSession } from '../src/cli/debug-adapter-host.js';
import { ConsoleLog, SystemDebugger, type DebugStop } from '../src/debug/index.js';
import { Session, URI, bootRunnable, type RunnableSystem, type SystemRun } from '../src/session/index.js';

const SPEED_TARGET = 0.7;
const STEP_TARGET_MS = 50;
const REVERSE_TARGET_MS = 2000;
const MEMORY_TARGET = 64 << 20;
const REVERSE_SPAN = 10_000_000;
const MEMORY_SPAN = 100_000_000;

const CRUNCH = 'bench/systems/crunch.uk';
const PING_PONG = 'bench/systems/ping-pong.uk';
const CALCULATOR = 'examples/calculator/calculator.uk';

async function compile(file: string): Promise<RunnableSystem> {
    const result = await new Session(NodeFileSystem.fileSystemProvider()).compile({ uri: URI.file(path.resolve(file)), shownAs: file });
    if (result.kind !== 'compiled') throw new Error(`${file} does not compile`);
    return result.system;
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const median = (values: readonly number[]) => sorted(values)[Math.floor(values.length / 2)];
const p95 = (values: readonly number[]) => sorted(values)[Math.min(values.length - 1, Math.floor(values.length * 0.95))];
const quiet = { console: { byte: () => {}, bytes: () => {} } };
const immediate = () => new Promise<void>(resolve => setImmediate(resolve));
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const mib = (bytes: number) => `${(bytes / (1 << 20)).toFixed(1)} MiB`;
const summary: string[] = [];
let misses = 0;

function report(line: string, ok: boolean, key: string, value: string): void {
    console.log(`${verdict(ok)}  ${line}`);
    summary.push(`${key}=${value}`);
    if (!ok) misses++;
}

function thread(stop: DebugStop): string {
    if (stop.kind !== 'stopped') throw new Error(`the run ended: ${JSON.stringify(stop.outcome)}`);
    return stop.thread;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
    const started = performance.now();
    await action();
    return performance.now() - started;
}

/** Wall milliseconds and CPU milliseconds of this process (all its threads: the garbage collector's too). */
async function measured(action: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
    const cpu = process.cpuUsage();
    const wall = await timed(action);
    const used = process.cpuUsage(cpu);
    return { wall, cpu: (used.user + used.system) / 1000 };
}

/** A debug session as the DAP adapter makes one: console log as a history participant, flushed after every slice. */
function adapterLikeSession(system: RunnableSystem): { debug: SystemDebugger; log: ConsoleLog } {
    const log = new ConsoleLog();
    const debug = new SystemDebugger(bootRunnable(system, { console: log }), {
        onSlice: () => log.unseen(), yieldToHost: immediate, history: { participants: [log.participant] }
    });
    return { debug, log };
}

/** Messages the kernel delivered, and how many of them on the fastpath. */
function countFastpath(run: SystemRun): { messages: number; fastpath: number } {
    const counts = { messages: 0, fastpath: 0 };
    run.subscribe(event => {
        if (event.kind !== 'ipc') return;
        counts.messages++;
        if (event.fastpath) counts.fastpath++;
    }, ['ipc']);
    return counts;
}

const crunch = await compile(CRUNCH);
const pingPong = await compile(PING_PONG);
const calculator = await compile(CALCULATOR);
console.log(`bench:debug on Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);

// ------------------------------------------------------------ run speed with nothing watched

for (const [name, system, runs] of [['crunch', crunch, 5], ['ping-pong', pingPong, 9]] as const) {
    const plain: { wall: number; cpu: number }[] = [];
    const debugged: { wall: number; cpu: number }[] = [];
    let cycles = 0;
    let instructions = 0;
    let snapshots = 0;
    // One pair first, not counted: both paths compiled by V8 before either is timed.
    for (let i = -1; i < runs; i++) {
        if (i === 0) {
            plain.length = 0;
            debugged.length = 0;
        }
        plain.push(await measured(async () => {
            const run = bootRunnable(system, quiet);
            const outcome = await run.run({ yieldToHost: immediate });
            cycles = outcome.cycle;
            instructions = run.kernel.cpu.instret;
        }));
        debugged.push(await measured(async () => {
            const { debug } = adapterLikeSession(system);
            const stop = await debug.continue();
            if (stop.kind !== 'ended' || stop.outcome.cycle !== cycles) throw new Error('the debugged run differs');
            snapshots = debug.history?.count ?? 0;
        }));
    }
    const ratios = plain.map((run, i) => run.cpu / debugged[i].cpu);
    const speed = median(ratios);
    console.log(`${name}: ${(instructions / 1e6).toFixed(1)} million instructions, ${(cycles / 1e6).toFixed(1)} million cycles; median of ${runs} interleaved pairs`);
    console.log(`      ukc run (boot + run)                 cpu ${median(plain.map(run => run.cpu)).toFixed(0)} ms   wall ${median(plain.map(run => run.wall)).toFixed(0)} ms`);
    console.log(`      debug session, history on (${snapshots} snapshots)  cpu ${median(debugged.map(run => run.cpu)).toFixed(0)} ms   wall ${median(debugged.map(run => run.wall)).toFixed(0)} ms`);
    report(`${name}: debug session at ${speed.toFixed(2)}x the speed of ukc run (target >= ${SPEED_TARGET}x; pair ratios ${sorted(ratios).map(ratio => ratio.toFixed(2)).join(' ')})`,
        speed >= SPEED_TARGET, `speed_${name.replace('-', '_')}`, speed.toFixed(2));

    const plainRun = bootRunnable(system, quiet);
    const plainCounts = countFastpath(plainRun);
    await plainRun.run({ yieldToHost: immediate });
    const { debug } = adapterLikeSession(system);
    const debugCounts = countFastpath(debug.run);
    await debug.continue();
    report(`${name}: IPC fastpath in the debug session ${debugCounts.fastpath}/${debugCounts.messages} messages (ukc run: ${plainCounts.fastpath}/${plainCounts.messages})`,
        debugCounts.messages === plainCounts.messages && debugCounts.fastpath === plainCounts.fastpath && debugCounts.fastpath > 0,
        `fastpath_${name.replace('-', '_')}`, `${debugCounts.fastpath}/${debugCounts.messages}`);
}

// ------------------------------------------------------------ steps through the session model

const STEPS = 200;
const ins: number[] = [];
const outs: number[] = [];
{
    // Into the server and out of its handler, call after call (ping-pong's client and server).
    const { debug } = adapterLikeSession(pingPong);
    debug.setSourceBreakpoints('ping-pong.uk', [{ line: 5 }]);
    const server = thread(await debug.continue());
    debug.setSourceBreakpoints('ping-pong.uk', []);
    for (let i = 0; i < STEPS; i++) {
        let client = '';
        outs.push(await timed(async () => { client = thread(await debug.step(server, 'out')); }));
        ins.push(await timed(async () => { thread(await debug.step(client, 'in')); }));
    }
}
// Over every statement of the calculator's client from its first to the end of main (fresh boots); then
// over all but the last and back, statement by statement, to the first.
const overs: number[] = [];
const backs: number[] = [];
const calculatorClient = async () => {
    const session = adapterLikeSession(calculator);
    session.debug.setSourceBreakpoints('calculator.uk', [{ line: 43 }]);
    const client = thread(await session.debug.continue());
    session.debug.setSourceBreakpoints('calculator.uk', []);
    return { debug: session.debug, client };
};
let statements = 0;
while (overs.length < STEPS) {
    const { debug, client } = await calculatorClient();
    statements = 0;
    for (;;) {
        let stop: DebugStop | undefined;
        overs.push(await timed(async () => { stop = await debug.step(client, 'over'); }));
        if (!stop || stop.kind !== 'stopped' || stop.thread !== client) break;
        statements++;
    }
}
while (backs.length < STEPS) {
    const { debug, client } = await calculatorClient();
    for (let i = 0; i < statements; i++) await debug.step(client, 'over');
    for (let i = 0; i < statements; i++) backs.push(await timed(() => debug.stepBack(client)));
    if (debug.location(client)?.line !== 43) throw new Error(`step back did not return to line 43 but to ${debug.location(client)?.line}`);
}
// Step back deep in a long run: the last snapshot before a stop may be a whole snapshot interval back.
const deepBacks: number[] = [];
{
    const { debug } = adapterLikeSession(crunch);
    debug.setSourceBreakpoints('crunch.uk', [{ line: 29, condition: 'calls == 300' }]);
    const table = thread(await debug.continue());
    debug.setSourceBreakpoints('crunch.uk', []);
    for (let i = 0; i < 40; i++) deepBacks.push(await timed(() => debug.stepBack(table)));
}
const stepLine = (what: string, times: readonly number[], key: string) =>
    report(`${what.padEnd(52)} p95 ${p95(times).toFixed(2)} ms   median ${median(times).toFixed(2)} ms   (${times.length}; target p95 <= ${STEP_TARGET_MS} ms)`,
        p95(times) <= STEP_TARGET_MS, key, p95(times).toFixed(2));
stepLine('step into the server (ping-pong client -> handler)', ins, 'step_in_p95_ms');
stepLine('step out of a handler (-> ping-pong client)', outs, 'step_out_p95_ms');
stepLine('step over (calculator client)', overs, 'step_over_p95_ms');
stepLine('step back (calculator client)', backs, 'step_back_p95_ms');
stepLine('step back (crunch handler, 45 million instructions in)', deepBacks, 'step_back_deep_p95_ms');

// ------------------------------------------------------------ the same through the DAP adapter, in process

/**
 * A DAP client of the adapter in this process, over streams (as VS Code runs the adapter inline): requests
 * and events framed as the protocol frames them, nothing else in between.
 */
class InProcessClient {
    private readonly toAdapter = new PassThrough();
    private seq = 1;
    private received = Buffer.alloc(0);
    private readonly pending = new Map<number, (response: DebugProtocol.Response) => void>();
    private readonly waiting: { event: string; resolve: (event: DebugProtocol.Event) => void }[] = [];

    constructor() {
        const fromAdapter = new PassThrough();
        createUkcDebugSession().start(this.toAdapter, fromAdapter);
        fromAdapter.on('data', (chunk: Buffer) => this.receive(chunk));
    }

    request(command: string, args?: object): Promise<DebugProtocol.Response> {
        const seq = this.seq++;
        const body = JSON.stringify({ seq, type: 'request', command, arguments: args });
        // Listening first: the adapter may answer while the request is being written.
        const answered = new Promise<DebugProtocol.Response>((resolve, reject) => this.pending.set(seq, response => (response.success ? resolve(response) : reject(new Error(`${command}: ${response.message}`)))));
        this.toAdapter.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        return answered;
    }

    /** The next event of a kind (ask before the request that causes it). */
    event(name: string): Promise<DebugProtocol.Event> {
        return new Promise(resolve => this.waiting.push({ event: name, resolve }));
    }

    private receive(chunk: Buffer): void {
        this.received = Buffer.concat([this.received, chunk]);
        for (;;) {
            const header = this.received.indexOf('\r\n\r\n');
            if (header < 0) return;
            const length = Number(/Content-Length: (\d+)/.exec(this.received.subarray(0, header).toString())?.[1]);
            if (this.received.length < header + 4 + length) return;
            const message = JSON.parse(this.received.subarray(header + 4, header + 4 + length).toString()) as DebugProtocol.ProtocolMessage;
            this.received = this.received.subarray(header + 4 + length);
            if (message.type === 'response') {
                const response = message as DebugProtocol.Response;
                this.pending.get(response.request_seq)?.(response);
                this.pending.delete(response.request_seq);
            } else if (message.type === 'event') {
                const event = message as DebugProtocol.Event;
                const index = this.waiting.findIndex(waiter => waiter.event === event.event);
                if (index >= 0) this.waiting.splice(index, 1)[0].resolve(event);
            }
        }
    }
}

{
    const client = new InProcessClient();
    /** From sending a request to the `stopped` event it causes. */
    const answer = async (command: string, args: object): Promise<{ ms: number; thread: number }> => {
        const started = performance.now();
        const stopped = client.event('stopped');
        await client.request(command, args);
        const event = (await stopped) as DebugProtocol.StoppedEvent;
        return { ms: performance.now() - started, thread: event.body.threadId ?? 0 };
    };
    const program = path.resolve(PING_PONG);
    const initialized = client.event('initialized');
    const firstStop = client.event('stopped');
    await client.request('initialize', { adapterID: 'ukc', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const launched = client.request('launch', { program });
    await initialized;
    await client.request('setBreakpoints', { source: { path: program }, breakpoints: [{ line: 5 }] });
    await client.request('configurationDone');
    await launched;
    const serverThread = ((await firstStop) as DebugProtocol.StoppedEvent).body.threadId ?? 0;
    await client.request('setBreakpoints', { source: { path: program }, breakpoints: [] });
    const dapIns: number[] = [];
    const dapOuts: number[] = [];
    const dapBacks: number[] = [];
    for (let i = 0; i < 100; i++) {
        const out = await answer('stepOut', { threadId: serverThread });
        dapOuts.push(out.ms);
        dapIns.push((await answer('stepIn', { threadId: out.thread })).ms);
    }
    for (let i = 0; i < 100; i++) dapBacks.push((await answer('stepBack', { threadId: serverThread })).ms);
    const terminated = client.event('terminated');
    await client.request('disconnect', { terminateDebuggee: true });
    await Promise.race([terminated, new Promise(resolve => setTimeout(resolve, 1000))]);
    stepLine('DAP stepIn into the server (request -> stopped)', dapIns, 'dap_step_in_p95_ms');
    stepLine('DAP stepOut of a handler', dapOuts, 'dap_step_out_p95_ms');
    stepLine('DAP stepBack (ping-pong)', dapBacks, 'dap_step_back_p95_ms');
}

// ------------------------------------------------------------ reverse continue over 10 million instructions

{
    const { debug } = adapterLikeSession(crunch);
    // A call of `mix` is about 151,000 instructions: 66 calls apart is 10 million.
    debug.setSourceBreakpoints('crunch.uk', [{ line: 29, condition: 'calls == 10 || calls == 77' }]);
    thread(await debug.continue());
    const earlier = debug.run.kernel.cpu.instret;
    thread(await debug.continue());
    const span = debug.run.kernel.cpu.instret - earlier;
    const ms = await timed(async () => { thread(await debug.reverseContinue()); });
    if (debug.run.kernel.cpu.instret !== earlier) throw new Error('reverse continue did not go back to the earlier hit');
    report(`reverse continue over ${(span / 1e6).toFixed(1)} million instructions (to the previous hit)     ${ms.toFixed(0)} ms (target <= ${REVERSE_TARGET_MS} ms)`,
        span >= REVERSE_SPAN && ms <= REVERSE_TARGET_MS, 'reverse_continue_ms', ms.toFixed(0));
}

// ------------------------------------------------------------ snapshot memory over 100 million instructions

{
    const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
    collect();
    const before = process.memoryUsage();
    let most = 0;
    const log = new ConsoleLog();
    const debug = new SystemDebugger(bootRunnable(crunch, { console: log }), {
        yieldToHost: immediate, history: { participants: [log.participant] }, maxCycles: MEMORY_SPAN + 2_000_000,
        onSlice: () => { log.unseen(); most = Math.max(most, debug.history?.bytes ?? 0); }
    });
    await debug.continue();
    const instructions = debug.run.kernel.cpu.instret;
    collect();
    const after = process.memoryUsage();
    const history = debug.history;
    if (!history) throw new Error('no history');
    const rss = after.rss - before.rss;
    console.log(`snapshots after ${(instructions / 1e6).toFixed(1)} million instructions: ${history.count}, ${mib(history.bytes)} accounted (at most ${mib(most)}); `
        + `heap +${mib(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers)}, rss +${mib(rss)}${collect === undefined ? '' : ' (after a full GC)'}`);
    report(`snapshot memory: history ${mib(most)} at most, process RSS growth ${mib(rss)} (target <= ${mib(MEMORY_TARGET)})`,
        instructions >= MEMORY_SPAN && most <= MEMORY_TARGET && rss <= MEMORY_TARGET, 'snapshot_mib', (Math.max(most, rss) / (1 << 20)).toFixed(1));
}

console.log(`bench:debug ${summary.join(' ')} misses=${misses}`);
