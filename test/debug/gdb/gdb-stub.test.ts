/**
 * The GDB stub through its byte channel, as GDB drives it: the target description, threads named by
 * instance, registers and memory of the selected thread's address space, breakpoints, continue, step,
 * Ctrl-C, faults as signals, the exit status, detach and kill — and malformed packets answered with an
 * error, never a crash.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GdbStub, SystemDebugger, type GdbSessionEnd } from '../../../src/debug/index.js';
import { TARGET_XML, encodePacket } from '../../../src/debug/gdb/index.js';
import { MemoryFileSystem, Session, URI, bootRunnable, outcomeReport, type RunOutcome, type SystemRun } from '../../../src/session/index.js';
import { ROOT } from '../../cli/run-ukc.js';

const CALCULATOR = readFileSync(path.join(ROOT, 'examples/calculator/calculator.uk'), 'utf8');

const SPINNER = `package spin
program Spinner {
    main {
        var i: u32 = 0
        while i < 10 { i = i % 5 }
    }
}
system Spin { instance spinner: Spinner { priority: 10 } }
`;

const OUT_OF_BOUNDS = `package oob
program Indexer {
    main {
        var table: [u32; 4] = [1, 2, 3, 4]
        var i: u32 = 2
        while i < 9 { table[i] = i
            i += 1 }
    }
}
system Oob { instance indexer: Indexer { priority: 10 } }
`;

const exitStatusOf = (outcome: RunOutcome) => outcomeReport(outcome, '', { cycleLimit: '', timeout: '' }).exitStatus;

async function boot(source: string): Promise<SystemRun> {
    const memory = new MemoryFileSystem();
    memory.write('memory:///main.uk', source);
    const result = await new Session(memory).compile({ uri: URI.parse('memory:///main.uk'), shownAs: 'main.uk' });
    if (result.kind !== 'compiled') throw new Error(`not compiled: ${JSON.stringify(result.diagnostics)}`);
    return bootRunnable(result.system, { console: { byte: () => {}, bytes: () => {} } });
}

/** GDB's side of the connection: sends packets, collects acknowledgements and replies. */
class FakeGdb {
    readonly stub: GdbStub;
    readonly log: string[] = [];
    private received = '';
    private waiting: (() => void) | undefined;

    constructor(readonly debug: SystemDebugger) {
        this.stub = new GdbStub(debug, {
            write: bytes => {
                this.received += String.fromCharCode(...bytes);
                this.waiting?.();
            }
        }, { exitStatusOf, log: text => this.log.push(text) });
    }

    /** Sends raw bytes and returns the replies (packet payloads) that came back at once. */
    raw(text: string): string[] {
        this.stub.receive(Uint8Array.from(text, character => character.charCodeAt(0)));
        return this.takeReplies();
    }

    /** One packet, one immediate reply. */
    ask(payload: string): string {
        const replies = this.raw(String.fromCharCode(...encodePacket(payload)));
        if (replies.length !== 1) throw new Error(`'${payload}' got ${replies.length} replies: ${JSON.stringify(replies)}`);
        return replies[0];
    }

    /** Sends a packet that resumes the run and waits for the stop reply. */
    async resume(payload: string): Promise<string> {
        expect(this.raw(String.fromCharCode(...encodePacket(payload)))).toEqual([]);
        return this.nextReply();
    }

    async nextReply(): Promise<string> {
        for (;;) {
            const replies = this.takeReplies();
            if (replies.length > 0) return replies[0];
            await new Promise<void>(resolve => { this.waiting = resolve; });
            this.waiting = undefined;
        }
    }

