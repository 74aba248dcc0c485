/**
 * The Mach personality (docs/ABI.md, "The Mach personality"): ports as kernel message queues with a queue
 * limit, asynchronous one-way sends, RPC on a send-once reply right, port-set receive of a port and a bound
 * notification, and out-of-line pages sent copy-on-write — each checked against what seL4 does with the
 * same program where the two differ.
 */
import { describe, expect, it } from 'vitest';
import {
    CAP_GRANT_FLAG, DEFAULT_IPC_BUFFER_BASE, IPC_CAPS_OR_BADGES, IPC_RECEIVE_INDEX, Invocation, KernelError, MapPermission, RECEIVED_SIGNAL,
    Syscall, WOULD_BLOCK, messageInfo
} from '../../../../runtime/contract/index.js';
import { ThreadState, type KernelPersonalityName } from '../../../../runtime/kernel/index.js';
import { MachPersonality } from '../../../../runtime/kernel/personalities/mach/mach-personality.js';
import { MACH_PORT_QLIMIT_DEFAULT } from '../../../../runtime/kernel/personalities/mach/mach-state.js';
import { ADDER, bootTest, CALL_ONCE, invoke, ipcLines, syscall } from '../harness.js';

const IPC_BUFFER = DEFAULT_IPC_BUFFER_BASE;
const RW = MapPermission.Read | MapPermission.Write;

/** A server that receives forever and prints each message's MR0 as a digit. */
const DIGIT_PRINTER = `
_start:
loop:
${syscall(Syscall.Recv, { a0: 1 })}
    addi a0, a2, 48
    li a7, PUTCHAR
    ecall
    j loop
`;

describe('Mach RPC', () => {
    it('sends a call to the port and the reply on a send-once right, names both mach_msg, and counts each word copied in and out', () => {
        const system = bootTest({
            objects: [{ name: 'adder', kind: 'endpoint' }],
            components: [
                { name: 'server', source: ADDER, priority: 100, caps: [{ slot: 1, endpoint: 'adder', rights: 'r' }] },
                { name: 'client', source: CALL_ONCE, priority: 50, caps: [{ slot: 1, endpoint: 'adder', rights: 'w', badge: 9 }] }
            ]
        }, { personality: 'mach' });
        expect(system.run().reason).toBe('idle');
        expect(ipcLines(system.events)).toEqual(['call client->server label=7 words=[5,100] badge=9', 'reply server->client label=0 words=[105,9] badge=0']);
        expect(system.events.flatMap(event => event.kind === 'ipc' ? [`${event.primitive} ${event.bytesCopied}`] : [])).toEqual(['mach_msg RPC 16', 'mach_msg reply 16']);
        expect([system.reg('client', 'a2'), system.reg('client', 'a3')]).toEqual([105, 9]);
        expect(system.kernel.personality.figures()).toEqual({ messages: 2, bytesCopied: 32, pulses: 0, priorityChanges: 0 });
        expect(system.kernel.fastpathEnabled).toBe(false);
    });

    /** The server receives one call and replies to it twice; the client calls once. */
    function replyTwice(personality: KernelPersonalityName) {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                {
                    name: 'server', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }],
                    source: `_start:\n${syscall(Syscall.Recv, { a0: 1 })}\n${syscall(Syscall.Reply, { a1: messageInfo(0, 0) })}\n    mv s0, a6\n${syscall(Syscall.Reply, { a1: messageInfo(0, 0) })}\n    mv s1, a6\n    j park`
                },
                { name: 'client', source: CALL_ONCE, priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] }
            ]
        }, { personality });
        system.run();
        return [system.reg('server', 's0'), system.reg('server', 's1')];
    }

    it('spends the send-once right on the first reply: a second reply is refused (MACH_SEND_INVALID_DEST)', () => {
        expect(replyTwice('mach')).toEqual([KernelError.NoError, KernelError.InvalidCapability]);
    });

    it('is what seL4 does not do: there a reply with nothing to answer does nothing and succeeds', () => {
        expect(replyTwice('sel4')).toEqual([KernelError.NoError, KernelError.NoError]);
    });

    /** The server saves its caller's reply right, suspends the caller, then answers through the saved right. */
    function replyToTheDead(personality: KernelPersonalityName) {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                {
                    name: 'server', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 6, cnode: 'server' }, { slot: 7, tcb: 'client' }],
                    source: `_start:
${syscall(Syscall.Recv, { a0: 1 })}
${invoke(6, Invocation.CNodeSaveCaller, [20])}
${invoke(7, Invocation.TcbSuspend)}
${syscall(Syscall.Send, { a0: 20, a1: messageInfo(0, 0) })}
    mv s0, a6
    j park`
                },
                { name: 'client', source: CALL_ONCE, priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] }
            ]
        }, { personality });
        system.run();
        return { status: system.reg('server', 's0'), slotEmpty: system.components.get('server')?.cnode.slots[20].isEmpty };
    }

    it('refuses a reply on a send-once right whose caller stopped waiting, and the right is spent', () => {
        expect(replyToTheDead('mach')).toEqual({ status: KernelError.InvalidCapability, slotEmpty: true });
        expect(replyToTheDead('sel4')).toEqual({ status: KernelError.NoError, slotEmpty: true });
    });
});

