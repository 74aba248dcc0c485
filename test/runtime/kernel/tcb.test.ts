import { describe, expect, it } from 'vitest';
import { Invocation, KernelError, Syscall, ThreadState, ThreadStateCode, messageInfo } from '../../../runtime/kernel/index.js';
import { bootTest, invoke, ipcLines, syscall } from './harness.js';

describe('TCB invocations', () => {
    function boss(body: string) {
        return bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                {
                    name: 'boss', threads: [{ name: 'boss', priority: 100, mcp: 200 }],
                    caps: [{ slot: 1, tcb: 'worker' }, { slot: 2, endpoint: 'ep' }, { slot: 3, vspace: 'boss' }, { slot: 4, tcb: 'boss' }],
                    source: `_start:\n${body}\n    j park`
                },
                {
                    name: 'worker', threads: [{ name: 'worker', priority: 50, start: false }],
                    source: `
_start:
    li s1, 1
    li s2, 2
    j park
`
                }
            ]
        });
    }

    it('starts a thread at a chosen pc and stack, and reads its registers back', () => {
        const system = boss(`
${invoke(1, Invocation.TcbReadRegisters)}
    mv s1, a2
    mv s2, a4
${invoke(1, Invocation.TcbWriteRegisters, [0x1_0004, 0x7fff_0000 - 64, 1])}
    mv s3, a6
${invoke(1, Invocation.TcbSetPriority, [150])}
    mv s4, a6
${invoke(1, Invocation.TcbReadRegisters)}
    mv s5, a3
    mv s6, a4
`);
        system.run();
        expect(system.reg('boss', 's1')).toBe(0x1_0000);
        expect(system.reg('boss', 's2')).toBe(ThreadStateCode.Inactive);
        expect(system.reg('boss', 's3')).toBe(KernelError.NoError);
        expect(system.reg('boss', 's4')).toBe(KernelError.NoError);
        // Raised above the boss, the worker ran at once: it skipped `li s1, 1` and is parked now.
        expect(system.reg('boss', 's5')).toBe(0x7fff_0000 - 64);
        expect(system.reg('boss', 's6')).toBe(ThreadStateCode.BlockedOnNotification);
        expect(system.reg('worker', 's1')).toBe(0);
        expect(system.reg('worker', 's2')).toBe(2);
    });

    it('resumes and suspends', () => {
        const system = boss(`
${invoke(1, Invocation.TcbResume)}
    mv s1, a6
${invoke(4, Invocation.TcbSuspend)}
`);
        system.run();
        expect(system.reg('boss', 's1')).toBe(KernelError.NoError);
        expect(system.threads.get('boss')?.state).toBe(ThreadState.Inactive);
        expect(system.reg('worker', 's1')).toBe(1);
    });

    it('returns a named error for every bad argument', () => {
        const system = boss(`
${invoke(1, Invocation.TcbSetPriority, [256])}
    mv s1, a6
${invoke(1, Invocation.TcbWriteRegisters, [0x1_0002, 0, 0])}
    mv s2, a6
${invoke(1, Invocation.TcbWriteRegisters, [0x1_0000, 0, 2])}
    mv s3, a6
${invoke(1, Invocation.TcbConfigure, [3, 0])}
    mv s4, a6
${invoke(1, Invocation.TcbConfigure, [9, 0])}
    mv s5, a6
${invoke(1, Invocation.TcbConfigure, [2, 0x7000_0100])}
    mv s6, a6
${invoke(1, Invocation.TcbConfigure, [2, 0x6000_0000])}
    mv s7, a6
${invoke(1, Invocation.TcbBindNotification, [2])}
    mv s8, a6
${invoke(1, 77)}
    mv s9, a6
${invoke(3, 1)}
    mv s10, a6
${invoke(1, Invocation.TcbConfigure, [2, 0x7000_0200])}
    mv s11, a6
`);
        system.run();
        expect(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11'].map(reg => system.reg('boss', reg))).toEqual([
            KernelError.InvalidArgument, KernelError.AlignmentError, KernelError.InvalidArgument, KernelError.InvalidCapability,
            KernelError.FailedLookup, KernelError.AlignmentError, KernelError.InvalidArgument, KernelError.InvalidCapability,
            KernelError.InvalidArgument, KernelError.InvalidCapability, KernelError.NoError
        ]);
        const worker = system.threads.get('worker');
        expect(worker?.ipcBuffer).toBe(0x7000_0200);
        expect(worker?.faultHandler.cap?.type).toBe(1);
    });
});

