import { describe, expect, it } from 'vitest';
import { CAP_GRANT_FLAG, IPC_CAPS_OR_BADGES, IPC_RECEIVE_INDEX, Invocation, KernelError, MapPermission, Syscall, messageInfo } from '../../../runtime/contract/index.js';
import { bootTest, invoke, syscall } from './harness.js';

const BUFFER = 0x7000_0000;
const RW = MapPermission.Read | MapPermission.Write;

describe('frame invocations', () => {
    it('maps a frame, uses it, and refuses every bad mapping with a named error', () => {
        const system = bootTest({
            components: [{
                name: 'solo',
                caps: [{ slot: 4, frame: {} }, { slot: 5, vspace: 'solo' }, { slot: 6, frame: {} }, { slot: 7, frame: {}, rights: 'r' }, { slot: 8, tcb: 'solo' }],
                source: `
_start:
${invoke(4, Invocation.FrameMap, [5, 0x5000_0000, RW])}
    mv s1, a6
    li t0, 0x50000000
    li t1, 42
    sw t1, 8(t0)
    lw s2, 8(t0)
${invoke(4, Invocation.FrameMap, [5, 0x5000_1000, RW])}
    mv s3, a6
${invoke(6, Invocation.FrameMap, [5, 0x5000_0000, RW])}
    mv s4, a6
${invoke(6, Invocation.FrameMap, [5, 0x5000_1004, RW])}
    mv s5, a6
${invoke(6, Invocation.FrameMap, [5, 0x5000_1000, 0])}
    mv s6, a6
${invoke(6, Invocation.FrameMap, [5, 0x5000_1000, 8])}
    mv s7, a6
${invoke(7, Invocation.FrameMap, [5, 0x5000_1000, RW])}
    mv s8, a6
${invoke(6, Invocation.FrameMap, [8, 0x5000_1000, RW])}
    mv s9, a6
${invoke(6, Invocation.FrameMap, [40, 0x5000_1000, RW])}
    mv s10, a6
${invoke(4, Invocation.FrameUnmap)}
    mv s11, a6
    j park
`
            }]
        });
        system.run();
        expect(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11'].map(reg => system.reg('solo', reg))).toEqual([
            KernelError.NoError, 42, KernelError.IllegalOperation, KernelError.DeleteFirst, KernelError.AlignmentError,
            KernelError.InvalidArgument, KernelError.InvalidArgument, KernelError.InvalidCapability, KernelError.InvalidCapability,
            KernelError.FailedLookup, KernelError.NoError
        ]);
        expect(system.components.get('solo')?.vspace.isMapped(0x5000_0000)).toBe(false);
    });

    /** A sends the frame it wrote 0x1234 into to B, which maps it and reads it. */
    function pages(grant: boolean) {
        return bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'b', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 5, vspace: 'b' }], source: `
_start:
    li t0, ${BUFFER}
    li t1, 20
    sw t1, ${IPC_RECEIVE_INDEX}(t0)
${syscall(Syscall.Recv, { a0: 1 })}
${invoke(20, Invocation.FrameMap, [5, 0x6000_0000, RW])}
    mv s1, a6
    li t0, 0x60000000
    lw s2, 0(t0)
    li t1, 0x5678
    sw t1, 4(t0)
    li a1, 0
${syscall(Syscall.Reply)}
    j park
` },
                { name: 'a', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'wg' }, { slot: 4, frame: {} }, { slot: 5, vspace: 'a' }, { slot: 6, cnode: 'a' }], source: `
_start:
${invoke(4, Invocation.FrameMap, [5, 0x5000_0000, RW])}
    li t0, 0x50000000
    li t1, 0x1234
    sw t1, 0(t0)
    li t0, ${BUFFER}
    li t1, ${grant ? (4 | CAP_GRANT_FLAG) >>> 0 : 4}
    sw t1, ${IPC_CAPS_OR_BADGES}(t0)
${syscall(Syscall.Call, { a0: 1, a1: messageInfo(1, 0, 1) })}
    ${grant ? '' : `li t0, 0x50000000
    lw s1, 4(t0)
${invoke(6, Invocation.CNodeRevoke, [4])}`}
    j park
` }
            ]
        });
    }

    it('shares a page: both sides see it until the owner revokes the copy', () => {
        const system = pages(false);
        system.run();
        expect(system.reg('b', 's1')).toBe(KernelError.NoError);
        expect(system.reg('b', 's2')).toBe(0x1234);
        expect(system.reg('a', 's1')).toBe(0x5678);
        expect(system.components.get('a')?.vspace.isMapped(0x5000_0000)).toBe(true);
        expect(system.components.get('b')?.vspace.isMapped(0x6000_0000)).toBe(false);
    });

    it('grants a page (L4 grant): it leaves the sender, capability and mapping', () => {
        const system = pages(true);
        system.run();
        expect(system.reg('b', 's2')).toBe(0x1234);
        expect(system.components.get('a')?.vspace.isMapped(0x5000_0000)).toBe(false);
        expect(system.components.get('a')?.cnode.slots[4].isEmpty).toBe(true);
        expect(system.components.get('b')?.vspace.isMapped(0x6000_0000)).toBe(true);
    });
});

describe('frame and IRQ queries', () => {
    it('FrameGetAddress gives the physical address; IrqClear detaches the notification', () => {
        const system = bootTest({
            devices: [{ name: 'timer0', kind: 'timer', irq: 4 }],
            objects: [{ name: 'n', kind: 'notification' }],
            components: [{
                name: 'solo', caps: [{ slot: 4, frame: {} }, { slot: 5, irq: 'timer0' }, { slot: 6, notification: 'n' }, { slot: 7, device: 'timer0' }],
                source: `
_start:
${invoke(4, Invocation.FrameGetAddress)}
    mv s1, a2
    mv s2, a1
${invoke(5, Invocation.IrqSetNotification, [6])}
${invoke(5, Invocation.IrqClear)}
    mv s3, a6
${invoke(7, Invocation.FrameGetAddress)}
    mv s4, a2
    j park
`
            }]
        });
        system.run();
        const frame = system.components.get('solo')?.cnode.slots[4].cap;
        expect(frame?.type === 6 && frame.object.frame * 4096).toBe(system.reg('solo', 's1'));
        expect(system.reg('solo', 's2')).toBe(messageInfo(0, 1));
        expect(system.reg('solo', 's3')).toBe(KernelError.NoError);
        expect(system.kernel.irqHandlers.get(4)?.notification).toBeUndefined();
        expect(system.reg('solo', 's4')).toBe(0xffff_ffff);
    });
});