describe('Mach port queues', () => {
    /** The client (above the server) sends six one-way messages 1..6 with NBSend, then 7 with a blocking Send. */
    function burst(personality: KernelPersonalityName) {
        const sends = [1, 2, 3, 4, 5, 6].map(digit => `${syscall(Syscall.NBSend, { a0: 1, a1: messageInfo(0, 1), mrs: [digit] })}\n    mv s${digit}, a6`).join('\n');
        const system = bootTest({
            objects: [{ name: 'port', kind: 'endpoint' }],
            components: [
                { name: 'server', source: DIGIT_PRINTER, priority: 50, caps: [{ slot: 1, endpoint: 'port', rights: 'r' }] },
                {
                    name: 'client', priority: 100, caps: [{ slot: 1, endpoint: 'port', rights: 'w' }],
                    source: `_start:\n${sends}\n${syscall(Syscall.Send, { a0: 1, a1: messageInfo(0, 1), mrs: [7] })}\n    mv s7, a6\n    j park`
                }
            ]
        }, { personality });
        expect(system.run().reason).toBe('idle');
        return system;
    }

    it('queues one-way messages in the kernel up to the queue limit; NBSend to a full queue fails; a blocking send waits for room', () => {
        const system = burst('mach');
        expect(MACH_PORT_QLIMIT_DEFAULT).toBe(5);
        expect(['s1', 's2', 's3', 's4', 's5', 's6', 's7'].map(reg => system.reg('client', reg))).toEqual([0, 0, 0, 0, 0, WOULD_BLOCK, 0]);
        // 6 was refused; 7 waited until the server took 1, then went into the queue behind 5.
        expect(system.console()).toBe('123457');
        expect(system.events.flatMap(event => event.kind === 'ipc' ? [event.primitive] : [])).toEqual(Array(6).fill('mach_msg send'));
    });

    it('blocks the sender while the queue is full, and lets it in when a receive makes room', () => {
        const system = bootTest({
            objects: [{ name: 'port', kind: 'endpoint' }],
            components: [
                { name: 'server', source: `_start:\n    j park`, priority: 50, caps: [{ slot: 1, endpoint: 'port', rights: 'r' }] },
                {
                    name: 'client', priority: 100, caps: [{ slot: 1, endpoint: 'port', rights: 'w' }],
                    source: `_start:\n${[1, 2, 3, 4, 5, 6].map(digit => syscall(Syscall.Send, { a0: 1, a1: messageInfo(0, 1), mrs: [digit] })).join('\n')}\n    j park`
                }
            ]
        }, { personality: 'mach' });
        expect(system.run().reason).toBe('idle');
        const client = system.threads.get('client');
        expect(client?.state).toBe(ThreadState.BlockedOnSend);
        expect(client?.blockedOn?.constructor.name).toBe('Endpoint');
    });

    it('makes an RPC to a full queue wait for room, then for its reply', () => {
        const sends = [1, 2, 3, 4, 5].map(digit => syscall(Syscall.NBSend, { a0: 1, a1: messageInfo(0, 1), mrs: [digit] })).join('\n');
        const system = bootTest({
            objects: [{ name: 'port', kind: 'endpoint' }],
            components: [
                {
                    name: 'server', priority: 50, caps: [{ slot: 1, endpoint: 'port', rights: 'r' }],
                    // Prints each message's MR0; ReplyRecv answers the RPC it holds (and only receives after a one-way message).
                    source: `_start:\n${syscall(Syscall.Recv, { a0: 1 })}\nloop:\n    addi a0, a2, 48\n    li a7, PUTCHAR\n    ecall\n${syscall(Syscall.ReplyRecv, { a0: 1, a1: messageInfo(0, 1), mrs: [42] })}\n    j loop`
                },
                {
                    name: 'client', priority: 100, caps: [{ slot: 1, endpoint: 'port', rights: 'w' }],
                    source: `_start:\n${sends}\n${syscall(Syscall.Call, { a0: 1, a1: messageInfo(0, 1), mrs: [6] })}\n    mv s0, a6\n    mv s1, a2\n    j park`
                }
            ]
        }, { personality: 'mach' });
        expect(system.run().reason).toBe('idle');
        expect(system.console()).toBe('123456');
        expect([system.reg('client', 's0'), system.reg('client', 's1')]).toEqual([KernelError.NoError, 42]);
        expect(ipcLines(system.events).slice(-2)).toEqual(['call client->server label=0 words=[6] badge=0', 'reply server->client label=0 words=[42] badge=0']);
    });

    it('discards a queued RPC whose caller stopped waiting (suspended: it will call again when resumed)', () => {
        const system = bootTest({
            objects: [{ name: 'port', kind: 'endpoint' }],
            components: [
                { name: 'server', priority: 50, caps: [{ slot: 1, endpoint: 'port', rights: 'r' }], source: `_start:\n${syscall(Syscall.Recv, { a0: 1 })}\n    mv s1, a2\n    j park` },
                { name: 'client', priority: 100, caps: [{ slot: 1, endpoint: 'port', rights: 'w' }], source: `_start:\n${syscall(Syscall.Call, { a0: 1, a1: messageInfo(0, 1), mrs: [1] })}\n    j park` },
                {
                    name: 'other', priority: 80, caps: [{ slot: 1, endpoint: 'port', rights: 'w' }, { slot: 2, tcb: 'client' }],
                    source: `_start:\n${invoke(2, Invocation.TcbSuspend)}\n${syscall(Syscall.NBSend, { a0: 1, a1: messageInfo(0, 1), mrs: [2] })}\n    j park`
                }
            ]
        }, { personality: 'mach' });
        expect(system.run().reason).toBe('idle');
        expect(system.reg('server', 's1')).toBe(2);
        expect(ipcLines(system.events)).toEqual(['send other->server label=0 words=[2] badge=0']);
        expect(system.threads.get('client')?.state).toBe(ThreadState.Inactive);
    });

    it('is what seL4 does not do: there NBSend finds no receiver and drops every message, and Send waits for one', () => {
        const system = burst('sel4');
        expect(['s1', 's2', 's3', 's4', 's5', 's6', 's7'].map(reg => system.reg('client', reg))).toEqual([65, 65, 65, 65, 65, 65, 0]);
        expect(system.console()).toBe('7');
    });
});

