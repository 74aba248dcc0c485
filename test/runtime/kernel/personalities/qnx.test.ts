/**
 * The QNX Neutrino personality (docs/ABI.md, "The QNX Neutrino personality"): the neutral system calls
 * carried out as MsgSend / MsgReceive / MsgReply with the kernel copying message data (and counting it),
 * reply buffers fixed at send time, pulses queued one by one, and message-driven priority inheritance,
 * each checked against what seL4 does with the same program where the two differ.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_IPC_BUFFER_BASE, IPC_MSG, Invocation, KernelError, RECEIVED_SIGNAL, messageInfo } from '../../../../runtime/contract/index.js';
import type { KernelPersonalityName } from '../../../../runtime/kernel/index.js';
import { ADDER, bootTest, CALL_ONCE, invoke, ipcLines, syscall } from '../harness.js';

const IPC_BUFFER = DEFAULT_IPC_BUFFER_BASE;

describe('QNX message passing', () => {
    it('copies every word of a call and its reply through the kernel, names them MsgSend and MsgReply, and counts the bytes', () => {
        const system = bootTest({
            objects: [{ name: 'adder', kind: 'endpoint' }],
            components: [
                { name: 'server', source: ADDER, priority: 100, caps: [{ slot: 1, endpoint: 'adder', rights: 'r' }] },
                { name: 'client', source: CALL_ONCE, priority: 50, caps: [{ slot: 1, endpoint: 'adder', rights: 'w', badge: 9 }] }
            ]
        }, { personality: 'qnx' });
        expect(system.run().reason).toBe('idle');
        expect(ipcLines(system.events)).toEqual(['call client->server label=7 words=[5,100] badge=9', 'reply server->client label=0 words=[105,9] badge=0']);
        expect(system.events.flatMap(event => event.kind === 'ipc' ? [`${event.primitive} ${event.bytesCopied}`] : [])).toEqual(['MsgSend 8', 'MsgReply 8']);
        expect(system.reg('client', 'a2')).toBe(105);
        expect(system.reg('client', 'a3')).toBe(9);
        expect(system.kernel.personality.figures()).toEqual({ messages: 2, bytesCopied: 16, pulses: 0, priorityChanges: 2 });
    });

    it('never takes the seL4 fastpath', () => {
        const system = bootTest({
            objects: [{ name: 'adder', kind: 'endpoint' }],
            components: [
                { name: 'server', source: ADDER, priority: 100, caps: [{ slot: 1, endpoint: 'adder', rights: 'r' }] },
                { name: 'client', source: CALL_ONCE, priority: 50, caps: [{ slot: 1, endpoint: 'adder', rights: 'w' }] }
            ]
        }, { personality: 'qnx' });
        system.run();
        expect(system.kernel.fastpathEnabled).toBe(false);
        expect(system.events.some(event => event.kind === 'ipc' && event.fastpath)).toBe(false);
    });

    /** A server that answers one call with six words: 1..4 in registers, 5 and 6 in its IPC buffer. */
    const SIX_WORD_REPLIER = `
_start:
    li a0, 1
    li a7, RECV
    ecall
    li t0, ${IPC_BUFFER}
    li t1, 5
    sw t1, ${IPC_MSG + 16}(t0)
    li t1, 6
    sw t1, ${IPC_MSG + 20}(t0)
    li a1, ${messageInfo(0, 6)}
    li a2, 1
    li a3, 2
    li a4, 3
    li a5, 4
    li a7, REPLY
    ecall
    j park
`;

    /** A client that calls once, with or without an IPC buffer (TcbConfigure on itself, slot 2, buffer 0). */
    const sixWordCaller = (withBuffer: boolean) => `
_start:
${withBuffer ? '' : invoke(2, Invocation.TcbConfigure, [0, 0])}
    li a0, 1
    li a1, ${messageInfo(1, 1)}
    li a2, 7
    li a7, CALL
    ecall
    mv s0, a1
    li t0, ${IPC_BUFFER}
    lw s1, ${IPC_MSG + 16}(t0)
    lw s2, ${IPC_MSG + 20}(t0)
    j park
`;

    function replyTo(withBuffer: boolean) {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'server', source: SIX_WORD_REPLIER, priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }] },
                { name: 'client', source: sixWordCaller(withBuffer), priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }, { slot: 2, tcb: 'client' }] }
            ]
        }, { personality: 'qnx' });
        expect(system.run().reason).toBe('idle');
        return system;
    }

    it('copies a reply into the reply buffer the client gave when it sent: all six words with an IPC buffer', () => {
        const system = replyTo(true);
        expect(system.reg('client', 's0')).toBe(messageInfo(0, 6));
        expect([system.reg('client', 'a2'), system.reg('client', 'a5'), system.reg('client', 's1'), system.reg('client', 's2')]).toEqual([1, 4, 5, 6]);
        expect(system.events.flatMap(event => event.kind === 'ipc' && event.operation === 'reply' ? [event.bytesCopied] : [])).toEqual([24]);
    });

    it('cuts a reply longer than the reply buffer to it: four words for a client with no IPC buffer', () => {
        const system = replyTo(false);
        expect(system.reg('client', 's0')).toBe(messageInfo(0, 4));
        expect([system.reg('client', 'a2'), system.reg('client', 'a3'), system.reg('client', 'a4'), system.reg('client', 'a5')]).toEqual([1, 2, 3, 4]);
        expect(ipcLines(system.events)).toEqual(['call client->server label=1 words=[7] badge=0', 'reply server->client label=0 words=[1,2,3,4] badge=0']);
        expect(system.events.flatMap(event => event.kind === 'ipc' && event.operation === 'reply' ? [event.bytesCopied] : [])).toEqual([16]);
        expect(system.kernel.personality.figures().bytesCopied).toBe(4 + 16);
    });

    it('cuts a message longer than the receiver\'s buffer to it: a server with no IPC buffer receives four of six words', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                {
                    name: 'server', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, tcb: 'server' }],
                    source: `_start:\n${invoke(2, Invocation.TcbConfigure, [0, 0])}\n${syscall(-5, { a0: 1 })}\n    mv s0, a1\n    j park`
                },
                {
                    name: 'client', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }],
                    source: `_start:\n${syscall(-1, { a0: 1, a1: messageInfo(3, 6), mrs: [1, 2, 3, 4] })}\n    j park`
                }
            ]
        }, { personality: 'qnx' });
        system.run();
        expect(system.reg('server', 's0')).toBe(messageInfo(3, 4));
        expect(system.events.flatMap(event => event.kind === 'ipc' ? [event.bytesCopied] : [])).toEqual([16]);
    });
});

