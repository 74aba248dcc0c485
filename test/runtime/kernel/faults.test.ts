import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FaultKind, Invocation, MapPermission, PANIC_WORD_BASE, PanicCode, SERVER_FAILED_LABEL, Syscall, ThreadState, messageInfo, panicName, panicWord } from '../../../runtime/kernel/index.js';
import { Op, decode } from '../../../runtime/machine/index.js';
import { bootTest, invoke, syscall } from './harness.js';

/** A fault handler: records the fault (badge, label, MR0..MR2), then answers as `answer` says. */
function handler(answer: string): string {
    return `
_start:
${syscall(Syscall.Recv, { a0: 1 })}
    mv s1, a0
    srli s2, a1, 12
    mv s3, a2
    mv s4, a3
    mv s5, a4
${answer}
    j park
`;
}

function faulting(program: string, answer: string, faulterCaps: Record<string, unknown>[] = []) {
    return bootTest({
        objects: [{ name: 'faults', kind: 'endpoint' }],
        components: [
            { name: 'handler', priority: 200, caps: [{ slot: 1, endpoint: 'faults', rights: 'r' }, { slot: 4, frame: {} }, { slot: 5, vspace: 'worker' }], source: handler(answer) },
            { name: 'worker', caps: [{ slot: 1, endpoint: 'faults', rights: 'w', badge: 7 }, ...faulterCaps], threads: [{ name: 'worker', priority: 100, faultEndpoint: 1 }], source: program }
        ]
    });
}

describe('faults', () => {
    it('delivers a page fault to the handler, which maps the page and resumes the thread', () => {
        const system = faulting(`
_start:
    li t0, 0x50000010
    li t1, 99
fault_here:
    sw t1, 0(t0)
    lw s1, 0(t0)
    j park
`, `${invoke(4, Invocation.FrameMap, [5, 0x5000_0000, MapPermission.Read | MapPermission.Write])}
    li a1, 0
${syscall(Syscall.Reply)}`);
        system.run();
        expect(system.reg('handler', 's1')).toBe(7);
        expect(system.reg('handler', 's2')).toBe(FaultKind.PageFault);
        expect(system.reg('handler', 's3')).toBe(0x1_000c); // after lui+addi and li
        expect(system.reg('handler', 's4')).toBe(0x5000_0010);
        expect(system.reg('handler', 's5')).toBe(1);
        expect(system.reg('worker', 's1')).toBe(99);
        expect(system.events.filter(event => event.kind === 'fault' || event.kind === 'resume').map(event => event.kind)).toEqual(['fault', 'resume']);
    });

    it('restarts the thread at the pc the handler gives', () => {
        const system = faulting(`
_start:
    li s1, 1
    .word 0
    li s1, 2
    j park
`, `    addi a2, a2, 4
    li a1, ${messageInfo(0, 1)}
${syscall(Syscall.Reply)}`);
        system.run();
        expect(system.reg('handler', 's2')).toBe(FaultKind.IllegalInstruction);
        expect(system.reg('handler', 's4')).toBe(0);
        expect(system.reg('worker', 's1')).toBe(2);
    });

    it('leaves the thread suspended when the handler answers with a non-zero label', () => {
        const system = faulting(`
_start:
    ebreak
    li s1, 2
    j park
`, `    li a1, ${messageInfo(1, 0)}
${syscall(Syscall.Reply)}`);
        system.run();
        expect(system.reg('handler', 's2')).toBe(FaultKind.Breakpoint);
        expect(system.reg('worker', 's1')).toBe(0);
        expect(system.threads.get('worker')?.state).toBe(ThreadState.Inactive);
    });

    it('suspends a thread with no fault handler, and the others run on', () => {
        const system = bootTest({
            components: [
                { name: 'crasher', priority: 200, source: `
_start:
    lw t0, 0(zero)
    j park
` },
                { name: 'worker', priority: 100, source: `
_start:
${syscall(Syscall.DebugPutChar, { a0: 111 })}
${syscall(Syscall.DebugPutChar, { a0: 107 })}
    j park
` }
            ]
        });
        const result = system.run();
        expect(system.console()).toBe('ok');
        expect(system.threads.get('crasher')?.state).toBe(ThreadState.Inactive);
        expect(system.events.find(event => event.kind === 'fault')).toEqual({
            kind: 'fault', cycle: expect.any(Number), thread: 'crasher', fault: 'page-fault', pc: 0x1_0000, address: 0, handler: undefined
        });
        expect(result.reason).toBe('idle');
    });
});