describe('Mach port sets', () => {
    /** The client queues a message (MR0 7) and signals the server's bound notification; the server then receives twice. */
    function portSet(personality: KernelPersonalityName) {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'n', kind: 'notification' }],
            components: [
                {
                    name: 'server', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, tcb: 'server' }, { slot: 3, notification: 'n', rights: 'r' }],
                    source: `_start:
${invoke(2, Invocation.TcbBindNotification, [3])}
${syscall(Syscall.Recv, { a0: 1 })}
    mv s0, a6
    mv s1, a0
${syscall(Syscall.Recv, { a0: 1 })}
    mv s2, a6
    mv s3, a2
    j park`
                },
                {
                    name: 'client', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }, { slot: 2, notification: 'n', rights: 'w', badge: 0x40 }],
                    source: `_start:\n${syscall(Syscall.NBSend, { a0: 1, a1: messageInfo(0, 1), mrs: [7] })}\n${syscall(Syscall.Signal, { a0: 2 })}\n${syscall(Syscall.Signal, { a0: 2 })}\n    j park`
                }
            ]
        }, { personality });
        system.run();
        return ['s0', 's1', 's2', 's3'].map(reg => system.reg('server', reg));
    }

    it('receives from the port set of its port and its bound notification: the notification message first, then the queued message', () => {
        const system = portSet('mach');
        expect(system).toEqual([RECEIVED_SIGNAL, 0x40, KernelError.NoError, 7]);
    });

    it('ends a receive blocked on the port with a notification message', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'n', kind: 'notification' }],
            components: [
                {
                    name: 'server', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, tcb: 'server' }, { slot: 3, notification: 'n', rights: 'r' }],
                    source: `_start:\n${invoke(2, Invocation.TcbBindNotification, [3])}\n${syscall(Syscall.Recv, { a0: 1 })}\n    mv s0, a6\n    mv s1, a0\n    j park`
                },
                { name: 'signaller', priority: 50, caps: [{ slot: 1, notification: 'n', rights: 'w', badge: 0x8 }], source: `_start:\n${syscall(Syscall.Signal, { a0: 1 })}\n    j park` }
            ]
        }, { personality: 'mach' });
        system.run();
        expect([system.reg('server', 's0'), system.reg('server', 's1')]).toEqual([RECEIVED_SIGNAL, 0x8]);
        expect(system.events.flatMap(event => event.kind === 'signal' ? [`${event.primitive} ${event.notification} ${event.woke}`] : [])).toEqual(['mach_msg notify n server']);
        expect(system.kernel.personality.figures().pulses).toBe(1);
    });

    it('merges notification messages that arrive while one is pending (two Signals, one receive of both bits)', () => {
        const system = bootTest({
            objects: [{ name: 'n', kind: 'notification' }],
            components: [
                { name: 'waiter', priority: 50, caps: [{ slot: 1, notification: 'n', rights: 'r' }], source: `_start:\n${syscall(Syscall.Wait, { a0: 1 })}\n    mv s0, a0\n${syscall(Syscall.Poll, { a0: 1 })}\n    mv s1, a0\n    j park` },
                {
                    name: 'signaller', priority: 100, caps: [{ slot: 1, notification: 'n', rights: 'w', badge: 1 }, { slot: 2, notification: 'n', rights: 'w', badge: 4 }],
                    source: `_start:\n${syscall(Syscall.Signal, { a0: 1 })}\n${syscall(Syscall.Signal, { a0: 2 })}\n    j park`
                }
            ]
        }, { personality: 'mach' });
        system.run();
        expect([system.reg('waiter', 's0'), system.reg('waiter', 's1')]).toEqual([5, 0]);
    });
});

