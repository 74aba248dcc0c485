import { describe, expect, it } from 'vitest';
import { MAX_BADGE } from '../../../runtime/kernel/index.js';
import { IPC_CAPS_OR_BADGES, IPC_RECEIVE_INDEX, Invocation, KernelError, Syscall, infoCapsUnwrapped, infoExtraCaps, messageInfo } from '../../../runtime/contract/index.js';
import { bootTest, invoke, ipcLines, syscall } from './harness.js';

const BUFFER = 0x7000_0000;

describe('CNode invocations', () => {
    const solo = (body: string) => bootTest({
        objects: [{ name: 'n', kind: 'notification' }],
        components: [{ name: 'solo', caps: [{ slot: 1, notification: 'n', rights: 'rw' }, { slot: 2, tcb: 'solo' }, { slot: 3, cnode: 'solo' }], source: `_start:\n${body}\n    j park` }]
    });

    it('copies with reduced rights, mints a badge, moves and deletes', () => {
        const system = solo(`
${invoke(3, Invocation.CNodeCopy, [10, 1, 2])}
    mv s1, a6
${syscall(Syscall.Signal, { a0: 10 })}
    mv s2, a6
${invoke(3, Invocation.CNodeMint, [11, 1, 7, 0x40])}
    mv s3, a6
${syscall(Syscall.Signal, { a0: 11 })}
${syscall(Syscall.Poll, { a0: 1 })}
    mv s4, a0
${invoke(3, Invocation.CNodeMove, [12, 11])}
    mv s5, a6
${syscall(Syscall.Signal, { a0: 11 })}
    mv s6, a6
${invoke(3, Invocation.CNodeDelete, [12])}
    mv s7, a6
${syscall(Syscall.Signal, { a0: 12 })}
    mv s8, a6
`);
        system.run();
        expect(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'].map(reg => system.reg('solo', reg))).toEqual([
            KernelError.NoError, KernelError.InvalidCapability, KernelError.NoError, 0x40, KernelError.NoError, KernelError.FailedLookup,
            KernelError.NoError, KernelError.FailedLookup
        ]);
        const slots = system.components.get('solo')?.cnode.slots ?? [];
        expect(slots[10].parent).toBe(slots[1]);
        expect(slots[11].isEmpty && slots[12].isEmpty).toBe(true);
    });

    it('returns a named error for every bad argument, and changes nothing', () => {
        const system = solo(`
${invoke(3, Invocation.CNodeCopy, [2, 1, 7])}
    mv s1, a6
${invoke(3, Invocation.CNodeCopy, [10, 20, 7])}
    mv s2, a6
${invoke(3, Invocation.CNodeCopy, [5000, 1, 7])}
    mv s3, a6
${invoke(3, Invocation.CNodeCopy, [10, 1, 8])}
    mv s4, a6
${invoke(3, Invocation.CNodeMint, [10, 2, 7, 1])}
    mv s5, a6
${invoke(3, Invocation.CNodeMint, [10, 1, 7, MAX_BADGE + 1])}
    mv s6, a6
${invoke(3, Invocation.CNodeMint, [10, 1, 7, 5])}
${invoke(3, Invocation.CNodeMint, [11, 10, 7, 6])}
    mv s7, a6
${invoke(3, Invocation.CNodeRevoke, [40])}
    mv s8, a6
${invoke(3, 99)}
    mv s9, a6
${invoke(3, Invocation.CNodeMove, [1, 2])}
    mv s10, a6
${invoke(3, Invocation.CNodeMove, [30, 31])}
    mv s11, a6
`);
        system.run();
        expect(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11'].map(reg => system.reg('solo', reg))).toEqual([
            KernelError.DeleteFirst, KernelError.FailedLookup, KernelError.FailedLookup, KernelError.InvalidArgument,
            KernelError.InvalidCapability, KernelError.InvalidArgument, KernelError.IllegalOperation, KernelError.FailedLookup,
            KernelError.InvalidArgument, KernelError.DeleteFirst, KernelError.FailedLookup
        ]);
        // The reply label carries the error too, as seL4's invocation replies do.
        expect(system.reg('solo', 'a1') >>> 12).toBe(KernelError.FailedLookup);
        const slots = system.components.get('solo')?.cnode.slots ?? [];
        expect(slots.filter(slot => !slot.isEmpty).map(slot => 'cnode' in slot.owner ? slot.owner.index : -1)).toEqual([1, 2, 3, 10, 255]);
    });
});