describe('scheduling', () => {
    const printer = (char: string, loops: number) => `
_start:
    li s0, 3
again:
${syscall(Syscall.DebugPutChar, { a0: char.charCodeAt(0) })}
    li t0, ${loops}
spin:
    addi t0, t0, -1
    bnez t0, spin
    addi s0, s0, -1
    bnez s0, again
    j park
`;

    it('shares a priority round-robin, one time slice each', () => {
        const system = bootTest({
            timeSlice: 2_000,
            components: [{ name: 'a', priority: 100, source: printer('A', 1_500) }, { name: 'b', priority: 100, source: printer('B', 1_500) }]
        });
        system.run();
        expect(system.console()).toBe('ABABAB');
        expect(system.events.filter(event => event.kind === 'schedule' && event.reason === 'slice').length).toBeGreaterThan(3);
    });

    it('runs a higher priority to completion first, without slices', () => {
        const system = bootTest({
            timeSlice: 2_000,
            components: [{ name: 'a', priority: 100, source: printer('A', 1_500) }, { name: 'b', priority: 101, source: printer('B', 1_500) }]
        });
        system.run();
        expect(system.console()).toBe('BBBAAA');
    });

    it('lets a thread yield its turn', () => {
        const yielder = (char: string) => `
_start:
${syscall(Syscall.DebugPutChar, { a0: char.charCodeAt(0) })}
${syscall(Syscall.Yield)}
${syscall(Syscall.DebugPutChar, { a0: char.charCodeAt(0) })}
${syscall(Syscall.Yield)}
    j park
`;
        const system = bootTest({ components: [{ name: 'a', priority: 7, source: yielder('a') }, { name: 'b', priority: 7, source: yielder('b') }] });
        system.run();
        expect(system.console()).toBe('abab');
    });

    it('preempts a lower priority as soon as a higher one is woken', () => {
        const system = bootTest({
            objects: [{ name: 'n', kind: 'notification' }],
            components: [
                { name: 'low', priority: 10, caps: [{ slot: 1, notification: 'n', rights: 'w' }], source: `
_start:
${syscall(Syscall.DebugPutChar, { a0: 108 })}
${syscall(Syscall.Signal, { a0: 1 })}
${syscall(Syscall.DebugPutChar, { a0: 109 })}
    j park
` },
                { name: 'high', priority: 200, caps: [{ slot: 1, notification: 'n', rights: 'r' }], source: `
_start:
${syscall(Syscall.Wait, { a0: 1 })}
${syscall(Syscall.DebugPutChar, { a0: 72 })}
    j park
` }
            ]
        });
        system.run();
        expect(system.console()).toBe('lHm');
    });
});

describe('the maximum controlled priority', () => {
    /** `self` holds its own TCB (slot 1) and the worker's (slot 2); its MCP is `mcp` when given. */
    function mcpSystem(body: string, mcp?: number) {
        return bootTest({
            components: [
                {
                    name: 'self', threads: [{ name: 'self', priority: 100, ...(mcp === undefined ? {} : { mcp }) }],
                    caps: [{ slot: 1, tcb: 'self' }, { slot: 2, tcb: 'worker' }], source: `_start:\n${body}\n    j park`
                },
                { name: 'worker', threads: [{ name: 'worker', priority: 10, start: false }], source: '_start:\n    j park' }
            ]
        });
    }

    it('keeps a thread from raising itself or others above its own priority when the manifest sets no MCP', () => {
        const system = mcpSystem(`
${invoke(1, Invocation.TcbSetPriority, [255])}
    mv s1, a6
${invoke(2, Invocation.TcbSetPriority, [101])}
    mv s2, a6
${invoke(1, Invocation.TcbSetPriority, [40])}
    mv s3, a6
${invoke(1, Invocation.TcbSetPriority, [100])}
    mv s4, a6
${invoke(2, Invocation.TcbSetPriority, [100])}
    mv s5, a6
${invoke(2, Invocation.TcbSetMCPriority, [101])}
    mv s6, a6
${invoke(2, Invocation.TcbSetMCPriority, [256])}
    mv s7, a6
`);
        system.run();
        expect(['s1', 's2', 's3', 's4', 's5', 's6', 's7'].map(reg => system.reg('self', reg))).toEqual([
            KernelError.RangeError, KernelError.RangeError, KernelError.NoError, KernelError.NoError, KernelError.NoError,
            KernelError.RangeError, KernelError.InvalidArgument
        ]);
        expect(system.threads.get('self')?.priority).toBe(100);
        expect(system.threads.get('worker')?.priority).toBe(100);
        expect(system.threads.get('worker')?.maxControlledPriority).toBe(10);
    });

    it("lets a thread give priorities and MCPs up to the manifest's MCP, and no further", () => {
        const system = mcpSystem(`
${invoke(2, Invocation.TcbSetMCPriority, [150])}
    mv s1, a6
${invoke(2, Invocation.TcbSetPriority, [150])}
    mv s2, a6
${invoke(1, Invocation.TcbSetPriority, [151])}
    mv s3, a6
${invoke(2, Invocation.TcbSetMCPriority, [151])}
    mv s4, a6
`, 150);
        system.run();
        expect(['s1', 's2', 's3', 's4'].map(reg => system.reg('self', reg))).toEqual([
            KernelError.NoError, KernelError.NoError, KernelError.RangeError, KernelError.RangeError
        ]);
        expect([system.threads.get('worker')?.priority, system.threads.get('worker')?.maxControlledPriority]).toEqual([150, 150]);
    });
});