describe('Mach out-of-line memory', () => {
    /**
     * The client (above the server) writes 0x1234 into its page, sends the page in a one-way message, then
     * writes 0x5678 into it; the server maps the page it received and reads it.
     */
    function afterTheSend(personality: KernelPersonalityName, grant = false) {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                {
                    name: 'server', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 5, vspace: 'server' }],
                    source: `_start:
    li t0, ${IPC_BUFFER}
    li t1, 20
    sw t1, ${IPC_RECEIVE_INDEX}(t0)
${syscall(Syscall.Recv, { a0: 1 })}
    mv s0, a1
${invoke(20, Invocation.FrameMap, [5, 0x6000_0000, RW])}
    mv s1, a6
    li t0, 0x60000000
    lw s2, 0(t0)
    j park`
                },
                {
                    name: 'client', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'wg' }, { slot: 4, frame: {} }, { slot: 5, vspace: 'client' }],
                    source: `_start:
${invoke(4, Invocation.FrameMap, [5, 0x5000_0000, RW])}
    li t0, 0x50000000
    li t1, 0x1234
    sw t1, 0(t0)
    li t0, ${IPC_BUFFER}
    li t1, ${grant ? (4 | CAP_GRANT_FLAG) >>> 0 : 4}
    sw t1, ${IPC_CAPS_OR_BADGES}(t0)
${syscall(Syscall.Send, { a0: 1, a1: messageInfo(1, 0, 1) })}
    mv s0, a6
    li t0, 0x50000000
    li t1, 0x5678
    sw t1, 0(t0)
    lw s1, 0(t0)
    j park`
                }
            ]
        }, { personality });
        expect(system.run().reason).toBe('idle');
        return system;
    }

    it('sends a page copy-on-write: the sender\'s write after the send is not seen by the receiver', () => {
        const system = afterTheSend('mach');
        expect([system.reg('client', 's0'), system.reg('client', 's1')]).toEqual([KernelError.NoError, 0x5678]);
        expect([system.reg('server', 's0'), system.reg('server', 's1'), system.reg('server', 's2')]).toEqual([messageInfo(1, 0, 1), KernelError.NoError, 0x1234]);
        const personality = system.kernel.personality;
        expect(personality instanceof MachPersonality ? personality.state.outOfLinePages : undefined).toBe(1);
    });

    it('is what seL4 does not do: there the page is shared, and the receiver sees the later write', () => {
        const system = afterTheSend('sel4');
        expect(system.reg('server', 's2')).toBe(0x5678);
    });

    it('moves a page given away (CAP_GRANT_FLAG) at the send: it leaves the sender, and the receiver gets the page itself', () => {
        const system = afterTheSend('mach', true);
        expect(system.components.get('client')?.cnode.slots[4].isEmpty).toBe(true);
        // The sender's store after the send faulted (its page was unmapped at the send), so the receiver reads what was sent.
        expect(system.reg('server', 's2')).toBe(0x1234);
        expect(system.events.some(event => event.kind === 'fault' && event.thread === 'client')).toBe(true);
    });
});