describe('a server that stops serving in the middle of a call', () => {
    it('answers the call it was serving with ServerFailed when restarted; the next call is served by the new incarnation', async () => {
        const { bootTest: boot, invoke: call, syscall: sys, ipcLines: lines } = await import('./harness.js');
        const system = boot({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'faults', kind: 'endpoint' }],
            components: [
                {
                    name: 'server', caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, endpoint: 'faults', rights: 'w' }],
                    threads: [{ name: 'server', priority: 100, faultEndpoint: 2 }],
                    source: `
_start:
${sys(Syscall.Recv, { a0: 1 })}
serve:
    la t0, crashed
    lw t1, 0(t0)
    bnez t1, answer
    li t1, 1
    sw t1, 0(t0)
    lw t2, 0(zero)
answer:
    addi a2, a2, 1
    li a1, ${messageInfo(0, 1)}
${sys(Syscall.ReplyRecv, { a0: 1 })}
    j serve
.data
crashed:
    .word 0
.text
`
                },
                {
                    name: 'supervisor', priority: 200, caps: [{ slot: 1, endpoint: 'faults', rights: 'r' }, { slot: 2, tcb: 'server' }],
                    source: `
_start:
${sys(Syscall.Recv, { a0: 1 })}
${call(2, Invocation.TcbWriteRegisters, [0x1_0000, 0x7fff_0000, 1])}
    j park
`
                },
                { name: 'client', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }], source: `
_start:
    li a2, 7
${sys(Syscall.Call, { a0: 1, a1: messageInfo(1, 1), mrs: [41] })}
    mv s1, a1
    mv s2, a6
    mv s3, a2
${sys(Syscall.Call, { a0: 1, a1: messageInfo(1, 1), mrs: [41] })}
    mv s4, a2
    j park
` }
            ]
        });
        system.run();
        // The failed call: label ServerFailed, no words, status 0; its message registers are left as they were.
        expect(system.reg('client', 's1')).toBe(messageInfo(SERVER_FAILED_LABEL, 0) >>> 0);
        expect(system.reg('client', 's2')).toBe(0);
        expect(system.reg('client', 's4')).toBe(42);
        expect(lines(system.events)).toEqual([
            'call client->server label=1 words=[41] badge=0 fast',
            'fault server->supervisor label=1 words=[65572,0,0] badge=0',
            `reply server->client label=${SERVER_FAILED_LABEL} words=[] badge=0`,
            'call client->server label=1 words=[41] badge=0 fast',
            'reply server->client label=0 words=[42] badge=0 fast'
        ]);
    });

    it('answers it with ServerFailed when the server faults with no handler, or is suspended', async () => {
        const { bootTest: boot, invoke: call, syscall: sys, ipcLines: lines } = await import('./harness.js');
        const system = boot({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'ep2', kind: 'endpoint' }],
            components: [
                { name: 'crasher', caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }], threads: [{ name: 'crasher', priority: 100 }], source: `
_start:
${sys(Syscall.Recv, { a0: 1 })}
    lw t2, 0(zero)
` },
                { name: 'sleeper', caps: [{ slot: 1, endpoint: 'ep2', rights: 'r' }], threads: [{ name: 'sleeper', priority: 100 }], source: `
_start:
${sys(Syscall.Recv, { a0: 1 })}
    j park
` },
                { name: 'client', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }, { slot: 2, endpoint: 'ep2', rights: 'w' }, { slot: 3, tcb: 'sleeper' }], source: `
_start:
${sys(Syscall.Call, { a0: 1, a1: messageInfo(1, 0) })}
    mv s1, a1
    mv s2, a6
${sys(Syscall.Call, { a0: 2, a1: messageInfo(1, 0) })}
    mv s3, a1
    j park
` },
                { name: 'killer', priority: 40, caps: [{ slot: 1, tcb: 'sleeper' }], source: `
_start:
${call(1, Invocation.TcbSuspend, [])}
    j park
` }
            ]
        });
        system.run();
        expect(system.reg('client', 's1')).toBe(messageInfo(SERVER_FAILED_LABEL, 0) >>> 0);
        expect(system.reg('client', 's2')).toBe(0);
        expect(system.reg('client', 's3')).toBe(messageInfo(SERVER_FAILED_LABEL, 0) >>> 0);
        expect(lines(system.events).filter(line => line.startsWith('reply'))).toEqual([
            `reply crasher->client label=${SERVER_FAILED_LABEL} words=[] badge=0`,
            `reply sleeper->client label=${SERVER_FAILED_LABEL} words=[] badge=0`
        ]);
    });
});

