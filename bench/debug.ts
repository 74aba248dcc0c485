/**
 * bench:debug — the debugger's cost. Run speed of an IPC-heavy system (bench/systems/ping-pong.uk) under
 * the debug model with nothing watched, against the same run as `ukc run` does it (boot + `SystemRun.run`);
 * the same with a breakpoint set that is never reached (the CPU interprets while breakpoints are
 * installed); and the latency of statement steps: step into a call through an endpoint (client to the
 * server's handler), step out of a handler back to the client, and step over in the calculator's client.
 */
import '../src/polyfill.js';
import { NodeFileSystem } from 'langium/node';
import * as path from 'node:path';
import { SystemDebugger, type DebugStop } from '../src/debug/index.js';
import { Session, URI, bootRunnable, type RunnableSystem } from '../src/session/index.js';

const RUNS = 7;
const STEPS = 200;

async function compile(file: string): Promise<RunnableSystem> {
    const result = await new Session(NodeFileSystem.fileSystemProvider()).compile({ uri: URI.file(path.resolve(file)), shownAs: file });
    if (result.kind !== 'compiled') throw new Error(`${file} does not compile`);
    return result.system;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))];
const quiet = { console: { byte: () => {}, bytes: () => {} } };
const immediate = () => new Promise<void>(resolve => setImmediate(resolve));

function thread(stop: DebugStop): string {
    if (stop.kind !== 'stopped') throw new Error(`the run ended: ${JSON.stringify(stop.outcome)}`);
    return stop.thread;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
    const started = performance.now();
    await action();
    return performance.now() - started;
}

const pingPong = await compile('bench/systems/ping-pong.uk');
const calculator = await compile('examples/calculator/calculator.uk');

const plain: number[] = [];
const debugged: number[] = [];
const watched: number[] = [];
let cycles = 0;
for (let i = 0; i < RUNS; i++) {
    plain.push(await timed(async () => {
        const outcome = await bootRunnable(pingPong, quiet).run({ yieldToHost: immediate });
        cycles = outcome.cycle;
    }));
    debugged.push(await timed(async () => {
        const stop = await new SystemDebugger(bootRunnable(pingPong, quiet), { yieldToHost: immediate }).continue();
        if (stop.kind !== 'ended' || stop.outcome.cycle !== cycles) throw new Error('the debugged run differs');
    }));
    watched.push(await timed(async () => {
        const debug = new SystemDebugger(bootRunnable(pingPong, quiet), { yieldToHost: immediate });
        // Line 13 (`print`) runs once, after the loop: the breakpoint is installed all along.
        debug.setSourceBreakpoints('ping-pong.uk', [{ line: 13 }]);
        thread(await debug.continue());
    }));
}
const speed = median(plain) / median(debugged);
console.log(`bench:debug on Node ${process.version}: ping-pong (${cycles} cycles), median of ${RUNS}`);
console.log(`ukc run (boot + run)                ${median(plain).toFixed(1)} ms`);
console.log(`debugger, nothing watched           ${median(debugged).toFixed(1)} ms   speed ${speed.toFixed(2)}x of ukc run`);
console.log(`debugger, a breakpoint installed    ${median(watched).toFixed(1)} ms   speed ${(median(plain) / median(watched)).toFixed(2)}x of ukc run`);

// Step into the server and out of its handler, call after call.
const debug = new SystemDebugger(bootRunnable(pingPong, quiet), { yieldToHost: immediate });
debug.setSourceBreakpoints('ping-pong.uk', [{ line: 5 }]);
const server = thread(await debug.continue());
debug.setSourceBreakpoints('ping-pong.uk', []);
const outs: number[] = [];
const ins: number[] = [];
for (let i = 0; i < STEPS; i++) {
    let client = '';
    outs.push(await timed(async () => { client = thread(await debug.step(server, 'out')); }));
    ins.push(await timed(async () => { thread(await debug.step(client, 'in')); }));
}

// Step over the calculator client's statements, from its first to the end of main, on fresh boots.
const overs: number[] = [];
while (overs.length < STEPS) {
    const calc = new SystemDebugger(bootRunnable(calculator, quiet), { yieldToHost: immediate });
    calc.setSourceBreakpoints('calculator.uk', [{ line: 43 }]);
    const client = thread(await calc.continue());
    calc.setSourceBreakpoints('calculator.uk', []);
    for (;;) {
        let stop: DebugStop | undefined;
        overs.push(await timed(async () => { stop = await calc.step(client, 'over'); }));
        if (!stop || stop.kind !== 'stopped' || stop.thread !== client) break;
    }
}
console.log(`step into the server (client -> handler)   p95 ${p95(ins).toFixed(2)} ms   median ${median(ins).toFixed(2)} ms   (${STEPS} steps)`);
console.log(`step out of a handler (-> client)          p95 ${p95(outs).toFixed(2)} ms   median ${median(outs).toFixed(2)} ms   (${STEPS} steps)`);
console.log(`step over (calculator client)              p95 ${p95(overs).toFixed(2)} ms   median ${median(overs).toFixed(2)} ms   (${overs.length} steps)`);
console.log(`bench:debug speed_nothing_watched=${speed.toFixed(2)} step_in_p95_ms=${p95(ins).toFixed(2)} step_out_p95_ms=${p95(outs).toFixed(2)} step_over_p95_ms=${p95(overs).toFixed(2)}`);
