import { describe, expect, it } from 'vitest';
import { KernelError, Syscall, WOULD_BLOCK, messageInfo } from '../../../runtime/contract/index.js';
import { ADDER, bootTest, ipcLines, syscall } from './harness.js';

function clientCalling(times: number): string {
    return `
_start:
    li s0, ${times}
    li s1, 0
again:
    li a0, 1
    li a1, ${messageInfo(7, 2)}
    mv a2, s1
    li a3, 100
    li a7, CALL
    ecall
    mv s1, a2
    addi s0, s0, -1
    bnez s0, again
    j park
`;
}

describe('Call and ReplyRecv', () => {
    it('delivers the message, the badge and the reply, on the fastpath', () => {
        const system = bootTest({
            objects: [{ name: 'adder', kind: 'endpoint' }],
            components: [
                { name: 'server', source: ADDER, priority: 100, caps: [{ slot: 1, endpoint: 'adder', rights: 'r' }] },
                { name: 'client', source: clientCalling(3), priority: 50, caps: [{ slot: 1, endpoint: 'adder', rights: 'w', badge: 9 }] }
            ]
        });
        const result = system.run();
        expect(result.reason).toBe('idle');
        expect(system.reg('client', 's1')).toBe(300);
        expect(system.reg('client', 'a3')).toBe(9);
        expect(system.reg('client', 'a6')).toBe(KernelError.NoError);
        expect(ipcLines(system.events)).toEqual([
            'call client->server label=7 words=[0,100] badge=9 fast',
            'reply server->client label=0 words=[100,9] badge=0 fast',
            'call client->server label=7 words=[100,100] badge=9 fast',
            'reply server->client label=0 words=[200,9] badge=0 fast',
            'call client->server label=7 words=[200,100] badge=9 fast',
            'reply server->client label=0 words=[300,9] badge=0 fast'
        ]);
    });

    it('takes the general path when the receiver is not waiting yet, with the same result', () => {
        // The client outranks the server, so its first Call finds nobody waiting and queues; after that
        // the server is always waiting in ReplyRecv and the fastpath applies.
        const system = bootTest({
            objects: [{ name: 'adder', kind: 'endpoint' }],
            components: [
                { name: 'server', source: ADDER, priority: 50, caps: [{ slot: 1, endpoint: 'adder', rights: 'r' }] },
                { name: 'client', source: clientCalling(2), priority: 100, caps: [{ slot: 1, endpoint: 'adder', rights: 'w', badge: 4 }] }
            ]
        });
        system.run();
        expect(system.reg('client', 's1')).toBe(200);
        expect(ipcLines(system.events)).toEqual([
            'call client->server label=7 words=[0,100] badge=4',
            'reply server->client label=0 words=[100,4] badge=0 fast',
            'call client->server label=7 words=[100,100] badge=4 fast',
            'reply server->client label=0 words=[200,4] badge=0 fast'
        ]);
    });

    it('refuses a Call without the write right, on an empty slot, outside the CNode, on slot 0 or a negative cptr, and on a notification', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'n', kind: 'notification' }],
            components: [{
                name: 'client', caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, notification: 'n' }],
                source: `
_start:
    li a0, 1
    li a1, 0
    li a7, CALL
    ecall
    mv s1, a6
    li a0, 7
    li a7, CALL
    ecall
    mv s2, a6
    li a0, 2
    li a7, CALL
    ecall
    mv s3, a6
    li a0, 100000
    li a7, CALL
    ecall
    mv s4, a6
    li a0, 0
    li a7, CALL
    ecall
    mv s5, a6
    li a0, -1
    li a7, CALL
    ecall
    mv s6, a6
    j park
`
            }]
        });
        system.run();
        expect(system.reg('client', 's1')).toBe(KernelError.InvalidCapability);
        expect(system.reg('client', 's2')).toBe(KernelError.FailedLookup);
        expect(system.reg('client', 's3')).toBe(KernelError.InvalidCapability);
        expect(system.reg('client', 's4')).toBe(KernelError.FailedLookup);
        expect(system.reg('client', 's5')).toBe(KernelError.FailedLookup);
        expect(system.reg('client', 's6')).toBe(KernelError.FailedLookup);
        expect(system.events.filter(event => event.kind === 'syscall-error').map(event => event.kind === 'syscall-error' && event.error))
            .toEqual(['InvalidCapability', 'FailedLookup', 'InvalidCapability', 'FailedLookup', 'FailedLookup', 'FailedLookup']);
    });

    it('NBRecv takes a waiting message', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'sender', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'w', badge: 3 }], source: `
_start:
${syscall(Syscall.Send, { a0: 1, a1: messageInfo(4, 1), mrs: [8] })}
    j park
` },
                { name: 'poller', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }], source: `
_start:
${syscall(Syscall.NBRecv, { a0: 1 })}
    mv s1, a6
    mv s2, a0
    mv s3, a2
    j park
` }
            ]
        });
        system.run();
        expect(['s1', 's2', 's3'].map(reg => system.reg('poller', reg))).toEqual([KernelError.NoError, 3, 8]);
    });

    it('NBSend and NBRecv say when nobody is there', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [{
                name: 'solo', caps: [{ slot: 1, endpoint: 'ep' }],
                source: `
_start:
    li a0, 1
    li a1, 0
    li a7, NB_SEND
    ecall
    mv s1, a6
    li a0, 1
    li a7, NB_RECV
    ecall
    mv s2, a6
    j park
`
            }]
        });
        system.run();
        expect(system.reg('solo', 's1')).toBe(WOULD_BLOCK);
        expect(system.reg('solo', 's2')).toBe(WOULD_BLOCK);
    });
});

