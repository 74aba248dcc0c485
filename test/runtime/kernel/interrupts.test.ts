import { describe, expect, it } from 'vitest';
import { TIMER_CONTROL, TIMER_DEADLINE_HI, TIMER_DEADLINE_LO, TIMER_NOW_LO } from '../../../runtime/machine/index.js';
import { Invocation, KernelError, Syscall } from '../../../runtime/contract/index.js';
import { bootTest, invoke, syscall } from './harness.js';

const TIMER = 0x4000_0000;

/** A driver: claims the timer's interrupt, sets a deadline 20,000 cycles ahead, waits, acknowledges. */
const DRIVER = `
_start:
${invoke(2, Invocation.IrqSetNotification, [3])}
    mv s1, a6
${invoke(2, Invocation.IrqAck)}
    li t0, ${TIMER}
    lw t1, ${TIMER_NOW_LO}(t0)
    li t2, 20000
    add t1, t1, t2
    sw t1, ${TIMER_DEADLINE_LO}(t0)
    sw zero, ${TIMER_DEADLINE_HI}(t0)
    mv s4, t1
    li t1, 1
    sw t1, ${TIMER_CONTROL}(t0)
${syscall(Syscall.Wait, { a0: 3 })}
    mv s2, a0
    li t0, ${TIMER}
    lw s3, ${TIMER_NOW_LO}(t0)
    li t1, 2
    sw t1, ${TIMER_CONTROL}(t0)
${invoke(2, Invocation.IrqAck)}
${syscall(Syscall.DebugPutChar, { a0: 84 })}
${invoke(2, Invocation.IrqSetNotification, [1])}
    mv s5, a6
${invoke(2, 99)}
    mv s6, a6
    j park
`;

function timerSystem(withSpinner: boolean) {
    return bootTest({
        devices: [{ name: 'timer0', kind: 'timer', irq: 5 }],
        objects: [{ name: 'tick', kind: 'notification' }],
        components: [
            {
                name: 'driver', priority: 150, source: DRIVER,
                caps: [{ slot: 1, device: 'timer0', mapAt: TIMER }, { slot: 2, irq: 'timer0' }, { slot: 3, notification: 'tick', badge: 0x10 }]
            },
            ...(withSpinner ? [{ name: 'spinner', priority: 10, source: '_start:\n    j _start' }] : [])
        ]
    });
}

describe('interrupts', () => {
    it('preempts a busy thread and wakes the driver through its notification at the deadline', () => {
        const system = timerSystem(true);
        const result = system.run(200_000);
        expect(result.reason).toBe('cycle-limit');
        expect(system.console()).toBe('T');
        expect(system.reg('driver', 's1')).toBe(KernelError.NoError);
        expect(system.reg('driver', 's2')).toBe(0x10);
        const deadline = system.reg('driver', 's4');
        const woke = system.reg('driver', 's3');
        expect(woke).toBeGreaterThanOrEqual(deadline);
        expect(woke - deadline).toBeLessThan(3_000);
        expect(system.reg('driver', 's5')).toBe(KernelError.InvalidCapability);
        expect(system.reg('driver', 's6')).toBe(KernelError.InvalidArgument);
        expect(system.events.filter(event => event.kind === 'interrupt')).toEqual([
            { kind: 'interrupt', cycle: expect.any(Number), line: 5, device: 'timer0', notification: 'tick' }
        ]);
    });

    it('lets emulated time pass when every thread waits for a timer', () => {
        const system = timerSystem(false);
        const result = system.run();
        expect(result.reason).toBe('idle');
        expect(system.console()).toBe('T');
        expect(system.reg('driver', 's3')).toBeGreaterThanOrEqual(system.reg('driver', 's4'));
    });
});