describe('suspending a thread in the middle of a system call', () => {
    /**
     * The server takes a call, then waits for `go` before answering; the boss (lowest priority, so it runs
     * when the others are blocked) suspends and resumes `target`, then signals `go` twice.
     */
    function suspendedInIpc(target: 'client' | 'server') {
        return bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'go', kind: 'notification' }],
            components: [
                {
                    name: 'server', priority: 200, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, notification: 'go', rights: 'r' }],
                    source: `
_start:
    li a6, 99
${syscall(Syscall.Recv, { a0: 1 })}
serve:
    mv s1, a6
    mv s2, a2
    addi s3, s3, 1
${syscall(Syscall.Wait, { a0: 2 })}
    addi a2, s2, 1
    li a1, ${messageInfo(0, 1)}
${syscall(Syscall.ReplyRecv, { a0: 1 })}
    j serve
`
                },
                {
                    name: 'client', priority: 150, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }],
                    source: `
_start:
${target === 'client' ? '' : '    j park'}
    li a6, 99
${syscall(Syscall.Call, { a0: 1, a1: messageInfo(1, 1), mrs: [41] })}
    mv s1, a6
    mv s2, a2
    j park
`
                },
                {
                    name: 'boss', priority: 50, caps: [{ slot: 1, tcb: target }, { slot: 2, notification: 'go', rights: 'w', badge: 1 }, { slot: 3, endpoint: 'ep', rights: 'w' }],
                    source: `
_start:
${invoke(1, Invocation.TcbReadRegisters)}
    mv s1, a4
${invoke(1, Invocation.TcbSuspend)}
${invoke(1, Invocation.TcbReadRegisters)}
    mv s2, a2
${invoke(1, Invocation.TcbResume)}
${target === 'server' ? syscall(Syscall.Send, { a0: 3, a1: messageInfo(1, 1), mrs: [7] }) : ''}
${syscall(Syscall.Signal, { a0: 2 })}
${syscall(Syscall.Signal, { a0: 2 })}
    j park
`
                }
            ]
        });
    }

    it('makes a client suspended while waiting for its reply call again when resumed, and get a real answer', () => {
        const system = suspendedInIpc('client');
        system.run();
        expect(system.reg('boss', 's1')).toBe(ThreadStateCode.BlockedOnReply);
        // Suspended, its pc is back at its ecall, the seventh instruction (seL4's restart pc).
        expect(system.reg('boss', 's2')).toBe(0x1_0000 + 4 * 6);
        expect(system.reg('client', 's1')).toBe(KernelError.NoError);
        expect(system.reg('client', 's2')).toBe(42);
        // The request reached the server twice: the first reply capability died with the suspension.
        expect(system.reg('server', 's3')).toBe(2);
        expect(ipcLines(system.events)).toEqual([
            'call client->server label=1 words=[41] badge=0 fast',
            'call client->server label=1 words=[41] badge=0',
            'reply server->client label=0 words=[42] badge=0 fast'
        ]);
    });

    it('makes a server suspended while receiving receive again when resumed, instead of returning a stale message', () => {
        const system = suspendedInIpc('server');
        system.run();
        expect(system.reg('boss', 's1')).toBe(ThreadStateCode.BlockedOnReceive);
        expect(system.reg('server', 's1')).toBe(KernelError.NoError);
        expect(system.reg('server', 's2')).toBe(7);
        expect(system.reg('server', 's3')).toBe(1);
    });
});