describe('panic words (compiled code stopping itself)', () => {
    const codes = [
        PanicCode.AssertionFailed, PanicCode.DivisionByZero, PanicCode.IndexOutOfBounds, PanicCode.BulkOutOfBounds, PanicCode.IpcFailed,
        PanicCode.UnexpectedReply, PanicCode.ServerFailed
    ];

    it('are illegal instructions that name their reason, and no other word names one', () => {
        expect(codes.map(code => [decode(panicWord(code)).op === Op.Illegal, panicName(panicWord(code))])).toEqual([
            [true, 'assertion-failed'], [true, 'division-by-zero'], [true, 'index-out-of-bounds'], [true, 'bulk-out-of-bounds'],
            [true, 'ipc-failed'], [true, 'unexpected-error-reply'], [true, 'server-failed']
        ]);
        // Any word, and words that share the panic words' top half.
        const words = fc.oneof(fc.integer({ min: 0, max: 0xffff_ffff }), fc.integer({ min: 0, max: 0xffff }).map(low => (PANIC_WORD_BASE | low) >>> 0));
        fc.assert(fc.property(words, word => {
            const named = panicName(word) !== undefined;
            expect(named).toBe(codes.some(code => panicWord(code) === word));
        }));
    });

    it('reach the fault event: a thread that executes one faults with its reason', () => {
        const system = bootTest({ components: [{ name: 'p', source: `
_start:
    .word ${panicWord(PanicCode.DivisionByZero)}
` }] });
        system.run();
        expect(system.events.find(event => event.kind === 'fault')).toMatchObject({ thread: 'p', fault: 'illegal-instruction', panic: 'division-by-zero', pc: 0x1_0000 });
    });
});

describe('restarting a fault handler in the middle of a fault', () => {
    it('lets the faulted thread run its faulting instruction again, not the one before it', () => {
        const system = bootTest({
            objects: [{ name: 'faults', kind: 'endpoint' }, { name: 'handlerFaults', kind: 'endpoint' }],
            components: [
                {
                    name: 'handler', caps: [{ slot: 1, endpoint: 'faults', rights: 'r' }, { slot: 2, endpoint: 'handlerFaults', rights: 'w' }],
                    threads: [{ name: 'handler', priority: 150, faultEndpoint: 2 }],
                    source: `
_start:
${syscall(Syscall.Recv, { a0: 1 })}
    la t0, crashed
    lw t1, 0(t0)
    bnez t1, answer
    li t1, 1
    sw t1, 0(t0)
    lw t2, 0(zero)
answer:
    addi a2, a2, 4
    li a1, ${messageInfo(0, 1)}
${syscall(Syscall.Reply)}
    j park
.data
crashed:
    .word 0
.text
`
                },
                {
                    name: 'supervisor', priority: 200, caps: [{ slot: 1, endpoint: 'handlerFaults', rights: 'r' }, { slot: 2, tcb: 'handler' }],
                    source: `
_start:
${syscall(Syscall.Recv, { a0: 1 })}
${invoke(2, Invocation.TcbWriteRegisters, [0x1_0000, 0x7fff_0000, 1])}
    j park
`
                },
                {
                    name: 'worker', caps: [{ slot: 1, endpoint: 'faults', rights: 'w' }], threads: [{ name: 'worker', priority: 100, faultEndpoint: 1 }],
                    source: `
_start:
    addi s1, s1, 1
    .word 0
    addi s2, s2, 1
    j park
`
                }
            ]
        });
        system.run();
        const workerFaults = system.events.flatMap(event => event.kind === 'fault' && event.thread === 'worker' ? [[event.fault, event.pc]] : []);
        expect(workerFaults).toEqual([['illegal-instruction', 0x1_0004], ['illegal-instruction', 0x1_0004]]);
        expect(system.reg('worker', 's1')).toBe(1);
        expect(system.reg('worker', 's2')).toBe(1);
    });
});