    private takeReplies(): string[] {
        const replies: string[] = [];
        for (const match of this.received.matchAll(/\$([^#]*)#([0-9a-f]{2})/g)) replies.push(match[1]);
        // Everything else the stub sent is acknowledgements.
        expect(this.received.replace(/\$([^#]*)#([0-9a-f]{2})/g, '').replace(/\+/g, '')).toBe('');
        this.received = '';
        return replies;
    }
}

async function gdbOn(source: string): Promise<FakeGdb> {
    return new FakeGdb(new SystemDebugger(await boot(source), { yieldToHost: () => new Promise(resolve => setImmediate(resolve)) }));
}

const word = (hex: string, index: number) => parseInt(hex.slice(8 * index, 8 * index + 8).match(/../g)?.reverse().join('') ?? '', 16);

/** The address of a routine of a component, from its ELF symbols (what `symbol-file` gives GDB). */
function routineAddress(debug: SystemDebugger, component: string, name: string): number {
    const found = debug.disassemble(component, 0x10000, 0, 4096).find(instruction => instruction.symbol === name);
    if (!found) throw new Error(`no routine ${name}`);
    return found.address;
}

describe('GdbStub', () => {
    it('describes an RV32 target with x0..x31 and pc, in windows, the last marked l', async () => {
        const gdb = await gdbOn(CALCULATOR);
        expect(gdb.ask('qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+')).toBe('PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+');
        let xml = '';
        for (;;) {
            const reply = gdb.ask(`qXfer:features:read:target.xml:${xml.length.toString(16)},100`);
            xml += reply.slice(1);
            if (reply.startsWith('l')) break;
            expect(reply.charAt(0)).toBe('m');
        }
        expect(xml).toBe(TARGET_XML);
        expect(xml).toContain('<architecture>riscv:rv32</architecture>');
        expect(xml.match(/<reg /g)?.length).toBe(33);
        expect(xml).toContain('<reg name="s0" bitsize="32" type="int" regnum="8"/>');
        expect(xml).toContain('<reg name="pc" bitsize="32" type="code_ptr" regnum="32"/>');
        expect(gdb.ask('qXfer:features:read:target.xml:ffff,100')).toBe('l');
        expect(gdb.ask('qXfer:features:read:riscv-64bit-cpu.xml:0,100')).toBe('E01');
        expect(gdb.ask('qXfer:auxv:read::0,100')).toBe('');
    });

    it('lists the kernel threads, names them by instance, and stops before the first instruction', async () => {
        const gdb = await gdbOn(CALCULATOR);
        const ids = gdb.debug.threads().map(thread => thread.id.toString(16));
        expect(gdb.ask('qfThreadInfo')).toBe(`m${ids.join(',')}`);
        expect(gdb.ask('qsThreadInfo')).toBe('l');
        const extra = (id: string) => Buffer.from(gdb.ask(`qThreadExtraInfo,${id}`), 'hex').toString();
        expect(ids.map(extra)).toEqual(['calc (runnable)', 'client (runnable)']);
        expect(gdb.ask('?')).toBe(`T05thread:${ids[0]};`);
        expect(gdb.ask('qC')).toBe(`QC${ids[0]}`);
        expect(gdb.ask(`T${ids[1]}`)).toBe('OK');
        expect(gdb.ask('T99')).toBe('E01');
        expect(gdb.ask('qAttached')).toBe('0');
    });

    it('reads and writes registers and memory of the selected thread, in target byte order', async () => {
        const gdb = await gdbOn(CALCULATOR);
        const [calc, client] = gdb.debug.threads().map(thread => thread.id.toString(16));
        const registers = gdb.ask('g');
        expect(registers.length).toBe(33 * 8);
        expect(word(registers, 2)).toBe(0x7fff0000);
        expect(word(registers, 32)).toBe(0x10000);
        expect(gdb.ask('p20')).toBe('00000100');
        expect(gdb.ask('P5=78563412')).toBe('OK');
        expect(gdb.ask('p5')).toBe('78563412');
        expect(gdb.debug.control.readRegisters('calc').x[5]).toBe(0x12345678);
        expect(gdb.ask('P0=ffffffff')).toBe('OK');
        expect(gdb.ask('p0')).toBe('00000000');
        // Another thread's registers after Hg, and G writes them all back.
        expect(gdb.ask(`Hg${client}`)).toBe('OK');
        expect(gdb.ask('p5')).toBe('00000000');
        const changed = registers.slice(0, 8 * 10) + '2a000000' + registers.slice(8 * 11);
        expect(gdb.ask(`G${changed}`)).toBe('OK');
        expect(gdb.debug.control.readRegisters('client').x[10]).toBe(42);
        expect(gdb.ask(`Hg${calc}`)).toBe('OK');
        // Memory: the code at the entry point, written and read back through the thread's address space.
        const code = gdb.ask('m10000,8');
        expect(code).toMatch(/^[0-9a-f]{16}$/);
        expect(gdb.ask('M7ffefff0,4:efbeadde')).toBe('OK');
        expect(gdb.ask('m7ffefff0,4')).toBe('efbeadde');
        expect(gdb.ask('X7ffefff4,2:}\x03}\x04')).toBe('OK');
        expect(gdb.ask('m7ffefff4,2')).toBe('2324');
        expect(gdb.ask('X7ffefff4,0:')).toBe('OK');
        // Unmapped memory: EFAULT when nothing is readable, the readable part at the end of a mapping.
        expect(gdb.ask('m0,4')).toBe('E14');
        expect(gdb.ask('M0,1:00')).toBe('E14');
        expect(gdb.ask('m7ffffffe,4')).toBe('E14');
        expect(gdb.ask('m7ffefffe,4')).toMatch(/^[0-9a-f]{4}$/);
    });

    it('answers malformed packets with an error or an empty reply and goes on working', async () => {
        const gdb = await gdbOn(CALCULATOR);
        const malformed = [
            'm', 'mzz,4', 'm10000', 'm1,2,3', 'm123456789,4', 'M10000,4:zz', 'M10000,4:00', 'M10000', 'X10000,2:a', 'G12', 'Gzz' + '0'.repeat(262),
            'P20=1', 'P20=0100000', 'Pzz=00000000', 'p21', 'p', 'pxyz', 'Z0,zz,4', 'Z0,10000', 'z1,,', 'Hx1', 'Hg999', 'Hgzz', 'H', 'T', 'Tzz',
            'vCont;q', 'vCont;', 'vCont;c:zz', 'vCont;s:999', 'qXfer:features:read:target.xml:zz,10', 'qXfer:features:read:target.xml',
            'qThreadExtraInfo,zz', 'qThreadExtraInfo,', 'c12', 'C0b;zz', 's3', 'QFoo', 'vFile:open:x', 'Z2,10000,4', 'z4,10000,4', '!', 'R00', 'i',
            '\x00\xff\x7f', 'q', 'Q', 'v'
        ];
        const replies = malformed.map(packet => gdb.ask(packet));
        expect(replies.every(reply => reply === 'E01' || reply === '' || reply === 'E14')).toBe(true);
        expect(Object.fromEntries(malformed.map((packet, i) => [packet, replies[i]]))).toMatchObject({
            m: 'E01', 'mzz,4': 'E01', 'M10000,4:00': 'E01', G12: 'E01', p21: 'E01', 'Z0,zz,4': '', 'Hg999': 'E01', 'vCont;q': 'E01', 'vCont;s:999': 'E01',
            c12: 'E01', 'Z2,10000,4': '', '!': ''
        });
        expect(gdb.log).toEqual([]);
        expect(word(gdb.ask('g'), 32)).toBe(0x10000);
        expect(gdb.ask('?')).toMatch(/^T05thread:[0-9a-f]+;$/);
    });

    it('stops at a breakpoint in a handler, steps one instruction, and reports the exit status', async () => {
        const gdb = await gdbOn(CALCULATOR);
        const calc = gdb.debug.threads()[0].id.toString(16);
        const div = routineAddress(gdb.debug, 'calc', 'handler.Calc.div');
        expect(gdb.ask('vCont?')).toBe('vCont;c;C;s;S');
        expect(gdb.ask(`Z0,${div.toString(16)},4`)).toBe('OK');
        // An address that is not code of the selected thread's component cannot hold a breakpoint.
        expect(gdb.ask('Z0,7fff0000,4')).toBe('E01');
        expect(await gdb.resume('vCont;c')).toBe(`T05swbreak:;thread:${calc};`);
        expect(word(gdb.ask('g'), 32)).toBe(div);
        expect(await gdb.resume(`vCont;s:${calc};c`)).toBe(`T05thread:${calc};`);
        expect(word(gdb.ask('g'), 32)).toBe(div + 4);
        // Calc.div is called twice (17 / 5 and 1 / 0).
        expect(await gdb.resume('c')).toBe(`T05swbreak:;thread:${calc};`);
        expect(gdb.ask(`z0,${div.toString(16)},4`)).toBe('OK');
        expect(gdb.ask(`z0,${div.toString(16)},4`)).toBe('OK');
        expect(await gdb.resume('vCont;c')).toBe('W00');
        const end: GdbSessionEnd = await gdb.stub.done;
        expect(end).toEqual({ kind: 'ended', outcome: { kind: 'finished', cycle: gdb.debug.run.cycle } });
        // After the exit, the stop reply stays the exit and nothing else can be done.
        expect(gdb.ask('?')).toBe('W00');
        expect(gdb.ask('g')).toBe('E01');
    });

    it('reports a hardware breakpoint (Z1) as hwbreak', async () => {
        const gdb = await gdbOn(CALCULATOR);
        const calc = gdb.debug.threads()[0].id.toString(16);
        const add = routineAddress(gdb.debug, 'calc', 'handler.Calc.add');
        expect(gdb.ask(`Z1,${add.toString(16)},4`)).toBe('OK');
        expect(await gdb.resume('c')).toBe(`T05hwbreak:;thread:${calc};`);
    });

    it('keeps a breakpoint in the address space it was first inserted into while GDB re-inserts it', async () => {
        const gdb = await gdbOn(CALCULATOR);
        const [calc, client] = gdb.debug.threads().map(thread => thread.id.toString(16));
        // 0x10800 is code of the client (0x8bc bytes of it), not of calc (0x800 bytes).
        expect([gdb.debug.disassemble('client', 0x10800, 0, 1)[0].word !== undefined, gdb.debug.disassemble('calc', 0x10800, 0, 1)[0].word]).toEqual([true, undefined]);
        expect(gdb.ask(`Hg${calc}`)).toBe('OK');
        expect(gdb.ask('Z0,10800,4')).toBe('E01');
        expect(gdb.ask(`Hg${client}`)).toBe('OK');
        expect(gdb.ask('Z0,10800,4')).toBe('OK');
        // A stop: GDB removes its breakpoints, selects another thread, and inserts them again.
        expect(gdb.ask('z0,10800,4')).toBe('OK');
        expect(gdb.ask(`Hg${calc}`)).toBe('OK');
        expect(gdb.ask('Z0,10800,4')).toBe('OK');
        // Deleted before a resume, the address is free to go to another thread's address space.
        expect(gdb.ask('z0,10800,4')).toBe('OK');
        expect(await gdb.resume(`vCont;s:${calc}`)).toBe(`T05thread:${calc};`);
        expect(gdb.ask('Z0,10800,4')).toBe('E01');
    });

    it('stops a running system on Ctrl-C with SIGINT', async () => {
        const gdb = await gdbOn(SPINNER);
        const spinner = gdb.debug.threads()[0].id.toString(16);
        expect(gdb.raw(String.fromCharCode(...encodePacket('vCont;c')))).toEqual([]);
        await new Promise(resolve => setTimeout(resolve, 50));
        expect(gdb.raw('\x03')).toEqual([]);
        expect(await gdb.nextReply()).toBe(`T02thread:${spinner};`);
        expect(gdb.debug.run.cycle).toBeGreaterThan(0);
    });

    it('stops at an unhandled fault with the signal for it, then exits with ukc run’s fault status', async () => {
        const gdb = await gdbOn(OUT_OF_BOUNDS);
        const indexer = gdb.debug.threads()[0].id.toString(16);
        // A bounds check that fails is a panic: SIGABRT.
        expect(await gdb.resume('c')).toBe(`T06thread:${indexer};`);
        expect(await gdb.resume('c')).toBe('W03');
    });

    it('ends the session on detach (the run goes on) and on kill (no reply)', async () => {
        const detaching = await gdbOn(CALCULATOR);
        expect(detaching.ask('Z0,10000,4')).toBe('OK');
        expect(detaching.ask('D')).toBe('OK');
        await expect(detaching.stub.done).resolves.toEqual({ kind: 'detached' });
        // Detached: no breakpoint is left in the kernel, the run ends by itself.
        expect((await detaching.debug.run.run()).kind).toBe('finished');
        const killing = await gdbOn(CALCULATOR);
        expect(killing.raw(String.fromCharCode(...encodePacket('k')))).toEqual([]);
        await expect(killing.stub.done).resolves.toEqual({ kind: 'killed' });
        expect(killing.raw(String.fromCharCode(...encodePacket('g')))).toEqual([]);
    });

    it('resends its last reply on - and stops acknowledging after QStartNoAckMode', async () => {
        const gdb = await gdbOn(CALCULATOR);
        expect(gdb.ask('qC')).toMatch(/^QC/);
        const again = gdb.raw('-');
        expect(again).toEqual([gdb.ask('qC')]);
        expect(gdb.ask('QStartNoAckMode')).toBe('OK');
        expect(gdb.raw('$qC#00')).toEqual([again[0]]);
        expect(gdb.raw('-')).toEqual([]);
    });
});
