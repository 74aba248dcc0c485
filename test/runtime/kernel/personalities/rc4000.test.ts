/**
 * The RC 4000 Nucleus personality (docs/ABI.md, "The RC 4000 Nucleus personality"): the neutral system
 * calls carried out as send message / wait message / send answer / wait answer through a fixed pool of
 * kernel message buffers — messages copied into a buffer and out of it, queued first in first out, one-way
 * messages that do not hold their sender, answers matched to their buffers, and a pool (and a per-thread
 * claim) whose exhaustion the sender sees as NotEnoughMemory.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_IPC_BUFFER_BASE, IPC_CAPS_OR_BADGES, Invocation, KernelError, messageInfo } from '../../../../runtime/contract/index.js';
import { ThreadState } from '../../../../runtime/kernel/index.js';
import type { Rc4000Personality } from '../../../../runtime/kernel/personalities/rc4000/rc4000-personality.js';
import { ADDER, bootTest, CALL_ONCE, invoke, ipcLines, type TestSystem } from '../harness.js';

/** Sends one-way messages with MR0 = 1, 2, ... on slot 1 until one is refused (or `count` went): s0 = how many went, s1 = the refusal. */
const sendMany = (count: number) => `
_start:
    li s0, 0
    li s1, 0
send:
    li t0, ${count}
    beq s0, t0, park
    li a0, 1
    li a1, ${messageInfo(2, 1)}
    addi a2, s0, 1
    li a7, SEND
    ecall
    bnez a6, refused
    addi s0, s0, 1
    j send
refused:
    mv s1, a6
    j park
`;

const pool = (system: TestSystem) => (system.kernel.personality as Rc4000Personality).state;