describe('long messages', () => {
    const BUFFER = 0x7000_0000;
    /** Sends `length` words: MR i = 1000 + i (MR0..3 in registers, the rest in the IPC buffer). */
    function sender(length: number, fillBuffer: boolean): string {
        const stores = Array.from({ length: fillBuffer ? Math.max(0, length - 4) : 0 }, (_, j) => `    li t1, ${1004 + j}\n    sw t1, ${4 + 4 * (4 + j)}(t0)`).join('\n');
        return `
_start:
    li t0, ${BUFFER}
${stores}
${syscall(Syscall.Call, { a0: 1, a1: messageInfo(3, length), mrs: [1000, 1001, 1002, 1003] })}
    mv s1, a6
    j park
`;
    }
    const receiver = `
_start:
${syscall(Syscall.Recv, { a0: 1 })}
    mv s1, a1
    li t0, ${BUFFER}
    lw s2, ${4 + 4 * 4}(t0)
    lw s3, ${4 + 4 * 119}(t0)
    j park
`;

    function system(length: number, fillBuffer = true) {
        return bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'receiver', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }], source: receiver },
                { name: 'sender', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }], source: sender(length, fillBuffer) }
            ]
        });
    }

    it('copies words beyond the registers through the IPC buffers, up to 120', () => {
        const test = system(120);
        test.run();
        expect(test.reg('receiver', 's1')).toBe(messageInfo(3, 120));
        expect(test.reg('receiver', 's2')).toBe(1004);
        expect(test.reg('receiver', 's3')).toBe(1119);
        const event = test.events.find(candidate => candidate.kind === 'ipc');
        expect(event?.kind === 'ipc' && [event.words.length, event.words[0], event.words[119], event.fastpath]).toEqual([120, 1000, 1119, false]);
    });

    it('refuses more than 120 words', () => {
        const test = system(121);
        test.run();
        expect(test.reg('sender', 's1')).toBe(KernelError.RangeError);
        expect(test.events.some(event => event.kind === 'ipc')).toBe(false);
    });

    it('refuses a long message from a thread whose IPC buffer is unmapped', () => {
        const test = system(8, false);
        test.components.get('sender')?.vspace.space.unmap(0x7000_0000 >>> 12);
        test.run();
        expect(test.reg('sender', 's1')).toBe(KernelError.TruncatedMessage);
    });
});