describe('QNX pulses', () => {
    /** Signals the same notification with badges 1 and 2, then parks; the waiter takes two words. */
    function twoSignals(personality: KernelPersonalityName) {
        const system = bootTest({
            objects: [{ name: 'n', kind: 'notification' }],
            components: [
                {
                    name: 'signaller', priority: 100, caps: [{ slot: 1, notification: 'n', rights: 'w', badge: 1 }, { slot: 2, notification: 'n', rights: 'w', badge: 2 }],
                    source: `_start:\n${syscall(-20, { a0: 1 })}\n${syscall(-20, { a0: 2 })}\n    j park`
                },
                {
                    name: 'waiter', priority: 50, caps: [{ slot: 1, notification: 'n', rights: 'r' }],
                    source: `_start:\n${syscall(-21, { a0: 1 })}\n    mv s0, a0\n${syscall(-22, { a0: 1 })}\n    mv s1, a0\n${syscall(-22, { a0: 1 })}\n    mv s2, a0\n    j park`
                }
            ]
        }, { personality });
        system.run();
        return [system.reg('waiter', 's0'), system.reg('waiter', 's1'), system.reg('waiter', 's2')];
    }

    it('queues each pulse and delivers them one by one, where seL4 ORs the signals into one word', () => {
        expect(twoSignals('qnx')).toEqual([1, 2, 0]);
        expect(twoSignals('sel4')).toEqual([3, 0, 0]);
    });

    it('names a signal MsgSendPulse in the trace and counts it', () => {
        const system = bootTest({
            objects: [{ name: 'n', kind: 'notification' }],
            components: [{ name: 'signaller', caps: [{ slot: 1, notification: 'n', rights: 'w', badge: 4 }], source: `_start:\n${syscall(-20, { a0: 1 })}\n    j park` }]
        }, { personality: 'qnx' });
        system.run();
        expect(system.events.filter(event => event.kind === 'signal')).toEqual([
            { kind: 'signal', cycle: expect.any(Number), from: 'signaller', notification: 'n', bits: 4, woke: undefined, primitive: 'MsgSendPulse' }
        ]);
        expect(system.kernel.personality.figures().pulses).toBe(1);
    });

    it('refuses a pulse beyond the 64 a notification holds with NotEnoughMemory (QNX: EAGAIN)', () => {
        const system = bootTest({
            objects: [{ name: 'n', kind: 'notification' }],
            components: [{
                name: 'signaller', caps: [{ slot: 1, notification: 'n', rights: 'w', badge: 1 }],
                source: `
_start:
    li s0, 65
    li s1, 0
again:
${syscall(-20, { a0: 1 })}
    beqz a6, sent
    mv s2, a6
    addi s1, s1, 1
sent:
    addi s0, s0, -1
    bnez s0, again
    j park`
            }]
        }, { personality: 'qnx' });
        system.run();
        expect([system.reg('signaller', 's1'), system.reg('signaller', 's2')]).toEqual([1, KernelError.NotEnoughMemory]);
    });

    it('ends the MsgReceive of the thread the notification is bound to, with the pulse\'s value', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'n', kind: 'notification' }],
            components: [
                {
                    name: 'server', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, tcb: 'server' }, { slot: 3, notification: 'n', rights: 'r' }],
                    source: `_start:\n${invoke(2, Invocation.TcbBindNotification, [3])}\n${syscall(-5, { a0: 1 })}\n    mv s0, a6\n    mv s1, a0\n    j park`
                },
                { name: 'signaller', priority: 50, caps: [{ slot: 1, notification: 'n', rights: 'w', badge: 0x40 }], source: `_start:\n${syscall(-20, { a0: 1 })}\n    j park` }
            ]
        }, { personality: 'qnx' });
        system.run();
        expect([system.reg('server', 's0'), system.reg('server', 's1')]).toEqual([RECEIVED_SIGNAL, 0x40]);
    });
});