describe('Mach rights in transit', () => {
    /**
     * The client (above the server, which is not receiving yet) holds the notification `n` in slot 5, copies
     * it to slot 4, sends slot 4's right in a one-way message — queued at the port — and then does `after`
     * to its CNode (slot 3); s0 is the revoke's count, if any. The server then receives from index 20: s0 is
     * the message info, s1 what its slot 20 holds (a Poll on it: FailedLookup when empty).
     */
    function revokedInTransit(after: string) {
        return bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'n', kind: 'notification' }],
            components: [
                {
                    name: 'server', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }],
                    source: `_start:
    li t0, ${IPC_BUFFER}
    li t1, 20
    sw t1, ${IPC_RECEIVE_INDEX}(t0)
${syscall(Syscall.Recv, { a0: 1 })}
    mv s0, a1
${syscall(Syscall.Poll, { a0: 20 })}
    mv s1, a6
    j park`
                },
                {
                    name: 'client', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'wg' }, { slot: 3, cnode: 'client' }, { slot: 5, notification: 'n', rights: 'rw' }],
                    source: `_start:
${invoke(3, Invocation.CNodeCopy, [4, 5, 7])}
    li t0, ${IPC_BUFFER}
    li t1, 4
    sw t1, ${IPC_CAPS_OR_BADGES}(t0)
${syscall(Syscall.Send, { a0: 1, a1: messageInfo(1, 0, 1) })}
${after}
    j park`
                }
            ]
        }, { personality: 'mach' });
    }

    it('delivers a right nobody revoked: the receiver holds it', () => {
        const system = revokedInTransit('');
        expect(system.run().reason).toBe('idle');
        expect([system.reg('server', 's0'), system.reg('server', 's1')]).toEqual([messageInfo(1, 0, 1), KernelError.NoError]);
        // It hangs from the sender's copy, as a right received from a rendezvous does.
        const server = system.components.get('server');
        expect(server?.cnode.slots[20].parent).toBe(system.components.get('client')?.cnode.slots[4]);
    });

    it('takes back a right queued in a message when the capability it was copied from is revoked', () => {
        const system = revokedInTransit(`${invoke(3, Invocation.CNodeRevoke, [4])}\n    mv s0, a2`);
        expect(system.run().reason).toBe('idle');
        // The revoke deleted one capability, the one in the queue; the message arrives without it.
        expect(system.reg('client', 's0')).toBe(1);
        expect([system.reg('server', 's0'), system.reg('server', 's1')]).toEqual([messageInfo(1, 0, 0), KernelError.FailedLookup]);
        expect(system.components.get('server')?.cnode.slots[20].isEmpty).toBe(true);
    });

    it('takes it back when the copy it came from was deleted and the original is revoked', () => {
        const system = revokedInTransit(`${invoke(3, Invocation.CNodeDelete, [4])}\n${invoke(3, Invocation.CNodeRevoke, [5])}\n    mv s0, a2`);
        expect(system.run().reason).toBe('idle');
        // Deleting the copy left the right in the queue under the original, whose revoke reached it.
        expect(system.reg('client', 's0')).toBe(1);
        expect([system.reg('server', 's0'), system.reg('server', 's1')]).toEqual([messageInfo(1, 0, 0), KernelError.FailedLookup]);
    });
});