describe('capability transfer', () => {
    /** Server: receive index 10; on each message, records info and the buffer's first badge, and signals through slot 10. */
    const SERVER = `
_start:
    li t0, ${BUFFER}
    li t1, 10
    sw t1, ${IPC_RECEIVE_INDEX}(t0)
${syscall(Syscall.Recv, { a0: 1 })}
    mv s1, a1
    li t0, ${BUFFER}
    lw s2, ${IPC_CAPS_OR_BADGES}(t0)
${syscall(Syscall.Signal, { a0: 10 })}
    mv s3, a6
    li a1, 0
${syscall(Syscall.ReplyRecv, { a0: 1 })}
${syscall(Syscall.Signal, { a0: 10 })}
    mv s4, a6
    li a1, 0
${syscall(Syscall.Reply)}
    j park
`;

    function system(clientEndpointRights: string, firstCap: number) {
        return bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'n', kind: 'notification' }],
            components: [
                { name: 'server', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }], source: SERVER },
                {
                    name: 'client', priority: 50,
                    caps: [{ slot: 1, endpoint: 'ep', rights: clientEndpointRights, badge: 5 }, { slot: 2, notification: 'n', badge: 3 }, { slot: 3, cnode: 'client' }],
                    source: `
_start:
    li t0, ${BUFFER}
    li t1, ${firstCap}
    sw t1, ${IPC_CAPS_OR_BADGES}(t0)
${syscall(Syscall.Call, { a0: 1, a1: messageInfo(1, 0, 1) })}
${syscall(Syscall.Poll, { a0: 2 })}
    mv s1, a0
${invoke(3, Invocation.CNodeRevoke, [2])}
    mv s2, a6
    mv s3, a2
${syscall(Syscall.Call, { a0: 1, a1: messageInfo(2, 0) })}
    j park
`
                }
            ]
        });
    }

    it('gives the receiver a derived copy that revoke takes back', () => {
        const test = system('rwg', 2);
        test.run();
        const info = test.reg('server', 's1');
        expect(infoExtraCaps(info)).toBe(1);
        expect(infoCapsUnwrapped(info)).toBe(0);
        expect(test.reg('server', 's3')).toBe(KernelError.NoError);
        expect(test.reg('client', 's1')).toBe(3);
        expect(test.reg('client', 's2')).toBe(KernelError.NoError);
        expect(test.reg('client', 's3')).toBe(1);
        expect(test.reg('server', 's4')).toBe(KernelError.FailedLookup);
        // ukvm32's fastpath carries one capability.
        expect(ipcLines(test.events)[0]).toBe('call client->server label=1 words=[] badge=5 caps=1 fast');
    });

    it('transfers nothing through an endpoint capability without the grant right', () => {
        const test = system('rw', 2);
        test.run();
        expect(infoExtraCaps(test.reg('server', 's1'))).toBe(0);
        expect(test.reg('server', 's3')).toBe(KernelError.FailedLookup);
    });

    it('unwraps a capability to the endpoint the message travels on into its badge', () => {
        const test = system('rwg', 1);
        test.run();
        const info = test.reg('server', 's1');
        expect(infoExtraCaps(info)).toBe(1);
        expect(infoCapsUnwrapped(info)).toBe(1);
        expect(test.reg('server', 's2')).toBe(5);
    });

    it('refuses a message naming a capability that does not exist', () => {
        const test = system('rwg', 77);
        test.run();
        expect(test.reg('client', 'a6')).toBe(KernelError.NoError);
        expect(test.events.find(event => event.kind === 'syscall-error')).toMatchObject({ thread: 'client', syscall: 'Call', error: 'FailedLookup' });
    });
});

describe('revoke', () => {
    it('deletes a whole derived tree, copies of copies included, and reports how many', () => {
        const system = bootTest({
            objects: [{ name: 'n', kind: 'notification' }],
            components: [
                { name: 'owner', priority: 100, caps: [{ slot: 1, notification: 'n' }, { slot: 3, cnode: 'owner' }, { slot: 4, cnode: 'other' }], source: `
_start:
${invoke(3, Invocation.CNodeCopy, [10, 1, 7])}
${invoke(3, Invocation.CNodeCopy, [11, 10, 3])}
${invoke(3, Invocation.CNodeMint, [12, 10, 7, 9])}
${invoke(4, Invocation.CNodeCopy, [20, 12, 7])}
${invoke(3, Invocation.CNodeRevoke, [1])}
    mv s1, a6
    mv s2, a2
${syscall(Syscall.Signal, { a0: 1 })}
    mv s3, a6
${invoke(3, Invocation.CNodeRevoke, [1])}
    mv s4, a2
    j park
` },
                { name: 'other', priority: 50, source: '_start:\n    j park' }
            ]
        });
        system.run();
        expect(system.reg('owner', 's1')).toBe(KernelError.NoError);
        expect(system.reg('owner', 's2')).toBe(4);
        expect(system.reg('owner', 's3')).toBe(KernelError.NoError);
        expect(system.reg('owner', 's4')).toBe(0);
        const owner = system.components.get('owner')?.cnode.slots ?? [];
        expect([10, 11, 12].map(index => owner[index].isEmpty)).toEqual([true, true, true]);
        expect(system.components.get('other')?.cnode.slots[20].isEmpty).toBe(true);
    });
});
