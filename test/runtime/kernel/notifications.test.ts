import { describe, expect, it } from 'vitest';
import { Invocation, KernelError, RECEIVED_SIGNAL, Syscall, WOULD_BLOCK, messageInfo } from '../../../runtime/kernel/index.js';
import { bootTest, invoke, syscall } from './harness.js';

describe('notifications', () => {
    it('ORs signals into the word; Poll and Wait take it and clear it', () => {
        const system = bootTest({
            objects: [{ name: 'n', kind: 'notification' }],
            components: [{
                name: 'solo', caps: [{ slot: 1, notification: 'n', badge: 0b0001 }, { slot: 2, notification: 'n', badge: 0b0100 }],
                source: `
_start:
${syscall(Syscall.Signal, { a0: 1 })}
${syscall(Syscall.Send, { a0: 2 })}
${syscall(Syscall.Poll, { a0: 1 })}
    mv s1, a0
${syscall(Syscall.Poll, { a0: 1 })}
    mv s2, a0
${syscall(Syscall.Signal, { a0: 2 })}
${syscall(Syscall.Wait, { a0: 1 })}
    mv s3, a0
    mv s4, a6
    j park
`
            }]
        });
        system.run();
        expect(system.reg('solo', 's1')).toBe(0b0101);
        expect(system.reg('solo', 's2')).toBe(0);
        expect(system.reg('solo', 's3')).toBe(0b0100);
        expect(system.reg('solo', 's4')).toBe(KernelError.NoError);
    });

    it('wakes a waiter, which then outranks the signaller and runs first', () => {
        const system = bootTest({
            objects: [{ name: 'n', kind: 'notification' }],
            components: [
                { name: 'waiter', priority: 200, caps: [{ slot: 1, notification: 'n', rights: 'r' }], source: `
_start:
${syscall(Syscall.Wait, { a0: 1 })}
    mv s1, a0
${syscall(Syscall.DebugPutChar, { a0: 87 })}
    j park
` },
                { name: 'signaller', priority: 10, caps: [{ slot: 1, notification: 'n', rights: 'w', badge: 6 }], source: `
_start:
${syscall(Syscall.Signal, { a0: 1 })}
${syscall(Syscall.DebugPutChar, { a0: 83 })}
    j park
` }
            ]
        });
        system.run();
        expect(system.reg('waiter', 's1')).toBe(6);
        expect(system.console()).toBe('WS');
        expect(system.events.filter(event => event.kind === 'signal')).toEqual([
            { kind: 'signal', cycle: expect.any(Number), from: 'signaller', notification: 'n', bits: 6, woke: 'waiter' }
        ]);
    });

    it('refuses Signal without the write right, Wait without the read right, and either on an endpoint', () => {
        const system = bootTest({
            objects: [{ name: 'n', kind: 'notification' }, { name: 'ep', kind: 'endpoint' }],
            components: [{
                name: 'solo', caps: [{ slot: 1, notification: 'n', rights: 'r' }, { slot: 2, notification: 'n', rights: 'w' }, { slot: 3, endpoint: 'ep' }],
                source: `
_start:
${syscall(Syscall.Signal, { a0: 1 })}
    mv s1, a6
${syscall(Syscall.Wait, { a0: 2 })}
    mv s2, a6
${syscall(Syscall.Signal, { a0: 3 })}
    mv s3, a6
${syscall(Syscall.Poll, { a0: 3 })}
    mv s4, a6
${syscall(Syscall.Wait, { a0: 9 })}
    mv s5, a6
    j park
`
            }]
        });
        system.run();
        expect(['s1', 's2', 's3', 's4', 's5'].map(reg => system.reg('solo', reg))).toEqual([
            KernelError.InvalidCapability, KernelError.InvalidCapability, KernelError.InvalidCapability, KernelError.InvalidCapability, KernelError.FailedLookup
        ]);
    });

    it('delivers a bound notification to a thread blocked receiving on an endpoint', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'irq', kind: 'notification' }],
            components: [
                { name: 'server', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, notification: 'irq', rights: 'r' }, { slot: 3, tcb: 'server' }], source: `
_start:
${invoke(3, Invocation.TcbBindNotification, [2])}
    mv s1, a6
${syscall(Syscall.Recv, { a0: 1 })}
    mv s2, a6
    mv s3, a0
${invoke(3, Invocation.TcbBindNotification, [2])}
    mv s4, a6
${invoke(3, Invocation.TcbUnbindNotification)}
    mv s5, a6
${invoke(3, Invocation.TcbUnbindNotification)}
    mv s6, a6
    j park
` },
                { name: 'device', priority: 50, caps: [{ slot: 1, notification: 'irq', rights: 'w', badge: 0x80 }], source: `
_start:
${syscall(Syscall.Signal, { a0: 1 })}
    j park
` }
            ]
        });
        system.run();
        expect(system.reg('server', 's1')).toBe(KernelError.NoError);
        expect(system.reg('server', 's2')).toBe(RECEIVED_SIGNAL);
        expect(system.reg('server', 's3')).toBe(0x80);
        expect(system.reg('server', 's4')).toBe(KernelError.IllegalOperation);
        expect(system.reg('server', 's5')).toBe(KernelError.NoError);
        expect(system.reg('server', 's6')).toBe(KernelError.IllegalOperation);
    });

    it('binds only through a capability with the read right, so a signaller cannot steal the signals', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'n', kind: 'notification' }],
            components: [
                {
                    name: 'thief', priority: 200,
                    caps: [{ slot: 1, notification: 'n', rights: 'wg', badge: 1 }, { slot: 2, tcb: 'thief' }, { slot: 3, endpoint: 'ep', rights: 'r' }],
                    source: `
_start:
${invoke(2, Invocation.TcbBindNotification, [1])}
    mv s1, a6
${syscall(Syscall.Signal, { a0: 1 })}
${syscall(Syscall.NBRecv, { a0: 3 })}
    mv s2, a6
    mv s3, a0
    j park
`
                },
                { name: 'owner', priority: 100, caps: [{ slot: 1, notification: 'n', rights: 'r' }], source: `
_start:
${syscall(Syscall.Poll, { a0: 1 })}
    mv s1, a0
    j park
` }
            ]
        });
        system.run();
        expect(system.reg('thief', 's1')).toBe(KernelError.InvalidCapability);
        expect(system.threads.get('thief')?.boundNotification).toBeUndefined();
        expect(system.reg('thief', 's2')).toBe(WOULD_BLOCK);
        expect(system.reg('thief', 's3')).toBe(0);
        expect(system.reg('owner', 's1')).toBe(1);
    });

    it('a pending bound signal is taken before a waiting message', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'n', kind: 'notification' }],
            components: [
                { name: 'sender', priority: 200, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }, { slot: 2, notification: 'n', badge: 1 }], source: `
_start:
${syscall(Syscall.Signal, { a0: 2 })}
${syscall(Syscall.Send, { a0: 1, a1: messageInfo(5, 1), mrs: [77] })}
    j park
` },
                { name: 'server', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, notification: 'n' }, { slot: 3, tcb: 'server' }], threads: [{ name: 'server', priority: 100 }], source: `
_start:
${invoke(3, Invocation.TcbBindNotification, [2])}
${syscall(Syscall.Recv, { a0: 1 })}
    mv s1, a6
${syscall(Syscall.Recv, { a0: 1 })}
    mv s2, a6
    mv s3, a2
    j park
` }
            ]
        });
        // The sender runs first (higher priority) and blocks in Send after signalling: nobody receives yet.
        system.run();
        expect(system.reg('server', 's1')).toBe(RECEIVED_SIGNAL);
        expect(system.reg('server', 's2')).toBe(KernelError.NoError);
        expect(system.reg('server', 's3')).toBe(77);
    });
});