describe('RC 4000 message buffers', () => {
    it('copies a call into a buffer and out of it, answers in the same buffer, and names send message and send answer', () => {
        const system = bootTest({
            objects: [{ name: 'adder', kind: 'endpoint' }],
            components: [
                { name: 'server', source: ADDER, priority: 100, caps: [{ slot: 1, endpoint: 'adder', rights: 'r' }] },
                { name: 'client', source: CALL_ONCE, priority: 50, caps: [{ slot: 1, endpoint: 'adder', rights: 'w', badge: 9 }] }
            ]
        }, { personality: 'rc4000' });
        expect(system.run().reason).toBe('idle');
        expect(ipcLines(system.events)).toEqual(['call client->server label=7 words=[5,100] badge=9', 'reply server->client label=0 words=[105,9] badge=0']);
        // Two words in and two out, each way.
        expect(system.events.flatMap(event => event.kind === 'ipc' ? [`${event.primitive} ${event.bytesCopied}`] : [])).toEqual(['send message 16', 'send answer 16']);
        expect(system.reg('client', 'a2')).toBe(105);
        expect(system.kernel.fastpathEnabled).toBe(false);
        expect(system.kernel.personality.figures()).toEqual({ messages: 2, bytesCopied: 32, pulses: 0, priorityChanges: 0, messageBuffers: { peak: 1, pool: 32 } });
        expect(pool(system).inUse.size).toBe(0);
    });

    it('queues one-way messages first in first out without holding their sender, and frees each buffer when it is taken', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'producer', source: sendMany(3), priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] },
                {
                    name: 'consumer', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }],
                    source: `_start:\n${[1, 2, 3].map(i => `    li a0, 1\n    li a7, RECV\n    ecall\n    mv s${i}, a2`).join('\n')}\n    j park`
                }
            ]
        }, { personality: 'rc4000' });
        expect(system.run().reason).toBe('idle');
        expect([system.reg('producer', 's0'), system.reg('producer', 's1')]).toEqual([3, 0]);
        expect([system.reg('consumer', 's1'), system.reg('consumer', 's2'), system.reg('consumer', 's3')]).toEqual([1, 2, 3]);
        expect(ipcLines(system.events)).toEqual([
            'send producer->consumer label=2 words=[1] badge=0',
            'send producer->consumer label=2 words=[2] badge=0',
            'send producer->consumer label=2 words=[3] badge=0'
        ]);
        // The producer (of the higher priority) sent all three before the consumer took one: three buffers at once.
        expect(system.kernel.personality.figures().messageBuffers).toEqual({ peak: 3, pool: 32 });
        expect(pool(system).inUse.size).toBe(0);
    });

    it('refuses a message when the pool is empty: the sender sees NotEnoughMemory from send message, and the refusal is counted', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'flood', source: sendMany(3), priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] },
                { name: 'late', source: sendMany(1), priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] }
            ]
        }, { personality: 'rc4000', personalitySettings: { messageBuffers: 2 } });
        expect(system.run().reason).toBe('idle');
        expect([system.reg('flood', 's0'), system.reg('flood', 's1')]).toEqual([2, KernelError.NotEnoughMemory]);
        expect([system.reg('late', 's0'), system.reg('late', 's1')]).toEqual([0, KernelError.NotEnoughMemory]);
        // The error names the message refused, so that figures charge the refusal to its method.
        expect(system.events.filter(event => event.kind === 'syscall-error')).toEqual(['flood', 'late'].map(thread => (
            { kind: 'syscall-error', cycle: expect.any(Number), thread, syscall: 'send message', error: 'NotEnoughMemory', endpoint: 'ep', label: 2 }
        )));
        expect(system.kernel.personality.figures().messageBuffers).toEqual({ peak: 2, pool: 2 });
        expect(system.kernel.personality.notableEvents?.()).toEqual([
            { kind: 'message-buffers', count: 2, what: 'of 2 message buffers in use at peak' },
            { kind: 'pool-exhausted', count: 2, what: 'sends refused (every message buffer in use)' }
        ]);
    });

    it('refuses a Call the same way, leaving the caller running with the error in a6', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'filler', source: sendMany(1), priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] },
                { name: 'caller', source: `${CALL_ONCE.replace('j park', 'mv s0, a6\n    j park')}`, priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] }
            ]
        }, { personality: 'rc4000', personalitySettings: { messageBuffers: 1 } });
        expect(system.run().reason).toBe('idle');
        expect(system.reg('caller', 's0')).toBe(KernelError.NotEnoughMemory);
        // Not waiting for an answer: parked, past the refused call.
        expect(system.threads.get('caller')?.state).toBe(ThreadState.BlockedOnNotification);
    });

    it('holds a thread to its claim of 8 buffers while the pool still has others for everyone else', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'flood', source: sendMany(9), priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] },
                { name: 'other', source: sendMany(1), priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] }
            ]
        }, { personality: 'rc4000' });
        expect(system.run().reason).toBe('idle');
        expect([system.reg('flood', 's0'), system.reg('flood', 's1')]).toEqual([8, KernelError.NotEnoughMemory]);
        expect([system.reg('other', 's0'), system.reg('other', 's1')]).toEqual([1, 0]);
        expect(system.kernel.personality.figures().messageBuffers).toEqual({ peak: 9, pool: 32 });
        // Refused by the claim, not by the pool: counted apart.
        expect(system.kernel.personality.notableEvents?.()).toEqual([
            { kind: 'message-buffers', count: 9, what: 'of 32 message buffers in use at peak' },
            { kind: 'buffer-claim', count: 1, what: 'send refused (its sender held its claim of 8 buffers)' }
        ]);
    });

    it('matches each answer to its own buffer with several calls outstanding, answered in reverse order', () => {
        // The server takes three calls, saving the right to answer each (CNodeSaveCaller into slots 20..22),
        // then answers the last first: each client must get 100 times its own request.
        const take = (i: number) => `    li a0, 1\n    li a7, RECV\n    ecall\n    mv s${i}, a2\n${invoke(3, Invocation.CNodeSaveCaller, [19 + i])}`;
        const answer = (i: number) => `    li t0, 100\n    mul a2, s${i}, t0\n    li a0, ${19 + i}\n    li a1, ${messageInfo(0, 1)}\n    li a7, SEND\n    ecall`;
        const client = (request: number) => `_start:\n    li a0, 1\n    li a1, ${messageInfo(1, 1)}\n    li a2, ${request}\n    li a7, CALL\n    ecall\n    mv s0, a2\n    j park`;
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'server', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 3, cnode: 'server' }], source: `_start:\n${[1, 2, 3].map(take).join('\n')}\n${[3, 2, 1].map(answer).join('\n')}\n    j park` },
                { name: 'c1', source: client(1), priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] },
                { name: 'c2', source: client(2), priority: 90, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] },
                { name: 'c3', source: client(3), priority: 80, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] }
            ]
        }, { personality: 'rc4000' });
        expect(system.run().reason).toBe('idle');
        expect([system.reg('c1', 's0'), system.reg('c2', 's0'), system.reg('c3', 's0')]).toEqual([100, 200, 300]);
        expect(ipcLines(system.events).filter(line => line.startsWith('reply'))).toEqual([
            'reply server->c3 label=0 words=[300] badge=0',
            'reply server->c2 label=0 words=[200] badge=0',
            'reply server->c1 label=0 words=[100] badge=0'
        ]);
        expect(system.kernel.personality.figures().messageBuffers).toEqual({ peak: 3, pool: 32 });
        expect(pool(system).inUse.size).toBe(0);
    });

    it('holds the sender of a one-way message with a capability until it is taken, and lets one of words alone go on', () => {
        // Nobody receives: the plain sender runs on to park; the one giving a capability waits for its message to be taken.
        const withCap = `_start:\n    li t0, ${DEFAULT_IPC_BUFFER_BASE}\n    li t1, 2\n    sw t1, ${IPC_CAPS_OR_BADGES}(t0)\n    li a0, 1\n    li a1, ${messageInfo(3, 0, 1)}\n    li a7, SEND\n    ecall\n    j park`;
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'n', kind: 'notification' }],
            components: [
                { name: 'plain', source: sendMany(1), caps: [{ slot: 1, endpoint: 'ep', rights: 'wg' }] },
                { name: 'giver', source: withCap, caps: [{ slot: 1, endpoint: 'ep', rights: 'wg' }, { slot: 2, notification: 'n', rights: 'w' }] }
            ]
        }, { personality: 'rc4000' });
        expect(system.run().reason).toBe('idle');
        expect(system.threads.get('plain')?.state).toBe(ThreadState.BlockedOnNotification);
        expect(system.threads.get('giver')?.state).toBe(ThreadState.BlockedOnReply);
        expect(pool(system).inUse.size).toBe(2);
    });

    it('returns the buffer of a call whose server stopped serving it (the ServerFailed answer) to the pool', () => {
        // A pool of one: the client's second call gets the buffer back only if the first one's was reclaimed.
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                {
                    name: 'server', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, tcb: 'server' }],
                    source: `_start:\n    li a0, 1\n    li a7, RECV\n    ecall\n${invoke(2, Invocation.TcbSuspend)}`
                },
                {
                    name: 'client', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }],
                    source: `_start:\n    li a0, 1\n    li a1, ${messageInfo(1, 0)}\n    li a7, CALL\n    ecall\n    srli s0, a1, 12\n    li a0, 1\n    li a1, ${messageInfo(1, 0)}\n    li a7, SEND\n    ecall\n    mv s1, a6\n    j park`
                }
            ]
        }, { personality: 'rc4000', personalitySettings: { messageBuffers: 1 } });
        expect(system.run().reason).toBe('idle');
        expect(system.reg('client', 's0')).toBe(0xffffd);
        expect(system.reg('client', 's1')).toBe(KernelError.NoError);
    });
});