describe('QNX priority inheritance', () => {
    /**
     * s (250, lowered to 10 by h) waits for a message; h (200) is woken by m (100) and calls s; s prints
     * S and replies, h prints H, m prints M. Under QNX s runs at h's priority while it serves h, so m waits;
     * under seL4 s keeps its own priority, and m runs before it (a priority inversion).
     */
    function inversion(personality: KernelPersonalityName) {
        return bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'go', kind: 'notification' }],
            components: [
                {
                    name: 's', priority: 250, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }],
                    source: `_start:\n${syscall(-5, { a0: 1 })}\n${syscall(-9, { a0: 83 })}\n${syscall(-6, { a1: messageInfo(0, 0) })}\n    j park`
                },
                {
                    name: 'h', priority: 200, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }, { slot: 2, notification: 'go', rights: 'r' }, { slot: 3, tcb: 's' }],
                    source: `_start:\n${syscall(-21, { a0: 2 })}\n${invoke(3, Invocation.TcbSetPriority, [10])}\n${syscall(-1, { a0: 1, a1: messageInfo(1, 0) })}\n${syscall(-9, { a0: 72 })}\n    j park`
                },
                {
                    name: 'm', priority: 100, caps: [{ slot: 1, notification: 'go', rights: 'w', badge: 1 }],
                    source: `_start:\n${syscall(-20, { a0: 1 })}\n${syscall(-9, { a0: 77 })}\n    j park`
                }
            ]
        }, { personality });
    }

    it('runs a server at the priority of the client it serves, ahead of a thread of a priority in between', () => {
        const system = inversion('qnx');
        system.run();
        expect(system.console()).toBe('SHM');
        expect(system.events.flatMap(event => event.kind === 'priority' ? [`${event.thread} ${event.priority} ${event.reason} ${event.from ?? ''}`] : []))
            .toEqual(['s 200 inherit h', 's 10 restore ']);
        expect(system.kernel.threads.find(thread => thread.name === 's')?.priority).toBe(10);
    });

    it('is what seL4 does not do: there the thread in between runs first', () => {
        const system = inversion('sel4');
        system.run();
        expect(system.console()).toBe('MSH');
    });

    /**
     * s (lowered to 10) is serving l (50) when it wakes m (100), which wakes h (200), which sends to s. Under
     * QNX h's send raises the busy s to 200 at once, so s finishes l's request and serves h before m and
     * l run again; under seL4 m runs first, and l's reply wakes l ahead of h's request.
     */
    function busyServer(personality: KernelPersonalityName) {
        return bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'mgo', kind: 'notification' }, { name: 'hgo', kind: 'notification' }],
            components: [
                {
                    name: 's', priority: 250, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, tcb: 's' }, { slot: 3, notification: 'mgo', rights: 'w', badge: 1 }],
                    source: `_start:\n${invoke(2, Invocation.TcbSetPriority, [10])}\n${syscall(-5, { a0: 1 })}\n${syscall(-20, { a0: 3 })}\n${syscall(-9, { a0: 83 })}\n`
                        + `${syscall(-2, { a0: 1, a1: messageInfo(0, 0) })}\n${syscall(-9, { a0: 84 })}\n${syscall(-6, { a1: messageInfo(0, 0) })}\n    j park`
                },
                { name: 'l', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }], source: `_start:\n${syscall(-1, { a0: 1, a1: messageInfo(1, 0) })}\n${syscall(-9, { a0: 76 })}\n    j park` },
                {
                    name: 'm', priority: 100, caps: [{ slot: 1, notification: 'mgo', rights: 'r' }, { slot: 2, notification: 'hgo', rights: 'w', badge: 1 }],
                    source: `_start:\n${syscall(-21, { a0: 1 })}\n${syscall(-20, { a0: 2 })}\n${syscall(-9, { a0: 77 })}\n    j park`
                },
                {
                    name: 'h', priority: 200, caps: [{ slot: 1, notification: 'hgo', rights: 'r' }, { slot: 2, endpoint: 'ep', rights: 'w' }],
                    source: `_start:\n${syscall(-21, { a0: 1 })}\n${syscall(-1, { a0: 2, a1: messageInfo(2, 0) })}\n${syscall(-9, { a0: 72 })}\n    j park`
                }
            ]
        }, { personality });
    }

    it('raises a busy server to the priority of a higher sender when it sends, before the server receives', () => {
        const system = busyServer('qnx');
        system.run();
        expect(system.console()).toBe('STHML');
        expect(system.events.flatMap(event => event.kind === 'priority' ? [`${event.thread} ${event.priority} ${event.reason} ${event.from ?? ''}`] : []))
            .toEqual(['s 50 inherit l', 's 200 inherit h', 's 10 restore ', 's 200 inherit h', 's 10 restore ']);
    });

    it('leaves the busy server at its own priority under seL4', () => {
        const system = busyServer('sel4');
        system.run();
        expect(system.console()).toBe('MSLTH');
    });
});
